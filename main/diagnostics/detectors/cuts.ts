// The "cuts" family (docs/diagnostics.md): idle-timeout, max-lifetime, connection-reset and
// abnormal-close all judge the same closes, so one detector reads them once per close
// and decides which finding explains which cut.
//
// abnormal-close (a WebSocket 1006) is folded into the others: a 1006 after a silence
// is idle-timeout's evidence, one while data flowed at a constant age is
// max-lifetime's, one with a real RST is connection-reset's — each of those says
// "close 1006" in its evidence line. abnormal-close is raised only for a 1006 none of
// them explains, so one cut never raises two warnings that say the same thing.
import type { DetectorContext, Detector } from '../detector.js'
import { matchKnownDefaults } from '../known-defaults.js'
import { formatMs } from '../../contract/format.js'
import { confidenceOf, largestAgreeing, median, worthUpdating } from './figures.js'
import { cutsOf, heartbeatFor, hopOf, idleLine, idleSettingFor, lifetimeLine, type Cut, type Hop } from './cut-facts.js'

/** Evidence lines about cuts kept per finding (the newest), leaving room for the hop's. */
const CUT_LINES = 15

export function cutsDetector(): Detector {
  return {
    name: 'cuts',
    onFrame(frame, ctx) {
      if (frame.kind === 'close') judge(ctx)
    },
  }
}

function judge(ctx: DetectorContext): void {
  const cuts = cutsOf(ctx.facts)
  if (cuts.length === 0) return
  const hop = hopOf(ctx)
  const explained = new Set<Cut>()
  for (const cut of idleTimeout(cuts, hop, ctx)) explained.add(cut)
  for (const cut of maxLifetime(cuts, hop, ctx)) explained.add(cut)
  for (const cut of connectionReset(cuts, hop, ctx)) explained.add(cut)
  abnormalClose(cuts.filter((cut) => !explained.has(cut)), ctx)
}

const where = (hop: Hop | undefined) => hop?.intermediary.label ?? 'a proxy or load balancer on the path'

function jumpTargets(cuts: Cut[], hop: Hop | undefined): number[] {
  const seqs = cuts.map((cut) => cut.close.seq)
  if (hop && hop.seq > 0) seqs.push(hop.seq)
  return seqs.sort((a, b) => a - b)
}

/** Raises idle-timeout; answers the cuts it explains. */
function idleTimeout(cuts: Cut[], hop: Hop | undefined, ctx: DetectorContext): Cut[] {
  const idle = cuts.filter((cut) => cut.shape === 'idle')
  const group = largestAgreeing(idle, (cut) => cut.idleMs)
  if (group.length === 0) return []
  // One cut after a silence, with a whole body and nobody in between, is a server's choice.
  if (group.length === 1 && !hop && group[0]!.close.wasClean) return []
  const n = group.length
  const measured = Math.round(median(group.map((cut) => cut.idleMs)))
  const others = idle.filter((cut) => !group.includes(cut))
  const technique = ctx.facts.technique
  const polls = technique === 'polling' || technique === 'long-polling'
  const keepBusyEvery = formatMs(Math.max(500, Math.floor(measured / 2000) * 1000))
  const summary =
    n === 1
      ? `The connection was cut after ${formatMs(measured)} of silence: probably an idle timeout in ${where(hop)}`
      : `${n} connections were cut after ${formatMs(measured)} of silence each: an idle timeout in ${where(hop)}`
  const evidence = [
    ...group.slice(-CUT_LINES).map(idleLine),
    ...(others.length > 0 ? [`cut after other silences: ${others.map((cut) => `attempt ${cut.attempt.number} (${formatMs(cut.idleMs)})`).join(', ')}`] : []),
    ...(hop ? [`${hop.line} — the hop in between`] : []),
  ]
  const remedy = polls
    ? `Hold each request for less than ${formatMs(measured)} (answer empty and let the client ask again), or raise ${idleSettingFor(hop?.intermediary, technique)}.`
    : `Keep the line busy: send ${heartbeatFor(technique)} at least every ${keepBusyEvery}, below the ${formatMs(measured)} cut — or raise ${idleSettingFor(hop?.intermediary, technique)}.`
  ctx.raise({
    id: 'idle-timeout',
    severity: n === 1 ? 'info' : 'warning',
    confidence: confidenceOf(n),
    summary,
    evidence,
    remedy,
    measuredMs: measured,
    knownDefaults: matchKnownDefaults('idle', measured, hop?.intermediary.name),
    ...(hop ? { intermediary: hop.intermediary.label } : {}),
    seqs: jumpTargets(group, hop),
    times: group.map((cut) => cut.close.time),
  })
  return idle
}

