// Engine.IO's polling transport, as a technique of its own, and its upgrade to a
// WebSocket within the same session (websocket-upgrade.ts), as socket.io-client does it.
//
// The handshake GET answers the open packet; its `sid` goes into every later
// request. One GET is outstanding at a time (the server holds it until it has
// packets); each packet of an answer is its own `message` frame, cut from the body.
// What is sent goes out as a POST (packets joined as the version wants), one POST
// at a time. Unless the upgrade is off, a WebSocket with the sid opens beside it
// (the WebSocket technique, its frames shown): `2probe` → `3probe`, then polling
// pauses (the held GET is answered with noop `6`), `5` goes out on the WebSocket
// and the session carries on there.
import { STATUS_CODES } from 'node:http'
import type { Dispatcher } from 'undici'
import type { CloseCause, ConnectionSpec, OutgoingMessage, Result } from '../../contract/index.js'
import { fail, ok } from '../../contract/index.js'
import type { TechniqueSink } from '../../frames/sink.js'
import { HttpAttemptStart } from '../../net/connection-setup.js'
import { errorCodeOf, errorMessageOf } from '../../net/error-codes.js'
import { EVIDENCE_BODY_LIMIT } from '../../net/http-evidence.js'
import { responseFrame } from '../../net/http-exchange.js'
import { requestHeaders, requestUrl } from '../../net/request-target.js'
import { PollExchange, type ExchangeResult } from '../../techniques/http-poll-exchange.js'
import type { AttemptContext, Technique, TechniqueFactory } from '../../techniques/technique.js'
import { engineErrorMeaning } from './close-reasons.js'
import { base64Packet, joinPayload, splitPayload, type EioVersion } from './engine-io-codec.js'
import { engineUrl } from './handshake.js'
import { eioOf } from './socket-io-decoder.js'
import { WebSocketUpgrade } from './websocket-upgrade.js'
import { ReadGate } from '../../techniques/read-gate.js'

type Answer = Extract<ExchangeResult, { kind: 'answer' }>

/** Query parameters the transport sets itself. */
const ENGINE_PARAMS = new Set(['EIO', 'transport', 'sid', 'b64'])
/** The longest wait after the pings stop before a held GET is given up. */
const GET_GRACE_MS = 5000
/** A close that the server does not acknowledge is done after this long. */
const CLOSE_WAIT_MS = 2000

export function createEnginePolling(websocket: TechniqueFactory): TechniqueFactory {
  return (spec, sink, attempt) => new EnginePolling(spec, sink, attempt, websocket)
}

class EnginePolling implements Technique {
  private readonly eio: EioVersion
  private readonly starting: HttpAttemptStart
  private dispatcher: Dispatcher | undefined
  private get: PollExchange | undefined
  private post: PollExchange | undefined
  private sid: string | undefined
  private upgrades: string[] = []
  private pingInterval = 25_000
  private pingTimeout = 20_000
  private finished = false
  private closing = false
  private readonly outbox: string[] = []
  private posting = false
  private getting = false
  private upgrade: WebSocketUpgrade | undefined
  private bytesIn = 0
  private bytesOut = 0
  private lastByteAt = 0
  private floorMs: number
  private timer: NodeJS.Timeout | undefined
  /** Back-pressure: the GET's body is not read and the next GET waits while held (POSTs go on). */
  private readonly gate = new ReadGate()

  constructor(
    private readonly spec: ConnectionSpec,
    private readonly sink: TechniqueSink,
    private readonly attempt: AttemptContext,
    private readonly websocket: TechniqueFactory,
  ) {
    this.eio = eioOf(spec)
    this.floorMs = spec.longPolling.minIntervalMs
    // Like the HTTP techniques: the `connecting` frame names the proxy once it is resolved.
    this.starting = new HttpAttemptStart({ ...spec, url: this.url('polling') }, attempt, sink)
  }

  start(): void {
    this.sink.state('connecting')
    this.lastByteAt = this.sink.now()
    void this.prepare()
  }

