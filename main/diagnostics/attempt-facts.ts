// The facts the detectors read, collected once per session from its frames: one
// record per connection attempt (what was asked, what answered, when bytes came,
// how it ended) and the reconnects between them. Bounded: the newest attempts and
// exchanges only, so a polling session running for days stays small.
import type { CloseCause, Frame, FrameOf, ProtocolFacts, TechniqueName } from '../contract/index.js'

/** Attempts kept; older ones are forgotten (their findings stay raised). */
export const MAX_ATTEMPTS = 100
/** Request/response pairs kept per attempt (polling makes one per poll). */
export const MAX_EXCHANGES = 50
/** Gaps between inbound frames kept per attempt, to learn a heartbeat's rhythm. */
const MAX_GAPS = 32

export type Headers = Record<string, string>

export interface ResponseFacts {
  seq: number
  time: number
  status: number
  /** Lower-case names, repeated values joined with ", ". */
  headers: Headers
  from?: 'proxy'
  body?: string
  durationMs: number
  unchanged?: boolean
}

export interface ExchangeFacts {
  request?: { seq: number; time: number; method: string; url: string; headers: Headers }
  response?: ResponseFacts
}

export interface AttemptFacts {
  /** 1 for the first connection, then 2, 3… (the `connecting` frame's attempt). */
  number: number
  url: string
  proxy?: string
  connectingSeq: number
  startedAt: number
  /** Newest last; the first exchange is the one that opened the attempt. */
  exchanges: ExchangeFacts[]
  /** The first response of the attempt (the handshake answer for WebSocket). */
  firstResponse?: ResponseFacts
  open?: { seq: number; time: number }
  /** Data frames in (messages, events, chunks): count, bytes, first and last arrival. */
  dataIn: number
  bytesIn: number
  firstDataAt?: number
  lastDataAt?: number
  /** Anything inbound, heartbeats included (comments, pings, pongs, data). */
  lastInAt?: number
  /** Gaps (ms) between inbound frames, newest last. */
  inboundGaps: number[]
  /** Heartbeats seen: SSE comments, pings and pongs in. */
  heartbeats: number
  close?: { seq: number; time: number; code: number; reason: string; wasClean: boolean; idleMs: number; cause: CloseCause; bytesIn: number }
  /** The protocol said this attempt ended as its normal outcome (a completed subscription): its close is no finding. */
  protocolEnded?: string
  errors: { seq: number; time: number; code: string; message: string }[]
}

export interface ReconnectFacts {
  seq: number
  time: number
  attempt: number
  delayMs: number
}

export class SessionFacts {
  readonly attempts: AttemptFacts[] = []
  readonly reconnects: ReconnectFacts[] = []
  /** Attempts seen in all, also those forgotten. */
  totalAttempts = 0
  /** What the session's protocol said: its heartbeat deadline, whether anything is due, its normal end. */
  protocol: ProtocolFacts | undefined
  /** When the protocol last went from idle (nothing due) to expecting something again: silence counts from then. */
  protocolActiveSince: number | undefined = undefined

  /** Where raw chunks are shown (SSE, streaming), they are the arrivals; events and messages are cut from them. */
  private readonly chunked: boolean

  constructor(readonly technique: TechniqueName) {
    this.chunked = technique === 'sse' || technique === 'streaming'
  }

  reset(): void {
    this.attempts.length = 0
    this.currentAttempt = undefined
    this.reconnects.length = 0
    this.totalAttempts = 0
    this.protocol = undefined
    this.protocolActiveSince = undefined
  }

  /** The protocol's word, at `time`: merged into what it said before, and marked on the attempt it ends. */
  protocolSaid(facts: ProtocolFacts, time: number): void {
    const wasIdle = this.protocol?.idle === true
    this.protocol = { ...this.protocol, ...facts }
    if (wasIdle && this.protocol.idle !== true) this.protocolActiveSince = time
    if (facts.ended !== undefined && this.currentAttempt) this.currentAttempt.protocolEnded = facts.ended
  }

  get current(): AttemptFacts | undefined {
    return this.currentAttempt
  }

  /** The newest attempt, kept in a field: `dataIn` runs once per message. */
  private currentAttempt: AttemptFacts | undefined

