// reconnect-storm (docs/diagnostics.md): reconnecting faster than the policy (or the
// server's SSE `retry`) allows, a run of short-lived connections one after another,
// or — for every technique and protocol alike — more than a few requests or
// connection attempts a second to one endpoint (a long-poll answered at once, a
// handshake repeated in a loop). All of them hammer the server and, behind a proxy,
// usually mean each attempt fails the same way. A healthy poll never counts.
import type { Frame, TechniqueName } from '../../contract/index.js'
import type { AttemptFacts, SessionFacts } from '../attempt-facts.js'
import type { Detector, DetectorContext } from '../detector.js'
import { formatMs } from '../../contract/format.js'
import { worthUpdating } from './figures.js'

/** A run of this many attempts… */
export const STORM_ATTEMPTS = 5
/** …all started within this window… */
export const STORM_WINDOW_MS = 10_000
/** …each lasting less than this, is a storm. */
export const SHORT_LIVED_MS = 1000
/** A reconnect may start this much before its announced delay (timers, a busy loop) without counting as early. */
const EARLY_SLACK_MS = 100
/** More requests (or connection attempts) than this within one second to one endpoint is a storm. */
export const MAX_PER_SECOND = 5
const RATE_WINDOW_MS = 1000
/**
 * A poll every 200 ms is five a second, at the limit: timers and clocks put its sixth
 * request a hair inside the second. Asks count together only when they come this much
 * closer than a second, so the limit itself is never a storm.
 */
const TIMER_SLACK_MS = 50
/** Endpoints watched at once (a session talks to one or two). */
const MAX_ENDPOINTS = 8

/** The requests (or connection attempts) to one endpoint: those of the last second, and the worst second. */
interface Rate {
  endpoint: string
  what: 'requests' | 'connection attempts'
  window: number[]
  peak: number
  peakAt: number
  /** Since the first second over the limit: when, how many since, the seqs that show it. */
  stormStart?: number
  stormCount: number
  stormEnd: number
  seqs: number[]
}

interface EarlyStart {
  attempt: AttemptFacts
  waitedMs: number
  announcedMs: number
  seq: number
}

export function reconnectStormDetector(): Detector {
  const rates = new Map<string, Rate>()
  /** An outgoing message came since the last request. */
  let sending = false
  return {
    name: 'reconnect-storm',
    onFrame(frame, ctx) {
      // A request that carries what was just sent (an Engine.IO POST, an operation
      // POSTed to a stream) is the user or the protocol talking, not the tool asking
      // again: only asks count.
      if (frame.kind === 'message' && frame.direction === 'out') sending = true
      const carriesSend = frame.kind === 'request' && sending && frame.method !== 'GET'
      if (frame.kind === 'request') sending = false
      const counted = (frame.kind === 'request' && !carriesSend) || frame.kind === 'connecting'
      const stormy = counted && countAsk(rates, frame)
      if (frame.kind === 'connecting' || frame.kind === 'close' || stormy) judge(ctx, worstRate(rates))
    },
    reset() {
      rates.clear()
      sending = false
    },
  }
}

/** Counts a request or a connection attempt; true when its endpoint is over the limit now. */
function countAsk(rates: Map<string, Rate>, frame: Extract<Frame, { kind: 'request' | 'connecting' }>): boolean {
  const what = frame.kind === 'request' ? 'requests' : 'connection attempts'
  const endpoint = endpointOf(frame.url)
  const key = `${what} ${endpoint}`
  let rate = rates.get(key)
  if (!rate) {
    if (rates.size >= MAX_ENDPOINTS) rates.delete(rates.keys().next().value!)
    rate = { endpoint, what, window: [], peak: 0, peakAt: frame.time, stormCount: 0, stormEnd: frame.time, seqs: [] }
    rates.set(key, rate)
  }
  const window = rate.window
  window.push(frame.time)
  while (window.length > 0 && window[0]! <= frame.time - (RATE_WINDOW_MS - TIMER_SLACK_MS)) window.shift()
  if (window.length > rate.peak) {
    rate.peak = window.length
    rate.peakAt = frame.time
  }
  if (rate.stormStart !== undefined) {
    rate.stormCount++
    rate.stormEnd = frame.time
  }
  if (window.length <= MAX_PER_SECOND) return false
  if (rate.stormStart === undefined) {
    rate.stormStart = window[0]!
    rate.stormCount = window.length
    rate.stormEnd = frame.time
  }
  rate.seqs.push(frame.seq)
  if (rate.seqs.length > 50) rate.seqs.shift()
  return true
}

function worstRate(rates: Map<string, Rate>): Rate | undefined {
  let worst: Rate | undefined
  for (const rate of rates.values()) if (rate.stormStart !== undefined && (!worst || rate.peak > worst.peak)) worst = rate
  return worst
}

