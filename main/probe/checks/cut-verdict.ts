// What the held connections say: an idle timeout (silent ones cut alike, one with a
// heartbeat kept alive past it), a maximum lifetime (cut at a constant age while data
// flowed), or both, with the figures, the hop and its documented defaults.
import type { ConnectionSpecInput } from '../../contract/index.js'
import type { Intermediary } from '../../diagnostics/intermediary.js'
import { matchKnownDefaults } from '../../diagnostics/known-defaults.js'
import { MIN_IDLE_CUT_MS } from '../../diagnostics/detectors/cut-facts.js'
import type { HoldResult } from '../hold.js'
import { alike, median, seconds, type ProbeContext } from '../probe-context.js'

export interface CutPlan {
  silent: ConnectionSpecInput[]
  heartbeat?: { spec: ConnectionSpecInput; pings: boolean }
  traffic: ConnectionSpecInput[]
  other?: ConnectionSpecInput
  onPlayground: boolean
}

export interface HoldSet {
  silent: unknown
  heartbeat: unknown
  traffic: unknown
  other: unknown
}

interface VerdictInfo extends CutPlan {
  family: 'sse' | 'websocket'
  heartbeatMs: number
  tickMs: number
  hop: Intermediary | undefined
  /** The probe's time ran out (or it was cancelled) before the holds were done. */
  timedOut: boolean
}

/**
 * The idle time before a silent hold's cut. The playground's silent endpoints send
 * nothing after their first bytes, so the server side was idle from the request on:
 * that is the figure, even when a buffering hop handed those bytes over only at the
 * cut (the client's own "since the last byte" would then read a few ms).
 */
export function silentCut(r: HoldResult, onPlayground = true): number | undefined {
  if (!r.cut || r.openAt === undefined) return undefined
  return onPlayground ? Math.max(r.cut.idleMs, r.cut.at - (r.requestAt ?? r.startedAt)) : r.cut.idleMs
}

const kindName = (family: 'sse' | 'websocket') => (family === 'sse' ? 'HTTP stream (SSE)' : 'WebSocket')
const ageAtEnd = (r: HoldResult) => (r.cut ? r.cut.ageMs : r.endedAt - (r.openAt ?? r.startedAt))
const opened = (r: HoldResult) => r.openAt !== undefined

function howCut(r: HoldResult): string {
  const cut = r.cut!
  const how = cut.cause === 'fin' ? 'FIN' : cut.cause === 'reset' ? 'TCP reset' : cut.cause === 'timeout' ? 'timeout' : 'closed by the far end'
  const code = cut.code === 1006 ? ', 1006 without a close frame' : ''
  return `${how}${code}`
}

