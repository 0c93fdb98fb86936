// Drives a GraphQL-over-WebSocket session (both subprotocols, told apart by their
// dialect): connection_init on open, nothing of the user's until connection_ack, then
// the spec's operations with ids "1", "2", … and the user's subscribe/complete
// intents; the server's keep-alive answered (graphql-transport-ws `ping` → `pong`) or
// timed (legacy `ka`). Diagnostics learn when nothing is due (every operation
// completed) and the keep-alive's period; a server close with a protocol code is
// explained in a finding.
//
// The spec's operations are sent by the inspector on its own once acknowledged, so
// their frames are `auto` like connection_init; what the user subscribes later is not.
import { fail, ok, type ConnectionSpec, type FrameBody, type OutgoingMessage, type Packet, type ProtocolName, type Result } from '../../contract/index.js'
import type { TechniqueSink } from '../../frames/sink.js'
import type { AttemptContext, TechniqueFactory } from '../../techniques/technique.js'
import { guardDecoder } from '../decode-guard.js'
import type { IntentMessage, PacketDecoder } from '../protocol.js'
import { ProtocolTechnique } from '../protocol-technique.js'
import { afterEachFrame } from './after-frame.js'
import { BeatWatch, type BeatDeadline } from './beat.js'
import { initPayload, OperationBook, operationPayload } from './operations.js'

/** What tells one GraphQL-over-WebSocket protocol from the other. */
export interface WsDialect {
  name: Extract<ProtocolName, 'graphql-transport-ws' | 'graphql-ws'>
  subscribe: 'subscribe' | 'start'
  complete: 'complete' | 'stop'
  /** The server's keep-alive message, and whether it wants an answer. */
  keepAlive: { type: string; answer?: string; what: string }
  createDecoder(book: OperationBook): PacketDecoder
  /** A finding for a frame worth explaining in this protocol (a server close, a refused handshake). */
  explain(frame: FrameBody, acknowledged: boolean): FrameBody | undefined
  /** A close after which reconnecting would only repeat the refusal. */
  fatalClose(code: number): boolean
}

export class GraphqlWsDriver extends ProtocolTechnique {
  private readonly book: OperationBook
  private readonly beat: BeatWatch
  private readonly wsBeat = new BeatWatch('WebSocket pings')
  private acknowledged = false
  private driving = true
  private idle: boolean | undefined

  constructor(
    spec: ConnectionSpec,
    sink: TechniqueSink,
    attempt: AttemptContext,
    base: TechniqueFactory,
    private readonly dialect: WsDialect,
  ) {
    const book = new OperationBook()
    // The driver's view of the technique's closes and errors; bound to this once constructed.
    const observer: { frame?: (body: FrameBody) => void } = {}
    super(spec, sink, attempt, afterEachFrame(base, (body) => observer.frame?.(body)), guardDecoder(dialect.name, dialect.createDecoder(book)))
    this.book = book
    this.beat = new BeatWatch(`"${dialect.keepAlive.type}" messages`)
    observer.frame = (body) => this.onFrame(body)
  }

  override send(message: OutgoingMessage): Result<void> {
    const result = super.send(message)
    this.tellIdle()
    return result
  }

  protected override onOpen(subprotocol: string): void {
    if (subprotocol !== this.dialect.name) {
      // The server picked another of the offered subprotocols: speaking ours would be wrong.
      this.driving = false
      this.sink.frame({
        kind: 'finding',
        direction: 'system',
        id: 'protocol-subprotocol',
        severity: 'warning',
        summary: `The server chose the subprotocol ${JSON.stringify(subprotocol)}, not ${this.dialect.name}: nothing is sent on your behalf`,
        evidence: [`Sec-WebSocket-Protocol: ${subprotocol || '(none)'}`],
        remedy: `Offer only ${this.dialect.name}, or choose the protocol the server speaks.`,
      })
      return
    }
    const payload = initPayload(this.spec.protocol.graphql.init)
    this.sendAuto({ type: 'text', data: JSON.stringify({ type: 'connection_init', ...(payload !== undefined ? { payload } : {}) }) })
  }

