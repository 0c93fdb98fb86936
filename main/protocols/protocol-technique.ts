// A technique with a protocol on top (docs/architecture.md, "Protocols"). It wraps one
// attempt's technique and stands between it and the session's sink: every message
// that crosses is decoded into packets carried on its frame (`decoded`), frames the
// protocol sends by itself are marked `auto`, and what the user sends waits until the
// protocol is ready (a Socket.IO namespace connected, a GraphQL connection_ack).
// Drivers (one per protocol) extend it; `DecodingTechnique` only decodes.
import { fail, ok, type ConnectionSpec, type Decoded, type FrameBody, type OutgoingMessage, type Packet, type ProtocolFacts, type Result, type SessionState } from '../contract/index.js'
import { packetsOf } from '../contract/index.js'
import type { EventRun, TechniqueSink } from '../frames/sink.js'
import type { AttemptContext, Technique, TechniqueFactory } from '../techniques/technique.js'
import type { PacketDecoder, WireMessage } from './protocol.js'
import { isIntent, type IntentMessage } from './protocol.js'

/** What the user sends before the protocol is ready waits; this many at most. */
const MAX_WAITING = 1000

/** The payload fields of a message frame for these bytes, as the techniques write them. */
export function messagePayload(data: Buffer, binary: boolean): { data: string; size: number } | { dataBase64: string; binary: true; size: number } {
  return binary ? { dataBase64: data.toString('base64'), binary: true, size: data.length } : { data: data.toString('utf8'), size: data.length }
}

export abstract class ProtocolTechnique implements Technique {
  protected inner: Technique
  /** The protocol is ready for what the user sends (true at once where there is no handshake). */
  protected ready = false
  private readonly waiting: OutgoingMessage[] = []
  private sendingAuto = false
  private disposed = false

  constructor(
    protected readonly spec: ConnectionSpec,
    protected readonly sink: TechniqueSink,
    attempt: AttemptContext,
    base: TechniqueFactory,
    protected decoder: PacketDecoder | undefined,
  ) {
    this.inner = base(spec, this.decodingSink(), attempt)
  }

  start(): void {
    this.inner.start()
  }

  send(message: OutgoingMessage): Result<void> {
    if (message.type === 'close' || message.type === 'ping') return this.inner.send(message)
    if (!this.ready) {
      if (this.waiting.length >= MAX_WAITING) return fail('E_PROTOCOL_NOT_READY', `${MAX_WAITING} messages already wait for the protocol to be ready`)
      this.waiting.push(message)
      return ok(undefined)
    }
    return this.sendNow(message)
  }

  close(code?: number, reason?: string): void {
    this.inner.close(code, reason)
  }

  dispose(): void {
    this.disposed = true
    this.inner.dispose()
  }

  /** Back-pressure reaches the technique underneath (the driver only decodes what it reads). */
  pause(): void {
    this.inner.pause?.()
  }

  resume(): void {
    this.inner.resume?.()
  }

  /** Wire messages for an intent (emit, subscribe, complete); drivers that carry none refuse. */
  protected encode(intent: IntentMessage): Result<OutgoingMessage[]> {
    return fail('E_PROTOCOL_INTENT', `this protocol cannot ${intent.type}`)
  }

  /** The incoming packets of one message, after its frame was recorded. */
  protected onPackets(_packets: Packet[], _message: WireMessage): void {}

  /** The technique opened (the negotiated subprotocol, for a WebSocket). */
  protected onOpen(_protocol: string): void {}

  /** The technique's state changed (passed on to the session after this). */
  protected onState(_state: SessionState): void {}

  /** A frame the protocol sends on its own: recorded as an `out` frame with `auto: true`. */
  protected sendAuto(message: OutgoingMessage): Result<void> {
    this.sendingAuto = true
    try {
      return this.inner.send(message)
    } finally {
      this.sendingAuto = false
    }
  }

  /** The protocol is ready: what waited goes out, in order. */
  protected markReady(): void {
    if (this.ready) return
    this.ready = true
    while (this.waiting.length > 0 && this.ready && !this.disposed) {
      const result = this.sendNow(this.waiting.shift()!)
      if (!result.ok) this.sink.frame({ kind: 'error', direction: 'system', code: result.error.code, message: `not sent: ${result.error.message}` })
    }
  }