export function holdsVerdict(ctx: ProbeContext, r: { silent: HoldResult[]; heartbeat: HoldResult[]; traffic: HoldResult[]; other: HoldResult[] }, info: VerdictInfo): void {
  const kind = kindName(info.family)
  const idleOf = (h: HoldResult) => silentCut(h, info.onPlayground)!
  // An end right after the last byte is the endpoint's own doing (a close frame, a protocol's end), not a silence cut.
  const silentCuts = r.silent.filter((h) => h.cut && opened(h) && idleOf(h) >= MIN_IDLE_CUT_MS)
  const quickEnds = r.silent.filter((h) => h.cut && opened(h) && idleOf(h) < MIN_IDLE_CUT_MS)
  const idle = median(silentCuts.map(idleOf))
  // A ticker cut while data flowed (its last byte recent): its age is the lifetime.
  const tickerCuts = r.traffic.filter((h) => h.cut && opened(h) && h.cut.idleMs < Math.min(h.cut.ageMs / 2, 2 * info.tickMs))
  const lifetime = median(tickerCuts.map((h) => h.cut!.ageMs))
  const beat = r.heartbeat[0]
  const beatCutAlike = beat?.cut && idle !== undefined && alike(beat.cut.ageMs, idle)
  const lifetimeAlikeIdle = lifetime !== undefined && idle !== undefined && alike(lifetime, idle)
  const hopLabel = info.hop?.label
  const other = r.other[0]

  // --- idle timeout ----------------------------------------------------------------
  if (r.silent.every((h) => !opened(h))) {
    const error = r.silent.flatMap((h) => h.errors)[0]
    ctx.update('idle-timeout', { state: 'failed', detail: error ? `the silent connections did not open: ${error.code}: ${error.message}` : 'the silent connections did not open', endedAt: Date.now() })
  } else if (idle === undefined) {
    const longest = Math.max(...r.silent.map(ageAtEnd))
    const limit = info.timedOut ? ' (the time limit; give the probe more time to look further)' : ''
    // Without a playground the "silent" hold is the endpoint itself: if it kept talking, no idle timer was tested.
    const talked = !info.onPlayground && r.silent.some((h) => h.arrivals.length > 1)
    const ended = quickEnds[0]
    const detail = ended
      ? `the connection was ended ${seconds(idleOf(ended))} after its last byte (${howCut(ended)}${ended.cut!.code > 0 && ended.cut!.code !== 1006 ? ` ${ended.cut!.code}` : ''}): the endpoint's own end, not a cut after a silence`
      : talked
        ? `no cut within ${seconds(longest)}, but the endpoint kept sending, so an idle timeout could not be tested (a playground behind the same path can stay silent)`
        : `no cut within ${seconds(longest)} of silence${limit}`
    ctx.update('idle-timeout', { state: 'done', detail, endedAt: Date.now() })
  } else if (lifetimeAlikeIdle || beatCutAlike) {
    ctx.update('idle-timeout', { state: 'done', detail: `silent connections were cut after ${seconds(idle)}, but so were ones with traffic: a maximum lifetime, not an idle timeout`, endedAt: Date.now() })
  } else {
    const repeats = silentCuts.length >= 2 && alike(idleOf(silentCuts[0]!), idleOf(silentCuts[1]!))
    const kept = (beat && opened(beat) && !beat.cut && ageAtEnd(beat) > idle) || r.traffic.some((h) => opened(h) && ageAtEnd(h) > idle + 500 && !(h.cut && alike(h.cut.ageMs, idle)))
    const confidence = repeats && kept ? 'confirmed' : repeats || kept ? 'likely' : 'hint'
    const evidence = silentCuts.map((h, i) => `silent ${kind} ${i + 1}: cut after ${seconds(idleOf(h))} without a byte from the server (${howCut(h)})`)
    if (beat && opened(beat) && !beat.cut) evidence.push(`with ${info.family === 'sse' ? 'an SSE comment' : 'a client ping'} every ${seconds(info.heartbeatMs)}, ${article(kind)} stayed open for ${seconds(ageAtEnd(beat))}`)
    const alive = r.traffic.filter((h) => opened(h) && !h.cut)
    if (alive.length > 0) evidence.push(`with a message every ${seconds(info.tickMs)}, ${article(kind)}${alive.length > 1 ? ` (${alive.length} of them)` : ''} stayed open for ${seconds(Math.min(...alive.map(ageAtEnd)))}`)
    if (!info.onPlayground) evidence.push('held on the endpoint itself (no playground): it sent nothing for that long')
    const measured = Math.round(idle)
    ctx.measured.idleTimeoutMs = measured
    ctx.measured[info.family === 'sse' ? 'streamIdleTimeoutMs' : 'websocketIdleTimeoutMs'] = measured
    const otherNote = otherKind(ctx, other, info, idle)
    if (otherNote) evidence.push(otherNote)
    const knownDefaults = matchKnownDefaults('idle', measured, info.hop?.name)
    ctx.raise({
      id: 'idle-timeout',
      severity: 'warning',
      summary: `${hopLabel ? `${hopLabel} cuts` : 'Something on this path cuts'} ${kind === 'WebSocket' ? 'WebSocket connections' : 'HTTP streams'} after ${seconds(measured)} without a byte${confidence === 'confirmed' ? '; a heartbeat below that keeps them open' : ''}.`,
      evidence,
      remedy: idleRemedy(measured, info),
      confidence,
      measuredMs: measured,
      ...(knownDefaults.length ? { knownDefaults } : {}),
      ...(hopLabel ? { intermediary: hopLabel } : {}),
    })
    ctx.update('idle-timeout', { state: 'done', detail: `cut after ${seconds(measured)} of silence (${confidence})`, endedAt: Date.now() })
  }
  if (idle === undefined) otherKind(ctx, other, info, undefined)

  // --- maximum lifetime ------------------------------------------------------------
  if (info.traffic.length === 0) return
  if (lifetime === undefined) {
    const longest = Math.max(0, ...r.traffic.filter(opened).map(ageAtEnd))
    const why = idle !== undefined && longest > idle ? `longer than the idle cut at ${seconds(idle)}: that one is an idle timeout` : info.timedOut ? 'the time limit' : 'nothing cut it'
    ctx.update('lifetime', { state: r.traffic.some(opened) ? 'done' : 'failed', detail: r.traffic.some(opened) ? `no cut within ${seconds(longest)} while a ticker flowed (${why})` : 'the ticker connections did not open', endedAt: Date.now() })
    return
  }
  const constant = tickerCuts.length >= 2 && alike(tickerCuts[0]!.cut!.ageMs, tickerCuts[1]!.cut!.ageMs)
  const measured = Math.round(lifetime)
  ctx.measured.lifetimeMs = measured
  const evidence = tickerCuts.map((h, i) => `${kind} with a message every ${seconds(info.tickMs)} (${i + 1}): cut at an age of ${seconds(h.cut!.ageMs)}, ${seconds(h.cut!.idleMs)} after its last byte (${howCut(h)})`)
  if (lifetimeAlikeIdle) evidence.push(`silent connections were cut at the same age (${seconds(idle!)}): traffic makes no difference`)
  if (beat?.cut) evidence.push(`one with a heartbeat every ${seconds(info.heartbeatMs)}: cut at ${seconds(beat.cut.ageMs)}`)
  const knownDefaults = matchKnownDefaults('lifetime', measured, info.hop?.name)
  ctx.raise({
    id: 'max-lifetime',
    severity: 'warning',
    summary: `${hopLabel ? `${hopLabel} ends` : 'Something on this path ends'} ${kind === 'WebSocket' ? 'WebSocket connections' : 'HTTP streams'} at an age of ${seconds(measured)} even while data flows: a maximum lifetime, not an idle timeout.`,
    evidence,
    remedy: `Heartbeats do not help against a lifetime: reconnect before ${seconds(measured)} (or on the cut, resuming with Last-Event-ID or a cursor), or raise the limit on the hop (a route/backend timeout: GCP backend timeout, Envoy route timeout, a load balancer's maximum connection age).`,
    confidence: constant ? 'confirmed' : 'likely',
    measuredMs: measured,
    ...(knownDefaults.length ? { knownDefaults } : {}),
    ...(hopLabel ? { intermediary: hopLabel } : {}),
  })
  ctx.update('lifetime', { state: 'done', detail: `cut at a constant age of ${seconds(measured)} while data flowed (${constant ? 'confirmed' : 'likely'})`, endedAt: Date.now() })
}

