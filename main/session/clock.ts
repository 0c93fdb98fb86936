// One monotonic clock per session, anchored to wall time once, so frame times are
// comparable epoch milliseconds that never jump backwards when the system clock moves.
import { performance } from 'node:perf_hooks'

export interface SessionClock {
  /** ms since the Unix epoch, fractional (whole microseconds), monotonic */
  now(): number
}

export function createSessionClock(): SessionClock {
  const anchor = Date.now() - performance.now()
  // Whole microseconds: finer than anything measured here, and a time a recording
  // writes as plain digits — a general number-to-string per frame cost as much as
  // the rest of a recording line.
  return { now: () => Math.round((anchor + performance.now()) * 1000) / 1000 }
}
