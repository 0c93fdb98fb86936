// silent-drop (docs/diagnostics.md): the connection is open but nothing arrives any
// more — no FIN, no RST, just silence past a heartbeat deadline (a load balancer or
// NAT that forgot the flow). The deadline is the user's
// (`spec.diagnostics.heartbeatDeadlineMs`), else the protocol's own beat (Engine.IO
// pingInterval + pingTimeout, a GraphQL keep-alive), else learned from a regular
// rhythm of inbound frames. While the protocol says nothing is due (every operation
// completed) silence is no finding, and neither is its normal end.
//
// Only persistent connections (SSE, WebSocket, streaming) are watched without a
// protocol: a poll or a held long-poll is silent by design between answers, and its
// request timeout already says when an answer is overdue. A protocol's beat runs over
// long-polling too (Engine.IO), so with one every technique is watched.
import type { ProtocolFacts, TechniqueName } from '../../contract/index.js'
import type { AttemptFacts } from '../attempt-facts.js'
import type { Detector, DetectorContext } from '../detector.js'
import { formatMs } from '../../contract/format.js'
import { median } from './figures.js'

const WATCHED: TechniqueName[] = ['sse', 'websocket', 'streaming']
/** Regular gaps needed before a rhythm is trusted. */
const MIN_GAPS = 3
/** The newest gaps the rhythm is learned from. */
const RHYTHM_GAPS = 8

export interface Deadline {
  ms: number
  /** "set in the connection (heartbeatDeadlineMs)" or "learned: frames arrived every 0.3 s". */
  why: string
}

/** The silence after which this attempt counts as dropped, if one is known. */
export function deadlineOf(attempt: AttemptFacts, configuredMs: number, protocol?: ProtocolFacts): Deadline | undefined {
  if (configuredMs > 0) return { ms: configuredMs, why: `the deadline set for this connection (diagnostics.heartbeatDeadlineMs = ${configuredMs})` }
  const beat = protocol?.heartbeatDeadlineMs
  if (beat !== undefined && beat > 0) return { ms: beat, why: `the ${protocol!.protocol} heartbeat: ${protocol!.heartbeatWhy ?? `nothing for ${formatMs(beat)} means the connection is dead`}` }
  const recent = attempt.inboundGaps.slice(-RHYTHM_GAPS)
  // The rhythm is what came after the last pause far longer than the usual gap: the
  // pauses of a chatty stream (or a stall already reported) teach nothing about when
  // the next frame is due, and a stream that pauses at random has no rhythm at all.
  const usual = median(recent)
  const lastPause = recent.findLastIndex((gap) => gap > usual * 2 + 100)
  const gaps = recent.slice(lastPause + 1)
  if (gaps.length < MIN_GAPS) return undefined
  const typical = median(gaps)
  const longest = Math.max(...gaps)
  return { ms: Math.max(3 * longest, longest + 2000), why: `learned: frames arrived every ${formatMs(typical)} (at most ${formatMs(longest)} apart) before the silence` }
}

interface Episode {
  attempt: AttemptFacts
  /** The last frame in before the silence. */
  since: number
  deadline: Deadline
  detectedAt: number
  /** How it ended: data came again, the connection closed, or not yet. */
  outcome?: { kind: 'resumed' | 'closed'; at: number; detail: string; seq?: number }
}