  send(message: OutgoingMessage): Result<void> {
    if (message.type === 'close') {
      this.close()
      return ok(undefined)
    }
    if (this.upgraded) return this.upgrade!.send(message)
    if (this.finished || this.closing) return fail('E_NOT_OPEN', 'the Engine.IO session is not open')
    if (this.sid === undefined) return fail('E_NOT_OPEN', 'the Engine.IO handshake has not been answered yet')
    if (message.type === 'text') this.queue(message.data, false)
    else if (message.type === 'binary') {
      const bytes = Buffer.from(message.base64, 'base64')
      this.outbox.push(base64Packet(bytes, this.eio))
      this.sink.frame({ kind: 'message', direction: 'out', dataBase64: message.base64, binary: true, size: bytes.length })
      this.flush()
    } else return fail('E_NOT_SUPPORTED', `Engine.IO polling cannot send a ${message.type}`)
    return ok(undefined)
  }

  close(): void {
    if (this.finished || this.closing) return
    if (this.upgraded) return this.upgrade!.close()
    this.closing = true
    this.get?.abort()
    this.dropProbe()
    if (this.sid === undefined) return this.finish('closed by the user', 'local', true, 'closed')
    // Engine.IO's own goodbye, as socket.io-client sends it; done when the POST is answered.
    this.queue('1', true)
    this.later(() => this.finish('closed by the user', 'local', true, 'closed'), CLOSE_WAIT_MS)
  }

  pause(): void {
    this.gate.hold()
    this.upgrade?.pause()
  }

  resume(): void {
    this.gate.release()
    this.upgrade?.resume()
  }

  dispose(): void {
    this.finished = true
    this.gate.clear()
    clearTimeout(this.timer)
    this.get?.abort()
    this.post?.abort()
    this.upgrade?.dispose()
    const dispatcher = this.dispatcher
    this.dispatcher = undefined
    void dispatcher?.destroy().catch(() => {})
  }

  private url(transport: 'polling' | 'websocket'): string {
    const query = this.spec.query.filter((q) => !ENGINE_PARAMS.has(q.name))
    return requestUrl({ ...this.spec, query, url: engineUrl(this.spec.url, this.eio, transport, this.sid) })
  }

  private queue(packet: string, auto: boolean): void {
    this.outbox.push(packet)
    this.sink.frame({ kind: 'message', direction: 'out', data: packet, size: Buffer.byteLength(packet), ...(auto ? { auto: true as const } : {}) })
    this.flush()
  }

  private async prepare(): Promise<void> {
    const started = await this.starting.prepare(() => this.finished)
    if (started === undefined) return
    if ('error' in started) {
      this.sink.frame({ kind: 'error', direction: 'system', code: errorCodeOf(started.error), message: errorMessageOf(started.error) })
      this.finished = true
      this.sink.state('failed')
      return
    }
    this.dispatcher = started.prepared.dispatcher
    const onBytes = (count: number) => {
      this.bytesIn += count
      this.lastByteAt = this.sink.now()
    }
    this.get = new PollExchange(this.sink, this.dispatcher, onBytes, this.gate)
    this.post = new PollExchange(this.sink, this.dispatcher, onBytes)
    void this.poll()
  }

  /** The handshake, then one GET after another until closed, upgraded or failed. */
  private async poll(): Promise<void> {
    while (!this.finished && !this.closing && this.upgrade?.state !== 'pausing' && !this.upgraded) {
      const handshake = this.sid === undefined
      const startedAt = this.sink.now()
      this.getting = true
      const result = await this.get!.run({
        method: 'GET',
        url: this.url('polling'),
        headers: requestHeaders(this.spec),
        timeoutMs: handshake ? this.spec.longPolling.requestTimeoutMs : this.pingInterval + this.pingTimeout + GET_GRACE_MS,
        maxBodyBytes: this.spec.limits.maxMessageBytes,
      })
      this.getting = false
      if (this.finished || result.kind === 'aborted') return this.maybeSwitch()
      if (!this.usable(result, handshake)) return
      const held = this.take(result, handshake)
      if (held === undefined || this.finished) return
      this.maybeSwitch()
      // The handshake is answered at once by design (and gated per session); the next GET goes at once.
      if (handshake) continue
      // An answer that came at once is not asked again sooner than the floor; a run of empty ones doubles it.
      const elapsed = this.sink.now() - startedAt
      if (elapsed >= this.spec.longPolling.minIntervalMs) this.floorMs = this.spec.longPolling.minIntervalMs
      else {
        await new Promise<void>((resolve) => this.later(resolve, this.floorMs - elapsed))
        if (!held) this.floorMs = Math.min(this.floorMs * 2, 30_000)
      }
    }
  }

