// graphql-sse, distinct-connections mode: the operation is the body of the SSE
// request (POST), results come as `next` events and `complete` ends it. The request
// body is shown as an `out` message with its `subscribe` packet, marked `auto` (the
// inspector sends the spec's operation by itself). `complete` is the normal end: no
// reconnect (a reconnect would run the subscription again), nothing due any more.
import { fail, ok, type ConnectionSpec, type OutgoingMessage, type Packet, type Result } from '../../contract/index.js'
import type { TechniqueSink } from '../../frames/sink.js'
import type { AttemptContext, TechniqueFactory } from '../../techniques/technique.js'
import { guardDecoder } from '../decode-guard.js'
import { ProtocolTechnique } from '../protocol-technique.js'
import { isIntent } from '../protocol.js'
import { afterEachFrame } from './after-frame.js'
import { createSseDecoder, GRAPHQL_SSE } from './sse-decoder.js'

/** How long the server has to end the stream itself after `complete` before it is closed here. */
const END_GRACE_MS = 1000

/** The operation's request body, shown after the request that carried it. */
function withBodyShown(base: TechniqueFactory): TechniqueFactory {
  return afterEachFrame(base, (body, spec, sink) => {
    if (body.kind === 'request' && body.method === 'POST' && spec.body !== undefined) sink.frame({ kind: 'message', direction: 'out', data: spec.body, size: Buffer.byteLength(spec.body), auto: true })
  })
}

export class GraphqlSseDistinctDriver extends ProtocolTechnique {
  private completed = false
  private running = false
  private endTimer: NodeJS.Timeout | undefined
  private closed = false

  constructor(spec: ConnectionSpec, sink: TechniqueSink, attempt: AttemptContext, base: TechniqueFactory) {
    super(spec, sink, attempt, withBodyShown(base), guardDecoder(GRAPHQL_SSE, createSseDecoder(false)))
    // No handshake to wait for: what the user sends meets the technique's own answer at once.
    this.ready = true
  }

  override send(message: OutgoingMessage): Result<void> {
    if (!isIntent(message)) return super.send(message)
    if (message.type === 'complete') {
      // In this mode an operation is its connection: completing it is closing it, for good.
      this.sink.hint({ reconnectable: false })
      this.inner.close()
      return ok(undefined)
    }
    return fail('E_PROTOCOL_INTENT', `graphql-sse in the distinct-connections mode runs one operation per connection; to ${message.type === 'subscribe' ? 'subscribe to several, use the single-connection mode' : 'emit, choose Socket.IO'}`)
  }

  override dispose(): void {
    clearTimeout(this.endTimer)
    super.dispose()
  }

  protected override onState(state: string): void {
    if (state === 'closed' || state === 'failed') {
      this.closed = true
      clearTimeout(this.endTimer)
    }
  }

  protected override onPackets(packets: Packet[]): void {
    for (const packet of packets) {
      if (packet.type === 'next' && !this.running && !this.completed) {
        this.running = true
        this.facts({ protocol: GRAPHQL_SSE, idle: false })
      }
      if (packet.type === 'complete' && !this.completed) this.onComplete()
    }
  }

  private onComplete(): void {
    this.completed = true
    this.sink.hint({ reconnectable: false })
    this.facts({ protocol: GRAPHQL_SSE, idle: true, ended: 'the subscription completed (graphql-sse complete event)' })
    // The server ends the stream after `complete`; one that keeps it open is closed here.
    this.endTimer = setTimeout(() => {
      if (!this.closed) this.inner.close()
    }, END_GRACE_MS)
  }
}