export function silentDropDetector(): Detector {
  const episodes: Episode[] = []

  const open = (attempt: AttemptFacts | undefined) => attempt?.open !== undefined && attempt.close === undefined

  function silenceStart(attempt: AttemptFacts, ctx: DetectorContext): number {
    const since = attempt.lastInAt ?? attempt.open?.time ?? attempt.startedAt
    // Silence while nothing was due does not count: it starts again when something is.
    const active = ctx.facts.protocolActiveSince
    return active !== undefined && active > since ? active : since
  }

  /** The protocol says nothing is due now, or that the session ended as it should. */
  function nothingDue(attempt: AttemptFacts, ctx: DetectorContext): boolean {
    const protocol = ctx.facts.protocol
    return protocol?.idle === true || protocol?.ended !== undefined || attempt.protocolEnded !== undefined
  }

  function report(ctx: DetectorContext): void {
    const latest = episodes.at(-1)
    if (!latest) return
    const dropped = episodes.filter((e) => e.outcome?.kind !== 'resumed')
    const stalls = episodes.length - dropped.length
    const lines = episodes.slice(-15).map(describe)
    const subject = dropped.length > 0 ? dropped.at(-1)! : latest
    const silence = (subject.outcome?.at ?? subject.detectedAt) - subject.since
    const summary =
      dropped.length === 0
        ? `The connection went silent past its heartbeat deadline (${formatMs(latest.deadline.ms)}), then data came again: a stall, not a drop`
        : `The connection went silent: nothing arrived for ${formatMs(silence)}, past the ${formatMs(subject.deadline.ms)} heartbeat deadline, with no FIN or reset — it was probably dropped on the way`
    ctx.raise({
      id: 'silent-drop',
      severity: dropped.length === 0 ? 'info' : 'warning',
      confidence: dropped.length === 0 ? 'hint' : dropped.length >= 3 ? 'confirmed' : 'likely',
      summary,
      evidence: [...lines, subject.deadline.why, ...(stalls > 0 && dropped.length > 0 ? [`${stalls} other silence(s) ended when data came again`] : [])],
      remedy:
        'Nothing tells either side when a flow is dropped silently (a load balancer or NAT forgetting an idle flow; Azure Load Balancer does so after 4 min): have the client treat a missed heartbeat as a dead connection and reconnect, keep a heartbeat well below the path’s idle limit, and turn on TCP keepalive where you can.',
      measuredMs: Math.round(silence),
      seqs: episodes.flatMap((e) => (e.outcome?.seq !== undefined ? [e.outcome.seq] : [])),
      times: episodes.flatMap((e) => [e.since, e.outcome?.at ?? e.detectedAt]),
    })
  }

  function describe(e: Episode): string {
    const head = `attempt ${e.attempt.number}: nothing for ${formatMs((e.outcome?.at ?? e.detectedAt) - e.since)} after the last frame`
    if (!e.outcome) return `${head}, still open`
    return `${head}, then ${e.outcome.detail}`
  }

  /** An episode for the silence now on `attempt`, when it passed its deadline. */
  function detect(attempt: AttemptFacts, now: number, ctx: DetectorContext): Episode | undefined {
    const protocol = ctx.facts.protocol
    if (!WATCHED.includes(ctx.facts.technique) && !protocol?.heartbeatDeadlineMs) return undefined
    const since = silenceStart(attempt, ctx)
    const known = episodes.find((e) => e.attempt === attempt && e.since === since)
    if (known) return known
    if (nothingDue(attempt, ctx)) return undefined
    const deadline = deadlineOf(attempt, ctx.spec.diagnostics?.heartbeatDeadlineMs ?? 0, protocol)
    if (!deadline || now - since <= deadline.ms) return undefined
    const episode: Episode = { attempt, since, deadline, detectedAt: now }
    episodes.push(episode)
    if (episodes.length > 50) episodes.shift()
    return episode
  }

  return {
    name: 'silent-drop',
    onTick(now, ctx) {
      const attempt = ctx.current
      if (!attempt || !open(attempt)) return
      const before = episodes.length
      detect(attempt, now, ctx)
      if (episodes.length > before) report(ctx)
    },
    onFrame(frame, ctx) {
      const attempt = ctx.current
      if (!attempt) return
      if (frame.kind === 'close') {
        // A recording has no ticks: a silence past the deadline that only the user (or
        // the client's own timeout) ended is found here.
        const cause = attempt.close?.cause
        const episode = cause === 'local' || cause === 'timeout' ? detect(attempt, frame.time, ctx) : episodes.find((e) => e.attempt === attempt && e.since === silenceStart(attempt, ctx))
        if (!episode || episode.outcome) return
        const how = cause === 'local' ? 'closed by the user' : cause === 'timeout' ? 'timed out' : cause === 'remote-close' ? 'ended by the server' : `cut (${cause === 'reset' ? 'RST' : 'FIN'})`
        episode.outcome = { kind: 'closed', at: frame.time, detail: how, seq: frame.seq }
        report(ctx)
        return
      }
      resumed(attempt, frame.time, frame.seq, ctx)
    },
    onSample(sample, ctx) {
      if (ctx.current) resumed(ctx.current, sample.time, sample.seq, ctx)
    },
    reset() {
      episodes.length = 0
    },
  }

  function resumed(attempt: AttemptFacts, time: number, seq: number, ctx: DetectorContext): void {
    const episode = episodes.findLast((e) => e.attempt === attempt && !e.outcome)
    if (!episode || attempt.lastInAt === undefined || attempt.lastInAt <= episode.since) return
    episode.outcome = { kind: 'resumed', at: time, detail: `data came again`, seq }
    report(ctx)
  }
}
