// How far the playground's clock is from ours, so per-event delays can be measured
// against its timestamps even when it runs on another machine. NTP's idea in small:
// a short request whose answer carries the server's time; the server stamped it
// somewhere inside the round trip, so the offset is known within half of it. The
// quickest of a few tries is kept (the least room for doubt).
import type { ClockOffset, ProbeContext } from './probe-context.js'
import { deriveSpec } from './targets.js'
import { PayloadClock } from '../diagnostics/payload-time.js'

const TRIES = 3

export async function measureClockOffset(ctx: ProbeContext, base: string): Promise<ClockOffset | undefined> {
  // hold=0 answers at once with the server's time first; a feed of its own (every=600000) keeps it empty.
  const url = `${base}/longpoll?cursor=0&hold=0&every=600000`
  const spec = deriveSpec(ctx.spec, { technique: 'polling', url, credentials: false, detectors: false, extra: { polling: { intervalMs: 50, conditional: false, requestTimeoutMs: 5000 } } })
  const hold = ctx.hold({ spec, until: Date.now() + 5000, enough: (r) => r.responses.length >= TRIES || r.errors.length > 0 })
  const result = await hold.result
  let best: ClockOffset | undefined
  const clock = new PayloadClock('sentAt')
  // Each answer is one request, one response and one message, in order.
  result.responses.forEach((response, i) => {
    const stamp = response.body !== undefined ? clock.stamps(response.body, response.time)[0] : undefined
    const start = result.requests[i]
    if (stamp === undefined || start === undefined) return
    const roundTrip = response.time - start
    const offset = stamp - (start + roundTrip / 2)
    if (!best || roundTrip / 2 < best.uncertaintyMs) best = { offsetMs: offset, uncertaintyMs: roundTrip / 2, how: `from the quickest of ${result.responses.length} short requests to the playground (round trip ${roundTrip.toFixed(1)} ms)` }
  })
  return best
}
