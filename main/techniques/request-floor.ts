// The floor under every request the inspector repeats on its own: a debugging tool
// must never hammer the server it inspects. One place decides it — the reconnect
// policy waits at least `requestFloorMs(spec)` before any new attempt (whatever the
// policy or an SSE `retry:` asked for), and long-polling paces the requests inside
// one attempt with a `RequestPacer` built on the same figure.
import type { ConnectionSpec } from '../contract/index.js'

/** No request or handshake is repeated sooner than this after the last one ended. */
export const REQUEST_FLOOR_MS = 250
/** The wait stops doubling here when the policy's maxDelayMs does not say (or says less than the floor). */
export const MAX_PACED_WAIT_MS = 30_000

/**
 * The least wait before the next attempt (or the next request of a long-poll):
 * never below REQUEST_FLOOR_MS; a long-poll's own `minIntervalMs` raises it; a
 * polling session never asks sooner than its interval.
 */
export function requestFloorMs(spec: ConnectionSpec): number {
  if (spec.technique === 'long-polling') return Math.max(REQUEST_FLOOR_MS, spec.longPolling.minIntervalMs)
  if (spec.technique === 'polling') return Math.max(REQUEST_FLOOR_MS, spec.polling.intervalMs)
  return REQUEST_FLOOR_MS
}

/**
 * Paces a long-poll: an answer that came at once (quicker than the floor: the server
 * did not hold it) is not asked again sooner than the floor, and the wait doubles
 * while answers keep coming at once, up to `capMs`. A held answer, or one that
 * brought new messages and moved the cursor on (a feed catching up), puts it back
 * to the floor.
 */
export class RequestPacer {
  private streak = 0

  constructor(
    readonly floorMs: number,
    private readonly capMs: number,
  ) {}

  /** The wait before the next request, after an answer that took `tookMs` (0: ask at once). */
  next(tookMs: number, progressed: boolean): number {
    if (tookMs >= this.floorMs) {
      this.streak = 0
      return 0
    }
    if (progressed) this.streak = 0
    const wait = Math.min(Math.max(this.capMs, this.floorMs), this.floorMs * 2 ** this.streak)
    if (!progressed) this.streak++
    return wait
  }
}