  /** Everything that can be wrong with an answer; true when it is a whole 200. */
  private usable(result: ExchangeResult, handshake: boolean): result is Answer {
    if (result.kind === 'timeout') {
      this.fail('E_TIMEOUT', handshake ? `the handshake got no answer within ${this.spec.longPolling.requestTimeoutMs} ms` : 'the server held a GET past pingInterval + pingTimeout without a ping: the session is dead', 'timeout')
      return false
    }
    if (result.kind === 'failed') {
      if (result.cause === undefined) {
        this.sink.frame({ kind: 'error', direction: 'system', code: result.code, message: result.message })
        this.finished = true
        this.sink.state('failed')
      } else this.fail(result.code, result.message, result.cause)
      return false
    }
    if (result.kind !== 'answer') return false
    const { head, body, end, tooBig } = result
    if (end.kind !== 'end') {
      this.showResponse(result, true)
      this.fail(end.code, end.message, end.kind === 'reset' ? 'reset' : end.kind === 'timeout' ? 'timeout' : 'fin')
      return false
    }
    if (head.status !== 200) {
      this.showResponse(result)
      const engine = engineErrorMeaning(body.toString('utf8'))
      const status = `${head.status} ${STATUS_CODES[head.status] ?? ''}`.trim()
      // A refused handshake is refused again; a lost session (code 1) is what a reconnect is for.
      if (handshake && head.status >= 400 && head.status < 500 && ![408, 425, 429].includes(head.status)) this.sink.hint({ reconnectable: false })
      this.fail('E_HTTP_STATUS', `the server answered ${status}${engine ? `: ${engine.message} — ${engine.meaning}` : ''}`, 'remote-close')
      return false
    }
    if (tooBig) {
      this.showResponse(result, true)
      this.fail('E_MESSAGE_TOO_BIG', `the answer is larger than limits.maxMessageBytes (${this.spec.limits.maxMessageBytes} bytes)`, 'local')
      return false
    }
    return true
  }

  /**
   * Shows the answer and each packet in it; reads the open packet and a close.
   * Answers whether the request held anything but noop (undefined when the session ended).
   */
  private take(result: Answer, handshake: boolean): boolean | undefined {
    this.showResponse(result)
    const text = result.body.toString('utf8')
    const { packets, error } = splitPayload(text, this.eio)
    if (handshake) {
      const opened = this.readOpen(packets[0])
      if (!opened) {
        this.sink.messageIn(result.body, false)
        this.fail('E_PROTOCOL', 'the handshake answer does not start with an Engine.IO open packet (0{"sid":…})', 'remote-close')
        return undefined
      }
      this.sink.frame({ kind: 'open', direction: 'system', protocol: `HTTP/${result.head.httpVersion}` })
      this.sink.state('open')
    }
    let held = false
    let closed = false
    for (const packet of packets) {
      if (this.finished) return undefined
      if (packet === '' && packets.length === 1) continue
      this.sink.messageIn(Buffer.from(packet, 'utf8'), false)
      if (packet[0] === '1') closed = true
      if (packet[0] !== '6') held = true
    }
    // What a v3 body holds past its last whole packet is shown as it came (its decode says what is wrong).
    if (error !== undefined) {
      const rest = text.slice(packets.reduce((sum, packet) => sum + String(packet.length).length + 1 + packet.length, 0))
      this.sink.messageIn(Buffer.from(rest, 'utf8'), false)
    }
    if (closed && !this.finished) {
      this.finish('the server closed the Engine.IO session (close packet)', 'remote-close', true, 'closed')
      return undefined
    }
    if (handshake && this.spec.protocol.socketio.upgrade && this.upgrades.includes('websocket')) this.probe()
    return held
  }

  private readOpen(packet: string | undefined): boolean {
    if (!packet?.startsWith('0')) return false
    try {
      const open = JSON.parse(packet.slice(1)) as { sid?: unknown; upgrades?: unknown; pingInterval?: unknown; pingTimeout?: unknown }
      if (typeof open.sid !== 'string') return false
      this.sid = open.sid
      if (Array.isArray(open.upgrades)) this.upgrades = open.upgrades.filter((u): u is string => typeof u === 'string')
      if (typeof open.pingInterval === 'number') this.pingInterval = open.pingInterval
      if (typeof open.pingTimeout === 'number') this.pingTimeout = open.pingTimeout
      return true
    } catch {
      return false
    }
  }

