// One monotonic clock per session, anchored to wall time once, so frame times are
// comparable epoch milliseconds that never jump backwards when the system clock moves.
import { performance } from 'node:perf_hooks'

export interface SessionClock {
  /** ms since the Unix epoch, fractional, monotonic */
  now(): number
}

export function createSessionClock(): SessionClock {
  const anchor = Date.now() - performance.now()
  return { now: () => anchor + performance.now() }
}