/** Raises max-lifetime; answers the cuts it explains. */
function maxLifetime(cuts: Cut[], hop: Hop | undefined, ctx: DetectorContext): Cut[] {
  const flowing = cuts.filter((cut) => cut.shape === 'lifetime')
  const group = largestAgreeing(flowing, (cut) => cut.ageMs)
  if (group.length === 0) return []
  const n = group.length
  const measured = Math.round(median(group.map((cut) => cut.ageMs)))
  const knownDefaults = matchKnownDefaults('lifetime', measured, hop?.intermediary.name)
  // One cut while data flowed is only a lifetime when something points at a hop that has one.
  if (n === 1 && !hop && knownDefaults.length === 0) return []
  const idles = group.map((cut) => cut.idleMs)
  const summary =
    n === 1
      ? `The connection was cut ${formatMs(measured)} after it opened while data was flowing: possibly a maximum connection lifetime in ${where(hop)}`
      : `${n} connections were cut ${formatMs(measured)} after they opened, while data was flowing: a maximum connection lifetime in ${where(hop)}, not an idle timeout`
  const evidence = [
    ...group.slice(-CUT_LINES).map(lifetimeLine),
    ...(n > 1 ? [`the silence before each cut varied (${formatMs(Math.min(...idles))}–${formatMs(Math.max(...idles))}); the age did not`] : []),
    ...(hop ? [`${hop.line} — the hop in between`] : []),
  ]
  ctx.raise({
    id: 'max-lifetime',
    severity: n === 1 ? 'info' : 'warning',
    confidence: confidenceOf(n),
    summary,
    evidence,
    remedy: `Traffic does not keep this connection open: reconnect on your own before ${formatMs(measured)} (resuming with Last-Event-ID or a cursor so nothing is lost), or raise the maximum duration of ${hop ? hop.intermediary.label : 'the hop'} (a load balancer's backend or route timeout).`,
    measuredMs: measured,
    knownDefaults,
    ...(hop ? { intermediary: hop.intermediary.label } : {}),
    seqs: jumpTargets(group, hop),
    times: group.map((cut) => cut.close.time),
  })
  return flowing
}

/** Raises connection-reset for real RSTs (the techniques tell them from a FIN mid-body); answers them. */
function connectionReset(cuts: Cut[], hop: Hop | undefined, ctx: DetectorContext): Cut[] {
  const resets = cuts.filter((cut) => cut.close.cause === 'reset')
  if (resets.length === 0) return []
  const n = resets.length
  if (!worthUpdating(ctx.raised('connection-reset')?.times?.length ?? 0, n)) return resets
  const afterSilence = largestAgreeing(
    resets.filter((cut) => cut.shape === 'idle'),
    (cut) => cut.idleMs,
  )
  const constantIdle = afterSilence.length >= 2 ? Math.round(median(afterSilence.map((cut) => cut.idleMs))) : undefined
  const summary =
    (n === 1 ? 'The connection was reset (TCP RST)' : `${n} connections were reset (TCP RST)`) +
    (constantIdle !== undefined ? `, each after ${formatMs(constantIdle)} of silence` : '') +
    (hop ? `; ${hop.intermediary.label} is in the path` : '')
  const errorSeqs = resets.flatMap((cut) => cut.attempt.errors.filter((e) => e.code === 'E_CONNECTION_RESET').map((e) => e.seq))
  ctx.raise({
    id: 'connection-reset',
    severity: 'warning',
    summary,
    evidence: [
      ...resets.slice(-CUT_LINES).map((cut) => `attempt ${cut.attempt.number}: reset ${formatMs(cut.ageMs)} after it opened, ${formatMs(cut.idleMs)} after the last byte (${cut.close.bytesIn} bytes in)`),
      'the reset came from the socket itself (read ECONNRESET), not a FIN mid-body',
      ...(hop ? [`${hop.line} — the hop in between`] : []),
    ],
    remedy:
      constantIdle !== undefined
        ? `A constant silence before each reset is an idle timer that resets instead of closing: keep the line busy below ${formatMs(constantIdle)}, or raise ${idleSettingFor(hop?.intermediary, ctx.facts.technique)}.`
        : 'A reset aborts the connection and loses what was in flight. Look in the server’s and the proxy’s logs at these times for why it aborted (a crash, a restart, a firewall or load balancer dropping the flow); reconnect with a resume point.',
    ...(constantIdle !== undefined ? { measuredMs: constantIdle } : {}),
    ...(hop ? { intermediary: hop.intermediary.label } : {}),
    seqs: [...jumpTargets(resets, hop), ...errorSeqs].sort((a, b) => a - b),
    times: resets.map((cut) => cut.close.time),
  })
  return resets
}

/** A WebSocket 1006 that no other finding explains. */
function abnormalClose(unexplained: Cut[], ctx: DetectorContext): void {
  const abnormal = unexplained.filter((cut) => ctx.facts.technique === 'websocket' && cut.close.code === 1006)
  if (abnormal.length === 0) return
  const n = abnormal.length
  if (!worthUpdating(ctx.raised('abnormal-close')?.times?.length ?? 0, n)) return
  ctx.raise({
    id: 'abnormal-close',
    severity: 'warning',
    summary: n === 1 ? 'The WebSocket closed without a close frame (1006)' : `The WebSocket closed without a close frame (1006) ${n} times`,
    evidence: abnormal.slice(-CUT_LINES).map((cut) => `attempt ${cut.attempt.number}: 1006 ${formatMs(cut.ageMs)} after it opened, ${formatMs(cut.idleMs)} after the last byte — ${cut.how}`),
    remedy:
      'The TCP connection ended under the WebSocket: the server process dropped the socket (a crash, a restart, a protocol keepalive it enforces) or something in the path cut it. Look at the server’s logs at these times; a server should end with a close frame (1000/1001).',
    seqs: abnormal.map((cut) => cut.close.seq),
    times: abnormal.map((cut) => cut.close.time),
  })
}