  /** Take in a frame that is not data (data goes through `dataIn`). */
  observe(frame: Frame): void {
    switch (frame.kind) {
      case 'connecting':
        this.startAttempt(frame)
        break
      case 'request':
        this.current?.exchanges.push({ request: { seq: frame.seq, time: frame.time, method: frame.method, url: frame.url, headers: flatHeaders(frame.headers) } })
        this.trimExchanges()
        break
      case 'response':
        this.response(frame)
        break
      case 'open':
        if (this.current) this.current.open = { seq: frame.seq, time: frame.time }
        break
      case 'close':
        if (this.current && !this.current.close) {
          const { seq, time, code, reason, wasClean, idleMs, cause, bytesIn } = frame
          this.current.close = { seq, time, code, reason, wasClean, idleMs, cause, bytesIn }
        }
        break
      case 'error':
        if (this.current && this.current.errors.length < 20) this.current.errors.push({ seq: frame.seq, time: frame.time, code: frame.code, message: frame.message })
        break
      case 'reconnect':
        this.reconnects.push({ seq: frame.seq, time: frame.time, attempt: frame.attempt, delayMs: frame.delayMs })
        if (this.reconnects.length > MAX_ATTEMPTS) this.reconnects.shift()
        break
      case 'comment':
      case 'ping':
      case 'pong':
        if (frame.direction === 'in' && this.current) {
          this.current.heartbeats++
          this.inbound(this.current, frame.time)
        }
        break
      case 'message':
      case 'event':
      case 'chunk':
        if (frame.direction === 'in' && (frame.kind === 'chunk') === this.chunked) this.dataIn(frame.time, frame.kind === 'event' ? frame.data.length : frame.size)
        break
      default:
        break
    }
  }

  /** The hot path: one data frame in (a message, an event or a chunk). */
  dataIn(time: number, size: number): void {
    const attempt = this.currentAttempt
    if (!attempt) return
    attempt.dataIn++
    attempt.bytesIn += size
    attempt.firstDataAt ??= time
    attempt.lastDataAt = time
    this.inbound(attempt, time)
  }

  private inbound(attempt: AttemptFacts, time: number): void {
    if (attempt.lastInAt !== undefined) {
      const gap = time - attempt.lastInAt
      // Gaps inside one burst say nothing about a rhythm; keep the pauses.
      if (gap >= 1) {
        attempt.inboundGaps.push(gap)
        if (attempt.inboundGaps.length > MAX_GAPS) attempt.inboundGaps.shift()
      }
    }
    attempt.lastInAt = time
  }

  private startAttempt(frame: FrameOf<'connecting'>): void {
    this.totalAttempts++
    this.attempts.push({
      number: frame.attempt,
      url: frame.url,
      ...(frame.proxy ? { proxy: frame.proxy } : {}),
      connectingSeq: frame.seq,
      startedAt: frame.time,
      exchanges: [],
      dataIn: 0,
      bytesIn: 0,
      inboundGaps: [],
      heartbeats: 0,
      errors: [],
    })
    this.currentAttempt = this.attempts[this.attempts.length - 1]
    if (this.attempts.length > MAX_ATTEMPTS) this.attempts.shift()
  }

  private response(frame: FrameOf<'response'>): void {
    const attempt = this.current
    if (!attempt) return
    const facts: ResponseFacts = {
      seq: frame.seq,
      time: frame.time,
      status: frame.status,
      headers: flatHeaders(frame.headers),
      durationMs: frame.durationMs,
      ...(frame.from ? { from: frame.from } : {}),
      ...(frame.body !== undefined ? { body: frame.body.slice(0, 4096) } : {}),
      ...(frame.unchanged ? { unchanged: true } : {}),
    }
    attempt.firstResponse ??= facts
    const last = attempt.exchanges[attempt.exchanges.length - 1]
    if (last && !last.response) last.response = facts
    else attempt.exchanges.push({ response: facts })
    this.trimExchanges()
  }

  private trimExchanges(): void {
    const attempt = this.current
    if (attempt && attempt.exchanges.length > MAX_EXCHANGES) attempt.exchanges.splice(0, attempt.exchanges.length - MAX_EXCHANGES)
  }
}

/** Header names lower-cased, repeated values joined, so detectors look them up one way. */
export function flatHeaders(headers: Record<string, string | string[]>): Headers {
  const flat: Headers = {}
  for (const [name, value] of Object.entries(headers)) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  return flat
}
