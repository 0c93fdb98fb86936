// Counts per time bucket, kept in tiers that get coarser with age so that a session
// of any length stays small: every second of the last hour, then 10-second buckets,
// then minute buckets whose width doubles whenever there are too many. Each tier is
// dense (idle buckets hold zeros) and moves whole groups of its oldest buckets into
// the next tier, so nothing counted is ever lost, only blurred.

/** What each bucket counts; added as deltas of the engine's cumulative counters. */
export const COUNTERS = ['messagesIn', 'messagesOut', 'bytesIn', 'bytesOut'] as const
export type Counter = (typeof COUNTERS)[number]
export type Counts = Record<Counter, number>

export interface TierSpec {
  widthMs: number
  /** Buckets kept before the oldest move on. The last tier doubles its width instead. */
  capacity: number
}

/** 1 s for the last hour, 10 s for the three hours before, then 60 s (doubling past 2 days). */
export const DEFAULT_TIERS: readonly TierSpec[] = [
  { widthMs: 1_000, capacity: 3_600 },
  { widthMs: 10_000, capacity: 1_080 },
  { widthMs: 60_000, capacity: 2_880 },
]

/** A tier may hold 1/SPILL_SLACK more than its capacity before its oldest buckets move on. */
const SPILL_SLACK = 16

interface Tier {
  widthMs: number
  capacity: number
  /** Start of bucket 0, a multiple of widthMs. */
  origin: number
  columns: Record<Counter, number[]>
}

/** Plain arrays (per second rates) ready for a chart: one entry per bucket, oldest first. */
export interface RateColumns {
  /** Bucket start, ms since the epoch. */
  time: number[]
  /** Width of each bucket, ms. */
  width: number[]
  rates: Record<Counter, number[]>
}

const alignDown = (t: number, width: number) => Math.floor(t / width) * width
const emptyColumns = (): Record<Counter, number[]> => ({ messagesIn: [], messagesOut: [], bytesIn: [], bytesOut: [] })

export class TieredBuckets {
  private readonly tiers: Tier[]

  constructor(specs: readonly TierSpec[] = DEFAULT_TIERS) {
    // Each tier's width must divide the next one's, so whole groups move down.
    this.tiers = specs.map((s) => ({ widthMs: s.widthMs, capacity: s.capacity, origin: 0, columns: emptyColumns() }))
  }

  /** Total buckets held over all tiers (what memory grows with). */
  get length(): number {
    return this.tiers.reduce((sum, tier) => sum + tier.columns.messagesIn.length, 0)
  }

  /** The end of the newest bucket, or undefined before anything was added. */
  get frontier(): number | undefined {
    const fine = this.tiers[0]!
    const n = fine.columns.messagesIn.length
    return n === 0 ? undefined : fine.origin + n * fine.widthMs
  }

  /** Widths in use, finest first (the last one grows for very long sessions). */
  get widths(): number[] {
    return this.tiers.map((t) => t.widthMs)
  }

  /** Time passed: idle buckets up to `time` count zero, and old buckets move to coarser tiers. */
  advanceTo(time: number): void {
    this.extendTo(0, time)
  }

  add(time: number, counts: Counts): void {
    this.extendTo(0, time)
    // A frame stamped before the finest tier's start (it arrived late) goes to the tier
    // that still covers its time; before everything, to the oldest bucket.
    for (const tier of this.tiers) {
      const n = tier.columns.messagesIn.length
      if (n > 0 && time >= tier.origin) {
        addInto(tier, Math.min(n - 1, Math.floor((time - tier.origin) / tier.widthMs)), counts)
        return
      }
    }
    const oldest = this.tiers.findLast((t) => t.columns.messagesIn.length > 0)
    if (oldest) addInto(oldest, 0, counts)
  }

  totals(): Counts {
    const sum: Counts = { messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 }
    for (const tier of this.tiers) for (const c of COUNTERS) for (const v of tier.columns[c]) sum[c] += v
    return sum
  }

  /** Counts over [from, to), at the finest tier only (for "the last few seconds"). */
  sumRecent(from: number, to: number): Counts {
    const fine = this.tiers[0]!
    const sum: Counts = { messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 }
    const n = fine.columns.messagesIn.length
    const first = Math.max(0, Math.ceil((from - fine.origin) / fine.widthMs))
    const last = Math.min(n, Math.ceil((to - fine.origin) / fine.widthMs))
    for (let i = first; i < last; i++) for (const c of COUNTERS) sum[c] += fine.columns[c][i]!
    return sum
  }

