// coalescing-delay (docs/diagnostics.md): every payload arrives about the same time after the
// server sent it, far later than a network needs — a hop waits before passing small
// writes on (HAProxy without `option http-no-delay`: ~200 ms, docs/
// diagnostics.md). Only against server send times: without them there is no lag
// to measure, and this detector says nothing.
import type { AttemptFacts } from '../attempt-facts.js'
import type { Detector, DetectorContext } from '../detector.js'
import { matchKnownDefaults } from '../known-defaults.js'
import { ArrivalLog, countStep, readOf, steadyDelay, type LagStats } from './arrivals.js'
import { formatMs } from '../../contract/format.js'

/** Deliveries after which a steady delay, with headers as late, is likely. */
const LIKELY_DELIVERIES = 10

export function coalescingDelayDetector(): Detector {
  const log = new ArrivalLog()
  let shown: { attempt: AttemptFacts; delayMs: number; count: number } | undefined
  return {
    name: 'coalescing-delay',
    onSample(sample, ctx) {
      const attempt = ctx.current
      // Polled answers carry when the data changed, not when it was sent.
      if (!attempt || ctx.spec.technique === 'polling' || ctx.spec.technique === 'long-polling') return
      log.follow(attempt)
      const read = readOf(sample, ctx.spec.technique === 'sse' || ctx.spec.technique === 'streaming')
      if (!read) return
      log.add(read)
      // A hop that waits a fixed time lets go of whatever came meanwhile: one payload,
      // or a few sent apart; the oldest of each waited the same.
      const holds = log.holds()
      const delayMs = steadyDelay(holds)
      if (!holds || delayMs === undefined) return
      // Said again only when the figure moved or the count reached its next step: the
      // percentiles jitter by a few ms with every payload.
      const count = countStep(holds.count)
      if (shown && shown.attempt === attempt && shown.count === count && Math.abs(shown.delayMs - delayMs) < 20) return
      shown = { attempt, delayMs, count }
      raise(ctx, attempt, holds, delayMs, count)
    },
    reset() {
      log.clear()
      shown = undefined
    },
  }
}

function raise(ctx: DetectorContext, attempt: AttemptFacts, lags: LagStats, delayMs: number, count: number): void {
  const hop = ctx.intermediary
  const headersMs = attempt.firstResponse?.durationMs ?? (attempt.open ? attempt.open.time - attempt.startedAt : undefined)
  // The same hop delays the headers too (HAProxy does); headers on time leave a clock
  // offset as likely an explanation as a delay.
  const headersLate = headersMs !== undefined && headersMs >= delayMs * 0.6
  const known = matchKnownDefaults('delay', delayMs, hop?.name)
  const evidence = [
    `attempt ${attempt.number}: over ${count}+ deliveries, the oldest payload of each had waited ${formatMs(delayMs)} since its server send time (most between ${formatMs(Math.round(lags.p20 / 10) * 10)} and ${formatMs(Math.round(lags.p80 / 10) * 10)}): a steady delay, not a growing queue`,
    headersMs === undefined
      ? 'no response headers to compare with'
      : headersLate
        ? `the response headers too came ${formatMs(Math.round(headersMs / 10) * 10)} after the request: the same delay on the way in`
        : `the response headers came after only ${formatMs(Math.round(headersMs / 10) * 10)}: a delay on the payloads only, or the server's clock is about ${formatMs(delayMs)} behind this machine's`,
  ]
  if (hop) evidence.push(`the hop: ${hop.label} (${hop.source})`)
  else if (known.length > 0) evidence.push('no hop named itself in the headers (HAProxy adds no Via or Server of its own)')
  ctx.raise({
    id: 'coalescing-delay',
    severity: 'warning',
    summary: `Every payload arrives about ${formatMs(delayMs)} after the server sent it: ${hop?.label ?? 'a hop on the path'} holds small writes back before passing them on.`,
    evidence,
    remedy:
      'On HAProxy add `option http-no-delay` to the frontend or backend (its default waits for more data, typically about 200 ms, before sending small chunks); on other proxies turn off write coalescing / Nagle (`tcp_nodelay on` in nginx). If nothing sits between client and server, check that the server\'s clock agrees with this machine\'s.',
    confidence: headersLate && count >= LIKELY_DELIVERIES ? 'likely' : 'hint',
    ...(hop ? { intermediary: hop.label } : {}),
    measuredMs: delayMs,
    ...(known.length > 0 ? { knownDefaults: known } : {}),
  })
}
