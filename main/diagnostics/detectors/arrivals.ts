// When payloads arrived against when the server says it sent them (docs/diagnostics.md: "lag
// and bursts are measured against server timestamps"). One log per attempt, fed from
// the sampled payloads; buffering and coalescing-delay both read it.
import type { DataSample } from '../detector.js'
import type { AttemptFacts } from '../attempt-facts.js'

/** Reads kept per attempt (the newest); the first ones stay, they tell how the stream began. */
const MAX_READS = 256
/** Reads this close together came in one go (a decoder or framer split one network read). */
const SAME_DELIVERY_MS = 3
/** Payloads sent at least this far apart on average were not one write's worth. */
const BURST_SPACING_MS = 50
/** A burst spans at least this much of the server's time: less is a hiccup, not a hold. */
const BURST_SPAN_MS = 200
/** Deliveries needed before a steady delay means anything. */
export const MIN_DELIVERIES = 8
/** Delays below this are networks and busy machines, not a hop holding writes. */
const MIN_DELAY_MS = 80
/** A server clock ahead of ours shows as lags below this: then no lag can be trusted. */
const CLOCK_AHEAD_MS = -20

/** One sampled payload: its arrival and the server send times it carried. */
export interface Read {
  seq: number
  time: number
  stamps: number[]
}

/** Reads that arrived together (one network read, or within a few ms). */
export interface Delivery {
  seq: number
  time: number
  stamps: number
  /** The server's send times span this long. */
  spanMs: number
  /** The oldest payload in it waited this long (arrival − its send time). */
  heldMs: number
}

export interface LagStats {
  count: number
  /** 20th and 80th percentiles: the spread of the middle, where the stream's start and end do not weigh. */
  p20: number
  median: number
  p80: number
  min: number
}

/** Where raw chunks are shown (SSE, streaming), they are the reads; elsewhere each message is. */
export function readOf(sample: DataSample, chunked: boolean): Read | undefined {
  if ((sample.kind === 'chunk') !== chunked) return undefined
  const stamps = sample.serverTimes ?? (sample.serverTime !== undefined ? [sample.serverTime] : [])
  return stamps.length > 0 ? { seq: sample.seq, time: sample.time, stamps } : undefined
}

/** The reads of one attempt at a time; a new attempt starts a new log. */
export class ArrivalLog {
  private attempt: AttemptFacts | undefined
  private list: Read[] = []

  /** Reads from now on are `attempt`'s: a new attempt starts an empty log. */
  follow(attempt: AttemptFacts): void {
    if (attempt !== this.attempt) this.clear(attempt)
  }

  add(read: Read): void {
    // The first read stays: it tells how the stream began.
    if (this.list.length >= MAX_READS) this.list.splice(1, 1)
    this.list.push(read)
  }

  clear(attempt?: AttemptFacts): void {
    this.attempt = attempt
    this.list = []
  }

  get reads(): readonly Read[] {
    return this.list
  }

  deliveries(): Delivery[] {
    const deliveries: Delivery[] = []
    let group: Read[] = []
    for (const read of this.list) {
      const last = group[group.length - 1]
      if (last && read.time - last.time > SAME_DELIVERY_MS) {
        deliveries.push(deliveryOf(group))
        group = []
      }
      group.push(read)
    }
    if (group.length > 0) deliveries.push(deliveryOf(group))
    return deliveries
  }

  /** Deliveries whose payloads the server sent spread out: held back, then let go together. */
  bursts(): Delivery[] {
    return this.deliveries().filter((d) => d.stamps >= 2 && d.spanMs >= BURST_SPAN_MS && spread(d))
  }

  /**
   * How long the oldest payload of each delivery waited, over the deliveries a hop
   * could have held (one payload, or payloads sent apart). A client that fell behind
   * a fast stream reads many payloads at once too, but those were sent close together.
   */
  holds(): LagStats | undefined {
    return lagStats(this.deliveries().filter((d) => d.stamps === 1 || spread(d)).map((d) => d.heldMs))
  }
}

function deliveryOf(group: Read[]): Delivery {
  const stamps = group.flatMap((read) => read.stamps)
  const first = Math.min(...stamps)
  const last = group[group.length - 1]!
  return { seq: group[0]!.seq, time: last.time, stamps: stamps.length, spanMs: Math.max(...stamps) - first, heldMs: last.time - first }
}

function spread(d: Delivery): boolean {
  return d.spanMs / Math.max(1, d.stamps - 1) >= BURST_SPACING_MS
}

/**
 * A constant added delay: every delivery's oldest payload waited about as long, and
 * long enough that no network explains it. Held at 10 ms steps.
 */
export function steadyDelay(holds: LagStats | undefined): number | undefined {
  if (!holds || holds.count < MIN_DELIVERIES || holds.median < MIN_DELAY_MS || holds.min < CLOCK_AHEAD_MS) return undefined
  if (holds.p80 - holds.p20 > Math.max(40, holds.median * 0.3) || holds.p20 < holds.median * 0.5) return undefined
  return Math.round(holds.median / 10) * 10
}

export function lagStats(values: readonly number[]): LagStats | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.round(q * (sorted.length - 1))]!
  return { count: sorted.length, p20: at(0.2), median: at(0.5), p80: at(0.8), min: sorted[0]! }
}

/** A count as shown in a finding, held at a few steps so the finding does not change with every payload. */
export function countStep(count: number): number {
  const steps = [1000, 500, 200, 100, 50, 20, 10, 5, 3, 2, 1]
  return steps.find((step) => count >= step) ?? count
}