  /** Every bucket as a per-second rate, oldest (coarsest) first. */
  columns(): RateColumns {
    const out: RateColumns = { time: [], width: [], rates: emptyColumns() }
    for (let t = this.tiers.length - 1; t >= 0; t--) {
      const tier = this.tiers[t]!
      const perSecond = 1000 / tier.widthMs
      const n = tier.columns.messagesIn.length
      for (let i = 0; i < n; i++) {
        out.time.push(tier.origin + i * tier.widthMs)
        out.width.push(tier.widthMs)
        for (const c of COUNTERS) out.rates[c].push(tier.columns[c][i]! * perSecond)
      }
    }
    return out
  }

  /** Make tier `index` reach the bucket that holds `time`, with zeros, moving old buckets on. */
  private extendTo(index: number, time: number): void {
    const tier = this.tiers[index]!
    const isLast = index === this.tiers.length - 1
    let n = tier.columns.messagesIn.length
    if (n === 0) {
      tier.origin = alignDown(time, tier.widthMs)
      pushZeros(tier, 1)
      return
    }
    const end = tier.origin + n * tier.widthMs
    if (time < end) return
    let needed = Math.floor((time - end) / tier.widthMs) + 1
    if (isLast) {
      while (n + needed > tier.capacity) {
        doubleWidth(tier)
        n = tier.columns.messagesIn.length
        needed = Math.floor((time - (tier.origin + n * tier.widthMs)) / tier.widthMs) + 1
      }
      pushZeros(tier, Math.max(0, needed))
      return
    }
    if (needed > tier.capacity) {
      // A long silence (or a machine that slept): hand all of this tier on and let the
      // coarser tiers hold the idle time, instead of filling and moving zeros one by one.
      const nextWidth = this.tiers[index + 1]!.widthMs
      this.moveOldest(index, n)
      // Restart on a boundary of the next tier's buckets, after the one that took the last moved bucket.
      const restart = Math.max(alignDown(time - (tier.capacity - 1) * tier.widthMs, nextWidth), alignDown(end - 1, nextWidth) + nextWidth)
      this.extendTo(index + 1, restart - 1)
      tier.origin = restart
      pushZeros(tier, Math.floor((time - restart) / tier.widthMs) + 1)
    } else {
      pushZeros(tier, needed)
    }
    this.spill(index)
  }

  /** Move whole groups of the oldest buckets on while the tier stays at or above its capacity. */
  private spill(index: number): void {
    const tier = this.tiers[index]!
    const n = tier.columns.messagesIn.length
    // Some slack, so the front of the arrays is cut rarely rather than every few seconds.
    if (n <= tier.capacity + Math.ceil(tier.capacity / SPILL_SLACK)) return
    const nextWidth = this.tiers[index + 1]!.widthMs
    // Cut at a boundary of the next tier's buckets so those stay whole.
    const cutTime = alignDown(tier.origin + (n - tier.capacity) * tier.widthMs, nextWidth)
    const count = Math.round((cutTime - tier.origin) / tier.widthMs)
    if (count > 0) this.moveOldest(index, count)
  }

  private moveOldest(index: number, count: number): void {
    const tier = this.tiers[index]!
    const next = index + 1
    const nextWidth = this.tiers[next]!.widthMs
    // Sum the buckets that share a bucket of the next tier, then add that sum once.
    let i = 0
    while (i < count) {
      const groupStart = alignDown(tier.origin + i * tier.widthMs, nextWidth)
      const counts: Counts = { messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 }
      for (; i < count && tier.origin + i * tier.widthMs < groupStart + nextWidth; i++) for (const c of COUNTERS) counts[c] += tier.columns[c][i]!
      this.extendTo(next, groupStart)
      const target = this.tiers[next]!
      addInto(target, Math.max(0, Math.floor((groupStart - target.origin) / target.widthMs)), counts)
    }
    for (const c of COUNTERS) tier.columns[c].splice(0, count)
    tier.origin += count * tier.widthMs
  }
}

function pushZeros(tier: Tier, count: number): void {
  for (const c of COUNTERS) {
    const column = tier.columns[c]
    for (let i = 0; i < count; i++) column.push(0)
  }
}

function addInto(tier: Tier, index: number, counts: Counts): void {
  for (const c of COUNTERS) tier.columns[c][index]! += counts[c]
}

/** The last tier, grown too long: pairs of buckets become one twice as wide. */
function doubleWidth(tier: Tier): void {
  const width = tier.widthMs * 2
  const origin = alignDown(tier.origin, width)
  const merged = emptyColumns()
  const n = tier.columns.messagesIn.length
  for (let i = 0; i < n; i++) {
    const target = Math.floor((tier.origin + i * tier.widthMs - origin) / width)
    for (const c of COUNTERS) {
      const column = merged[c]
      while (column.length <= target) column.push(0)
      column[target]! += tier.columns[c][i]!
    }
  }
  tier.widthMs = width
  tier.origin = origin
  tier.columns = merged
}