  protected override onPackets(packets: Packet[], message: { time: number }): void {
    if (!this.driving) return
    for (const packet of packets) {
      if (packet.error !== undefined) continue
      if (packet.type === 'connection_ack' && !this.acknowledged) this.onAck()
      else if (packet.type === 'connection_error') this.onRefused(packet)
      else if (packet.type === this.dialect.keepAlive.type) this.onKeepAlive(packet, message.time)
    }
    this.tellIdle()
  }

  protected override encode(intent: IntentMessage): Result<OutgoingMessage[]> {
    if (intent.type === 'subscribe') {
      const made = operationPayload(intent)
      if (!made.ok) return fail('E_GRAPHQL_VARIABLES', made.message)
      return ok([this.subscribeMessage(this.book.allocate(), made.payload)])
    }
    if (intent.type === 'complete') {
      if (this.book.state(intent.id) !== 'active') return fail('E_GRAPHQL_NO_OPERATION', `no running operation with id ${JSON.stringify(intent.id)}`)
      return ok([{ type: 'text', data: JSON.stringify({ id: intent.id, type: this.dialect.complete }) }])
    }
    return fail('E_PROTOCOL_INTENT', `${this.dialect.name} has no events to emit: subscribe to an operation instead`)
  }

  private subscribeMessage(id: string, payload: object): OutgoingMessage {
    return { type: 'text', data: JSON.stringify({ id, type: this.dialect.subscribe, payload }) }
  }

  private onAck(): void {
    this.acknowledged = true
    // The spec's operations first, so they get ids "1", "2"… before anything the user queued.
    for (const operation of this.spec.protocol.graphql.operations) {
      const made = operationPayload(operation)
      if (!made.ok) {
        this.sink.frame({ kind: 'error', direction: 'system', code: 'E_GRAPHQL_VARIABLES', message: `operation not subscribed: ${made.message}` })
        continue
      }
      const sent = this.sendAuto(this.subscribeMessage(this.book.allocate(), made.payload))
      if (!sent.ok) this.sink.frame({ kind: 'error', direction: 'system', code: sent.error.code, message: `operation not subscribed: ${sent.error.message}` })
    }
    this.markReady()
  }

  /** Legacy: the server refused connection_init (its onConnect said no) and is about to close. */
  private onRefused(packet: Packet): void {
    const message = (packet.payload as { message?: unknown } | undefined)?.message
    this.sink.hint({ reconnectable: false })
    this.sink.frame({
      kind: 'finding',
      direction: 'system',
      id: 'protocol-close',
      severity: 'warning',
      summary: `The server refused the connection: connection_error${typeof message === 'string' ? ` "${message}"` : ''}`,
      evidence: [`connection_error ${JSON.stringify(packet.payload ?? null).slice(0, 300)}`, 'a subscriptions-transport-ws server sends it when onConnect rejects the connection_init payload, then closes (1011)'],
      remedy: 'Check the connection_init payload (--init): the token or credentials the server expects, in the shape it expects.',
    })
  }

  private onKeepAlive(packet: Packet, time: number): void {
    const { answer } = this.dialect.keepAlive
    if (answer) this.sendAuto({ type: 'text', data: JSON.stringify({ type: answer, ...(packet.payload !== undefined ? { payload: packet.payload } : {}) }) })
    this.tellBeat(this.beat.beat(time))
  }

  private tellBeat(deadline: BeatDeadline | undefined): void {
    if (deadline) this.facts({ protocol: this.dialect.name, heartbeatDeadlineMs: deadline.ms, heartbeatWhy: deadline.why })
  }

  /** Diagnostics hear when the last operation completed, and when one is running again. */
  private tellIdle(): void {
    if (!this.acknowledged) return
    const idle = this.book.active === 0
    if (idle === this.idle) return
    this.idle = idle
    this.facts({ protocol: this.dialect.name, idle })
  }

  private onFrame(body: FrameBody): void {
    // graphql-ws's server also beats with WebSocket pings (its keepAlive, 12 s by default).
    if (body.kind === 'ping' && body.direction === 'in') this.tellBeat(this.wsBeat.beat(this.sink.now()))
    const finding = this.dialect.explain(body, this.acknowledged)
    if (finding) this.sink.frame(finding)
    if (body.kind === 'close' && body.cause !== 'local' && this.dialect.fatalClose(body.code)) this.sink.hint({ reconnectable: false })
  }
}