/** Where requests go, without the query: a cursor or a session id changes it on every request. */
function endpointOf(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`
  } catch {
    return url.split('?')[0]!
  }
}

function judge(ctx: DetectorContext, rate: Rate | undefined): void {
  const { facts } = ctx
  const run = shortLivedRun(facts)
  const early = earlyStarts(facts)
  if (!run && early.length === 0 && !rate) return
  const count = Math.max(run?.length ?? 0, early.length, rate?.stormCount ?? 0)
  if (!worthUpdating(ctx.raised('reconnect-storm')?.times?.length ?? 0, count)) return
  const evidence: string[] = []
  let summary = `Reconnecting sooner than announced: ${early.length} attempt(s) started before their reconnect delay was over`
  if (run) {
    // Short-lived connections say the most: how each one ended is the lead.
    const spanMs = run.at(-1)!.startedAt - run[0]!.startedAt
    const lives = run.map(lifetime)
    summary = `Reconnecting in a storm: ${run.length} connections in ${formatMs(spanMs)}, each lasting under ${formatMs(SHORT_LIVED_MS)}`
    evidence.push(`attempts ${run[0]!.number}–${run.at(-1)!.number} started within ${formatMs(spanMs)}; each lived ${formatMs(Math.min(...lives))}–${formatMs(Math.max(...lives))}`)
    const delays = facts.reconnects.filter((r) => r.time >= run[0]!.startedAt && r.time <= run.at(-1)!.startedAt).map((r) => r.delayMs)
    if (delays.length > 0) evidence.push(`waits between them: ${formatMs(Math.min(...delays))}–${formatMs(Math.max(...delays))}`)
    const ends = endings(run)
    if (ends) evidence.push(`how they ended: ${ends}`)
  } else if (rate) {
    summary = `Asking too often: up to ${rate.peak} ${rate.what} a second to ${rate.endpoint}`
  }
  if (rate) {
    const span = Math.max(rate.stormEnd - rate.stormStart!, RATE_WINDOW_MS)
    evidence.push(`${rate.peak} ${rate.what} to ${rate.endpoint} within one second, the most seen (more than ${MAX_PER_SECOND} a second to one endpoint hammers it); ${rate.stormCount} in ${formatMs(span)} since the first second over the limit`)
  }
  for (const e of early.slice(-8)) evidence.push(`attempt ${e.attempt.number} started ${formatMs(e.waitedMs)} after the previous ended, though ${formatMs(e.announcedMs)} was announced`)
  const seqs = [...(run ?? []).map((a) => a.connectingSeq), ...early.map((e) => e.seq), ...(rate?.seqs ?? [])].sort((a, b) => a - b)
  const times = run ? run.map((a) => a.startedAt) : early.length > 0 ? early.map((e) => e.attempt.startedAt) : [rate!.stormStart!, rate!.peakAt]
  ctx.raise({
    id: 'reconnect-storm',
    severity: 'warning',
    summary,
    evidence,
    remedy: remedyFor(facts.technique, rate),
    ...(rate ? { measuredMs: Math.round(RATE_WINDOW_MS / rate.peak) } : {}),
    seqs,
    // One time per attempt or request counted: the finding is updated as that count grows by half.
    times: [...times, ...new Array<number>(Math.max(0, count - times.length)).fill(times.at(-1)!)],
  })
}

function remedyFor(technique: TechniqueName, rate: Rate | undefined): string {
  const backOff =
    'Back off: start reconnect delays at a second or more and grow them with jitter (reconnect.initialDelayMs, reconnect.multiplier); an SSE server should send a `retry:` of a few seconds. Then find out why each connection ends so soon — the close reasons above say how they ended.'
  if (!rate) return backOff
  if (technique === 'long-polling' && rate.what === 'requests')
    return 'The server answers each long-poll at once instead of holding it: have it hold the request until it has something (or answer with a cursor to resume from), and keep a floor between requests on the client (longPolling.minIntervalMs) that grows while answers keep coming at once.'
  if (technique === 'polling' && rate.what === 'requests') return 'Poll less often (polling.intervalMs): a few times a second is already more than most servers want from one client.'
  return backOff
}

/** How long an attempt lived: to its close, or to its last error when it failed before opening. */
function lifetime(attempt: AttemptFacts): number {
  const end = attempt.close?.time ?? attempt.errors.at(-1)?.time
  return end === undefined ? Infinity : end - attempt.startedAt
}

/** The newest run of STORM_ATTEMPTS+ consecutive short-lived attempts within the window, if any. */
function shortLivedRun(facts: SessionFacts): AttemptFacts[] | undefined {
  // The attempt in progress has not ended, whatever errors it reported so far.
  const ended = facts.attempts.filter((a) => a.close || (a !== facts.current && a.errors.length > 0))
  let best: AttemptFacts[] | undefined
  let run: AttemptFacts[] = []
  for (const attempt of ended) {
    if (lifetime(attempt) >= SHORT_LIVED_MS || (run.length > 0 && attempt.number !== run.at(-1)!.number + 1)) run = []
    if (lifetime(attempt) >= SHORT_LIVED_MS) continue
    run.push(attempt)
    while (run.length > 0 && attempt.startedAt - run[0]!.startedAt > STORM_WINDOW_MS) run.shift()
    if (run.length >= STORM_ATTEMPTS) best = [...run]
  }
  return best
}

/** Attempts that started before the delay their `reconnect` frame announced was over. */
function earlyStarts(facts: SessionFacts): EarlyStart[] {
  const early: EarlyStart[] = []
  for (const reconnect of facts.reconnects) {
    const next = facts.attempts.find((a) => a.number === reconnect.attempt && a.startedAt >= reconnect.time)
    if (!next) continue
    const waitedMs = next.startedAt - reconnect.time
    if (waitedMs < reconnect.delayMs - Math.max(EARLY_SLACK_MS, reconnect.delayMs * 0.1)) early.push({ attempt: next, waitedMs, announcedMs: reconnect.delayMs, seq: next.connectingSeq })
  }
  return early
}

function endings(run: AttemptFacts[]): string | undefined {
  const counts = new Map<string, number>()
  for (const attempt of run) {
    const close = attempt.close
    const error = attempt.errors.at(-1)
    const what = close ? (close.code ? `${close.code} ${close.reason}`.trim() : close.reason || close.cause) : `${error?.code ?? 'failed'} before opening`
    counts.set(what, (counts.get(what) ?? 0) + 1)
  }
  return [...counts].map(([what, n]) => `${what} (${n}×)`).join('; ') || undefined
}
