// One connection the probe holds open and watches: an engine session with the real
// technique (so headers, proxy and TLS behave exactly as in `rti connect`), reduced
// to the figures the checks reason about — when the headers and the first byte came,
// which server timestamps arrived in which read, and how and when it was cut.
import type { ConnectionSpecInput, Finding, Frame, FrameBatch } from '../contract/index.js'
import { PayloadClock } from '../diagnostics/payload-time.js'
import type { Session } from '../session/session.js'
import type { SessionManager } from '../session/session-manager.js'

/** One read off the wire (a chunk, a message, a polled answer) and the server send times it carried. */
export interface Arrival {
  time: number
  stamps: number[]
  text?: string
}

export interface HoldCut {
  /** When the close was seen (ms since the epoch). */
  at: number
  /** Since the connection opened. */
  ageMs: number
  /** Silence before the cut: since the last frame in (data or heartbeat), or since the request when none came — never the close frame's own bytes or a response head a buffering hop held back. */
  idleMs: number
  cause: string
  code: number
  wasClean: boolean
}

export interface HoldResult {
  url: string
  startedAt: number
  requestAt?: number
  /** Response headers (or the 101) arrived. */
  responseAt?: number
  status?: number
  /** The proxy itself answered (it refused a CONNECT tunnel). */
  fromProxy?: boolean
  /** Every answer of a polling session, bounded (a held stream has one). */
  responses: { time: number; status: number; headers: Record<string, string>; body?: string; unchanged?: boolean }[]
  /** When each request went out (polling sends many), bounded. */
  requests: number[]
  /** Lower-cased names. */
  headers: Record<string, string>
  body?: string
  openAt?: number
  arrivals: Arrival[]
  /** The peer or a hop ended it (not the probe). */
  cut?: HoldCut
  errors: { code: string; message: string; time: number }[]
  /** The session's passive findings, when its detectors ran. */
  findings: Finding[]
  /** The probe stopped it (time up, enough seen, cancelled). */
  stoppedByProbe: boolean
  /** It is over (the figures are final). */
  done: boolean
  endedAt: number
}

export interface HoldOptions {
  spec: ConnectionSpecInput
  /** Stop when this fires (the probe's deadline or cancel). */
  signal: AbortSignal
  /** Stop at this time at the latest (ms since the epoch). */
  until?: number
  /** Called once the connection is open: start client heartbeats here. */
  onOpen?(session: Session): void
  /** Called after each batch; return true to stop now. */
  enough?(result: HoldResult): boolean
  timestampField?: string
}

export interface Hold {
  readonly result: Promise<HoldResult>
  /** The figures so far (the same object the result resolves with). */
  readonly current: HoldResult
  stop(): void
}

const MAX_ARRIVALS = 5000