/** The other kind's idle figure: said in the evidence, and a finding of its own when the user's kind was not cut. */
function otherKind(ctx: ProbeContext, other: HoldResult | undefined, info: VerdictInfo, idle: number | undefined): string | undefined {
  if (!other?.cut || !opened(other)) return undefined
  const family = info.family === 'sse' ? 'websocket' : 'sse'
  const ms = Math.round(silentCut(other, info.onPlayground)!)
  ctx.measured[family === 'sse' ? 'streamIdleTimeoutMs' : 'websocketIdleTimeoutMs'] = ms
  const note = `a silent ${kindName(family)} was cut after ${seconds(ms)}${idle !== undefined && !alike(ms, idle) ? ` — a different timer than for ${info.family === 'sse' ? 'HTTP streams' : 'WebSockets'} (HAProxy: timeout tunnel vs timeout server)` : ''}`
  if (idle !== undefined) return note
  ctx.raise({
    id: 'idle-timeout',
    severity: 'warning',
    summary: `${info.hop ? info.hop.label : 'Something on this path'} cuts ${family === 'websocket' ? 'WebSocket connections' : 'HTTP streams'} after ${seconds(ms)} without a byte (seen once; the endpoint's own kind was not cut).`,
    evidence: [note],
    remedy: idleRemedy(ms, { ...info, family }),
    confidence: 'hint',
    measuredMs: ms,
    ...(info.hop ? { intermediary: info.hop.label } : {}),
  })
  return note
}

function idleRemedy(ms: number, info: Pick<VerdictInfo, 'family' | 'hop'>): string {
  const every = seconds(Math.max(500, Math.floor(ms / 2 / 1000) * 1000 || ms / 2))
  const beat = info.family === 'sse' ? `an SSE comment line (\`: ping\`) every ${every} or less` : `a WebSocket ping every ${every} or less (from either side)`
  const hop = info.hop?.name
  const knob = hop === 'nginx' ? 'raise proxy_read_timeout in nginx' : hop === 'HAProxy' ? `raise HAProxy's ${info.family === 'sse' ? 'timeout server' : 'timeout tunnel'}` : hop === 'Squid' ? "raise Squid's read_timeout" : "raise the hop's idle timeout"
  return `Send ${beat}, or ${knob}.`
}

const article = (kind: string) => `${/^[AEIOUH]/.test(kind) ? 'an' : 'a'} ${kind}`
