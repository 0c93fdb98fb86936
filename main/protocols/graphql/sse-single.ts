// graphql-sse, single-connection mode: one event stream for every operation. Once the
// stream is open, the spec's operations are POSTed (auto) with ids "1", "2", … in
// `extensions.operationId`; the user's subscribe intents take the next ids, and
// complete sends a DELETE. Results come on the stream as `{id, payload}`; when every
// operation completed, nothing is due (the stream stays open for more).
import { fail, ok, type ConnectionSpec, type OutgoingMessage, type Packet, type Result, type SessionState } from '../../contract/index.js'
import type { TechniqueSink } from '../../frames/sink.js'
import type { AttemptContext, TechniqueFactory } from '../../techniques/technique.js'
import { guardDecoder } from '../decode-guard.js'
import { ProtocolTechnique } from '../protocol-technique.js'
import type { IntentMessage } from '../protocol.js'
import { OperationBook, operationPayload, type OperationPayload } from './operations.js'
import { createSseDecoder, GRAPHQL_SSE } from './sse-decoder.js'
import { SseSingleTransport } from './sse-single-transport.js'

export class GraphqlSseSingleDriver extends ProtocolTechnique {
  private readonly book: OperationBook
  private readonly transport: { current?: SseSingleTransport }
  private idle: boolean | undefined

  constructor(spec: ConnectionSpec, sink: TechniqueSink, attempt: AttemptContext, base: TechniqueFactory) {
    const book = new OperationBook()
    const holder: { current?: SseSingleTransport } = {}
    super(spec, sink, attempt, (s, inner, a) => (holder.current = new SseSingleTransport(s, inner, a, base)), guardDecoder(GRAPHQL_SSE, createSseDecoder(true, book)))
    this.book = book
    this.transport = holder
  }

  override send(message: OutgoingMessage): Result<void> {
    const result = super.send(message)
    this.tellIdle()
    return result
  }

  protected override onState(state: SessionState): void {
    if (state !== 'open') return
    for (const operation of this.spec.protocol.graphql.operations) {
      const made = operationPayload(operation)
      if (!made.ok) {
        this.sink.frame({ kind: 'error', direction: 'system', code: 'E_GRAPHQL_VARIABLES', message: `operation not subscribed: ${made.message}` })
        continue
      }
      this.sendAuto(this.operationMessage(made.payload))
    }
    this.markReady()
    this.tellIdle()
  }

  protected override onPackets(_packets: Packet[]): void {
    this.tellIdle()
  }

  protected override encode(intent: IntentMessage): Result<OutgoingMessage[]> {
    if (intent.type === 'subscribe') {
      const made = operationPayload(intent)
      if (!made.ok) return fail('E_GRAPHQL_VARIABLES', made.message)
      return ok([this.operationMessage(made.payload)])
    }
    if (intent.type === 'complete') {
      if (this.book.state(intent.id) !== 'active') return fail('E_GRAPHQL_NO_OPERATION', `no running operation with id ${JSON.stringify(intent.id)}`)
      const sent = this.transport.current?.complete(intent.id) ?? fail('E_NOT_OPEN', 'not connected')
      if (!sent.ok) return sent
      this.book.stop(intent.id)
      return ok([])
    }
    return fail('E_PROTOCOL_INTENT', 'graphql-sse has no events to emit: subscribe to an operation instead')
  }

  private operationMessage(payload: OperationPayload): OutgoingMessage {
    return { type: 'text', data: JSON.stringify({ ...payload, extensions: { operationId: this.book.allocate() } }) }
  }

  private tellIdle(): void {
    if (!this.ready) return
    const idle = this.book.active === 0
    if (idle === this.idle) return
    this.idle = idle
    this.facts({ protocol: GRAPHQL_SSE, idle })
  }
}