/** Opens a session for `spec` and watches it until it ends, is stopped, or `until` passes. */
export function startHold(manager: SessionManager, options: HoldOptions): Hold {
  const startedAt = Date.now()
  const result: HoldResult = { url: String(options.spec.url), startedAt, headers: {}, responses: [], requests: [], arrivals: [], errors: [], findings: [], stoppedByProbe: false, done: false, endedAt: startedAt }
  const clock = new PayloadClock(options.timestampField ?? '')
  const opened = manager.open(options.spec)
  if (!opened.ok) {
    result.errors.push({ code: opened.error.code, message: opened.error.message, time: startedAt })
    result.done = true
    return { result: Promise.resolve(result), current: result, stop: () => {} }
  }
  const session = opened.value
  const chunked = session.spec.technique === 'sse' || session.spec.technique === 'streaming'
  let finished = false
  let resolve!: (r: HoldResult) => void
  const done = new Promise<HoldResult>((r) => (resolve = r))
  let timer: NodeJS.Timeout | undefined
  /** The last frame in (data, comment, ping, pong) and the last request: where a silence starts. */
  let lastInAt: number | undefined
  let lastRequestAt: number | undefined

  const finish = (byProbe: boolean) => {
    if (finished) return
    finished = true
    result.stoppedByProbe = byProbe && !result.cut
    result.endedAt = Date.now()
    result.done = true
    clearTimeout(timer)
    options.signal.removeEventListener('abort', onAbort)
    unsubscribe()
    session.dispose()
    resolve(result)
  }
  const onAbort = () => finish(true)

  const observe = (frame: Frame) => {
    switch (frame.kind) {
      case 'request':
        lastRequestAt = frame.time
        result.requestAt ??= frame.time
        if (result.requests.length < 50) result.requests.push(frame.time)
        break
      case 'response':
        result.responseAt ??= frame.time
        result.status ??= frame.status
        if (frame.from === 'proxy') result.fromProxy = true
        if (result.responses.length === 0) result.headers = lowerHeaders(frame.headers)
        if (result.responses.length < 50) result.responses.push({ time: frame.time, status: frame.status, headers: lowerHeaders(frame.headers), ...(frame.body !== undefined ? { body: frame.body.slice(0, 1024) } : {}), ...(frame.unchanged ? { unchanged: true } : {}) })
        if (frame.body !== undefined) result.body ??= frame.body.slice(0, 4096)
        break
      case 'open':
        result.openAt ??= frame.time
        if (options.onOpen) setImmediate(() => !finished && options.onOpen!(session))
        break
      case 'comment':
      case 'ping':
      case 'pong':
      case 'event':
        if (frame.direction === 'in') lastInAt = frame.time
        break
      case 'chunk':
      case 'message':
        if (frame.direction !== 'in') break
        lastInAt = frame.time
        // Where raw chunks are shown they are the reads; messages cut from them are not counted again.
        if (chunked && frame.kind === 'message') break
        if (result.arrivals.length < MAX_ARRIVALS) {
          const text = frame.data
          result.arrivals.push({ time: frame.time, stamps: text ? clock.stamps(text, frame.time) : [], ...(text !== undefined && result.arrivals.length < 20 ? { text: text.slice(0, 2048) } : {}) })
        }
        break
      case 'close':
        if (frame.cause !== 'local') {
          const since = Math.max(lastInAt ?? -Infinity, lastRequestAt ?? -Infinity)
          const idleMs = Math.max(0, frame.time - (Number.isFinite(since) ? since : startedAt))
          result.cut = { at: frame.time, ageMs: frame.time - (result.openAt ?? result.responseAt ?? startedAt), idleMs, cause: frame.cause, code: frame.code, wasClean: frame.wasClean }
        }
        break
      case 'error':
        if (result.errors.length < 20) result.errors.push({ code: frame.code, message: frame.message, time: frame.time })
        break
    }
  }

  const onBatch = (batch: FrameBatch) => {
    for (const frame of batch.frames) observe(frame)
    if (batch.findings) result.findings = batch.findings
    if (batch.state === 'closed' || batch.state === 'failed') return setImmediate(() => finish(false))
    if (options.enough?.(result)) setImmediate(() => finish(true))
  }
  const unsubscribe = session.subscribe(onBatch, 100_000)
  if (options.signal.aborted) finish(true)
  else options.signal.addEventListener('abort', onAbort)
  if (options.until !== undefined) timer = setTimeout(() => finish(true), Math.max(0, options.until - Date.now()))
  void session.ended.then(() => setImmediate(() => finish(false)))
  return { result: done, current: result, stop: () => finish(true) }
}

function lowerHeaders(headers: Record<string, string | string[]>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  return out
}

/** Time from the request to the first byte of data, when both were seen. */
export function firstByteMs(hold: HoldResult): number | undefined {
  const first = hold.arrivals[0]
  const from = hold.requestAt ?? hold.startedAt
  return first ? first.time - from : undefined
}

/** Time from the request to the response headers. */
export function headersMs(hold: HoldResult): number | undefined {
  return hold.responseAt !== undefined ? hold.responseAt - (hold.requestAt ?? hold.startedAt) : undefined
}