  /** Not ready any more (a reconnect, an upgrade in progress): what the user sends waits again. */
  protected markNotReady(): void {
    this.ready = false
  }

  protected facts(facts: ProtocolFacts): void {
    this.sink.protocolFacts?.(facts)
  }

  private sendNow(message: OutgoingMessage): Result<void> {
    if (!isIntent(message)) return this.inner.send(message)
    const encoded = this.encode(message)
    if (!encoded.ok) return encoded
    for (const wire of encoded.value) {
      const sent = this.inner.send(wire)
      if (!sent.ok) return sent
    }
    return ok(undefined)
  }

  /** Whether incoming messages are looked at at all (a plain session whose protocol is unknown skips the decoder). */
  protected mayDecode(): boolean {
    return this.decoder !== undefined
  }

  /** Decodes an incoming message; undefined leaves it on the session's fast path. */
  protected decodeIn(message: WireMessage): Decoded | undefined {
    return this.decoder?.decodeIn(message)
  }

  private decodingSink(): TechniqueSink {
    const sink = this.sink
    const eventIn = (type: string, data: string, id: string, retry: number | undefined) => {
      if (!this.mayDecode()) return sink.eventIn(type, data, id, retry)
      const message: WireMessage = { data: Buffer.from(data, 'utf8'), binary: false, event: type, time: sink.now() }
      const decoded = this.decodeIn(message)
      if (decoded === undefined) return sink.eventIn(type, data, id, retry)
      sink.frame({ kind: 'event', direction: 'in', event: type, data, id, ...(retry !== undefined ? { retry } : {}), decoded })
      this.onPackets(packetsOf(decoded), message)
    }
    return {
      now: () => sink.now(),
      hint: (hint) => sink.hint(hint),
      protocolFacts: (facts) => sink.protocolFacts?.(facts),
      chunkIn: (data, text) => sink.chunkIn(data, text),
      messageIn: (data, binary) => {
        if (!this.mayDecode()) return sink.messageIn(data, binary)
        // Most of a flood (Socket.IO events) is decoded only where it leaves the engine.
        const lazy = this.decoder?.lazyIn?.(data, binary)
        if (lazy) return sink.messageIn(data, binary, lazy)
        const message: WireMessage = { data, binary, time: sink.now() }
        const decoded = this.decodeIn(message)
        if (decoded === undefined) return sink.messageIn(data, binary)
        sink.frame({ kind: 'message', direction: 'in', ...messagePayload(data, binary), decoded })
        this.onPackets(packetsOf(decoded), message)
      },
      eventIn,
      eventsIn: (run: EventRun) => {
        if (!this.mayDecode()) return sink.eventsIn(run)
        for (let i = 0; i < run.count; i++) eventIn(run.type(i), run.data(i), run.lastEventId(i), undefined)
      },
      state: (state) => {
        this.onState(state)
        sink.state(state)
      },
      frame: (body: FrameBody) => {
        if (body.kind === 'open') {
          const seq = sink.frame(body)
          this.onOpen(body.protocol)
          return seq
        }
        if (body.kind === 'close') {
          // The protocol's own close codes (GraphQL's 4401…) read in its words.
          const meaning = this.decoder?.closeMeaning?.(body.code)
          return sink.frame(meaning !== undefined ? { ...body, meaning } : body)
        }
        if (body.kind !== 'message' || body.direction !== 'out') return sink.frame(body)
        const auto = this.sendingAuto
        const time = sink.now()
        const data = body.binary ? Buffer.from(body.dataBase64 ?? '', 'base64') : Buffer.from(body.data ?? '', 'utf8')
        const decoded = this.decoder?.decodeOut({ data, binary: body.binary === true, time })
        const seq = sink.frame({ ...body, ...(decoded !== undefined ? { decoded } : {}), ...(auto ? { auto: true as const } : {}) })
        if (decoded !== undefined && typeof seq === 'number') this.decoder?.sentAs?.(decoded, seq, time)
        return seq
      },
    }
  }
}
