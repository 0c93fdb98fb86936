// A server's keep-alive as diagnostics should see it: the legacy protocol's `ka` or
// graphql-transport-ws `ping` messages come at the server's own period, which no
// handshake announces. Once two intervals agree, the connection is dead by the
// protocol's rules when a few beats in a row are missing.
import { formatMs } from '../../contract/format.js'

/** Beats that may be missed before the silence counts. */
const MISSED_BEATS = 3
/** Intervals this far apart (ratio) are not one period. */
const SPREAD = 1.5

export interface BeatDeadline {
  ms: number
  why: string
}

export class BeatWatch {
  private last: number | undefined
  private interval: number | undefined
  private announced: number | undefined

  constructor(private readonly what: string) {}

  /** A beat came at `time`; answers a new deadline when the period is known or changed. */
  beat(time: number): BeatDeadline | undefined {
    const previous = this.last
    this.last = time
    if (previous === undefined) return undefined
    const gap = time - previous
    const known = this.interval
    this.interval = gap
    if (known === undefined || gap <= 0 || Math.max(gap, known) / Math.min(gap, known) > SPREAD) return undefined
    const period = Math.max(gap, known)
    // Only a change worth telling: a deadline that moves with every jitter would be noise.
    if (this.announced !== undefined && Math.abs(period - this.announced) / this.announced < 0.2) return undefined
    this.announced = period
    return { ms: Math.max(MISSED_BEATS * period, period + 2000), why: `the server's ${this.what} came every ${formatMs(period)}; ${MISSED_BEATS} missed in a row mean the connection is gone` }
  }
}