  /** Sends what waits, one POST at a time. */
  private flush(): void {
    if (this.posting || this.outbox.length === 0 || this.finished || !this.post) return
    this.posting = true
    const body = joinPayload(this.outbox.splice(0), this.eio)
    this.bytesOut += Buffer.byteLength(body)
    void this.post
      .run({
        method: 'POST',
        url: this.url('polling'),
        headers: requestHeaders(this.spec, { 'Content-Type': 'text/plain;charset=UTF-8' }),
        body,
        timeoutMs: this.pingTimeout + GET_GRACE_MS,
        maxBodyBytes: 64 * 1024,
      })
      .then((result) => {
        this.posting = false
        if (this.finished || result.kind === 'aborted') return
        if (result.kind === 'answer' && result.end.kind === 'end' && result.head.status === 200) this.showResponse(result)
        else if (!this.closing) {
          if (result.kind === 'answer') this.showResponse(result)
          const why = result.kind === 'answer' ? `the server answered ${result.head.status} ${STATUS_CODES[result.head.status] ?? ''}`.trim() : result.kind === 'failed' ? result.message : 'no answer in time'
          this.fail('E_POST_FAILED', `a POST of packets failed (${why}); Engine.IO ends the session then`, 'remote-close')
          return
        }
        if (this.closing && this.outbox.length === 0) return this.finish('closed by the user', 'local', true, 'closed')
        this.flush()
        this.maybeSwitch()
      })
  }

  // ---- the upgrade to WebSocket (websocket-upgrade.ts) ----

  private probe(): void {
    const wsSpec: ConnectionSpec = { ...this.spec, technique: 'websocket', url: engineUrl(this.spec.url, this.eio, 'websocket', this.sid), query: this.spec.query.filter((q) => !ENGINE_PARAMS.has(q.name)) }
    this.upgrade = new WebSocketUpgrade(this.websocket, wsSpec, this.sink, this.attempt, {
      probeAnswered: () => this.maybeSwitch(),
      probeFailed: (wasPausing) => {
        this.dropProbe()
        // Polling paused for the switch: it carries on (one loop at a time).
        if (wasPausing && !this.getting && !this.finished && !this.closing) void this.poll()
      },
      ended: () => {
        this.finished = true
      },
    })
    if (this.gate.held) this.upgrade.pause()
    this.upgrade.start()
  }

  /** Once nothing is in flight on polling, the session moves to the WebSocket. */
  private maybeSwitch(): void {
    if (this.upgrade?.state !== 'pausing' || this.getting || this.posting || this.outbox.length > 0 || this.finished || this.closing) return
    this.upgrade.switchOver()
  }

  private get upgraded(): boolean {
    return this.upgrade?.state === 'upgraded'
  }

  private dropProbe(): void {
    if (this.upgraded) return
    const upgrade = this.upgrade
    this.upgrade = undefined
    upgrade?.dispose()
  }

  // ---- frames and ends ----

  private showResponse(result: Answer, truncated = false): void {
    const shown = result.body.subarray(0, EVIDENCE_BODY_LIMIT)
    const cut = truncated || shown.length < result.body.length
    this.sink.frame(responseFrame(result.head, { ...(shown.length > 0 ? { body: shown.toString('utf8') } : {}), ...(cut ? { bodyTruncated: true } : {}) }))
  }

  private fail(code: string, message: string, cause: CloseCause): void {
    if (this.finished) return
    this.sink.frame({ kind: 'error', direction: 'system', code, message })
    this.finish(message, cause, false, 'failed')
  }

  private finish(reason: string, cause: CloseCause, wasClean: boolean, state: 'closed' | 'failed'): void {
    if (this.finished) return
    this.starting.announce()
    this.finished = true
    clearTimeout(this.timer)
    this.get?.abort()
    this.post?.abort()
    this.dropProbe()
    this.sink.frame({ kind: 'close', direction: 'system', code: 0, reason, wasClean, idleMs: Math.max(0, this.sink.now() - this.lastByteAt), bytesIn: this.bytesIn, bytesOut: this.bytesOut, cause })
    this.sink.state(state)
  }

  private later(fn: () => void, delayMs: number): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      fn()
    }, delayMs)
  }
}
