// reconnect-storm (docs/diagnostics.md): reconnecting faster than the policy (or the server's SSE
// `retry`) allows, or a run of short-lived connections one after another — both hammer
// the server and, behind a proxy, usually mean each attempt fails the same way.
// Polling is one attempt with many requests, so a healthy poll never counts here.
import type { AttemptFacts, SessionFacts } from '../attempt-facts.js'
import type { Detector, DetectorContext } from '../detector.js'
import { formatMs, worthUpdating } from './figures.js'

/** A run of this many attempts… */
export const STORM_ATTEMPTS = 5
/** …all started within this window… */
export const STORM_WINDOW_MS = 10_000
/** …each lasting less than this, is a storm. */
export const SHORT_LIVED_MS = 1000
/** A reconnect may start this much before its announced delay (timers, a busy loop) without counting as early. */
const EARLY_SLACK_MS = 100

interface EarlyStart {
  attempt: AttemptFacts
  waitedMs: number
  announcedMs: number
  seq: number
}

export function reconnectStormDetector(): Detector {
  return {
    name: 'reconnect-storm',
    onFrame(frame, ctx) {
      if (frame.kind === 'connecting' || frame.kind === 'close') judge(ctx)
    },
  }
}

function judge(ctx: DetectorContext): void {
  const { facts } = ctx
  const run = shortLivedRun(facts)
  const early = earlyStarts(facts)
  if (!run && early.length === 0) return
  if (!worthUpdating(ctx.raised('reconnect-storm')?.times?.length ?? 0, run?.length ?? early.length)) return
  const evidence: string[] = []
  let summary: string
  if (run) {
    const spanMs = run.at(-1)!.startedAt - run[0]!.startedAt
    const lives = run.map(lifetime)
    summary = `Reconnecting in a storm: ${run.length} connections in ${formatMs(spanMs)}, each lasting under ${formatMs(SHORT_LIVED_MS)}`
    evidence.push(`attempts ${run[0]!.number}–${run.at(-1)!.number} started within ${formatMs(spanMs)}; each lived ${formatMs(Math.min(...lives))}–${formatMs(Math.max(...lives))}`)
    const delays = facts.reconnects.filter((r) => r.time >= run[0]!.startedAt && r.time <= run.at(-1)!.startedAt).map((r) => r.delayMs)
    if (delays.length > 0) evidence.push(`waits between them: ${formatMs(Math.min(...delays))}–${formatMs(Math.max(...delays))}`)
    const ends = endings(run)
    if (ends) evidence.push(`how they ended: ${ends}`)
  } else {
    summary = `Reconnecting sooner than announced: ${early.length} attempt(s) started before their reconnect delay was over`
  }
  for (const e of early.slice(-8)) evidence.push(`attempt ${e.attempt.number} started ${formatMs(e.waitedMs)} after the previous ended, though ${formatMs(e.announcedMs)} was announced`)
  const seqs = [...(run ?? []).map((a) => a.connectingSeq), ...early.map((e) => e.seq)].sort((a, b) => a - b)
  ctx.raise({
    id: 'reconnect-storm',
    severity: 'warning',
    summary,
    evidence,
    remedy:
      'Back off: start reconnect delays at a second or more and grow them with jitter (reconnect.initialDelayMs, reconnect.multiplier); an SSE server should send a `retry:` of a few seconds. Then find out why each connection ends so soon — the close reasons above say how they ended.',
    seqs,
    times: (run ?? early.map((e) => e.attempt)).map((a) => a.startedAt),
  })
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
