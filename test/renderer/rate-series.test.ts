import { describe, expect, it } from 'vitest'
import type { Frame, FrameBatch, SessionState, SessionStats } from '@contract'
import { DEFAULT_TIERS, TieredBuckets } from '../../renderer/src/stores/rate-buckets'
import { RateRegistry, RateSeries } from '../../renderer/src/stores/rate-series'

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0)
const ZERO: SessionStats = { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 }

/** Cumulative counters as the engine sends them. */
class Counters {
  stats: SessionStats = { ...ZERO }
  seq = 0
  grow(messagesIn: number, bytesIn = messagesIn * 10, messagesOut = 0, bytesOut = messagesOut * 10): SessionStats {
    const s = this.stats
    this.stats = { ...s, messagesIn: s.messagesIn + messagesIn, bytesIn: s.bytesIn + bytesIn, messagesOut: s.messagesOut + messagesOut, bytesOut: s.bytesOut + bytesOut }
    return this.stats
  }
}

/** Indexes where a bucket does not start exactly where the one before it ended. */
function holesOrOverlaps({ time, width }: { time: number[]; width: number[] }): number[] {
  const bad: number[] = []
  for (let i = 1; i < time.length; i++) if (time[i] !== time[i - 1]! + width[i - 1]!) bad.push(i)
  return bad
}

const message = (seq: number, time: number): Frame => ({ seq, time, direction: 'in', kind: 'message', data: 'x', size: 1 })
const batch = (frames: Frame[], stats: SessionStats, state: SessionState = 'open', skipped = 0): FrameBatch => ({
  sessionId: 's1',
  frames,
  skipped,
  lastSeq: frames.at(-1)?.seq ?? 0,
  state,
  stats,
})

/** Feed one batch whose last frame is at `time`, with counters grown by `messagesIn`. */
function feed(series: RateSeries, counters: Counters, time: number, messagesIn: number, previous = counters.stats): void {
  const stats = counters.grow(messagesIn)
  series.record(batch([message(++counters.seq, time)], stats), previous, time)
}

describe('rate series', () => {
  it('counts every message from the cumulative counters, also those skipped from display', () => {
    const series = new RateSeries(T0)
    const counters = new Counters()
    // Two frames carried, 498 more skipped: the counters know all 500.
    const stats = counters.grow(500, 5_000)
    series.record(batch([message(499, T0 + 100), message(500, T0 + 200)], stats, 'open', 498), ZERO, T0 + 210)
    const columns = series.buckets.columns()
    expect(columns.time).toEqual([T0])
    expect(columns.rates.messagesIn).toEqual([500])
    expect(columns.rates.bytesIn).toEqual([5_000])
  })

  it('adds up several batches that fall in the same second', () => {
    const series = new RateSeries(T0)
    const counters = new Counters()
    feed(series, counters, T0 + 10, 3, ZERO)
    feed(series, counters, T0 + 500, 4)
    feed(series, counters, T0 + 999, 5)
    feed(series, counters, T0 + 1_000, 7)
    expect(series.buckets.columns().rates.messagesIn).toEqual([12, 7])
  })

  it('counts sent messages and bytes apart from received ones', () => {
    const series = new RateSeries(T0)
    const counters = new Counters()
    series.record(batch([message(1, T0 + 5)], counters.grow(2, 20, 3, 300)), ZERO, T0 + 5)
    const { rates } = series.buckets.columns()
    expect([rates.messagesIn[0], rates.messagesOut[0], rates.bytesIn[0], rates.bytesOut[0]]).toEqual([2, 3, 20, 300])
  })

  it('shows idle seconds as zeros, and keeps counting up to the present when asked', () => {
    const series = new RateSeries(T0)
    const counters = new Counters()
    feed(series, counters, T0 + 400, 2, ZERO)
    feed(series, counters, T0 + 4_100, 6)
    expect(series.buckets.columns().rates.messagesIn).toEqual([2, 0, 0, 0, 6])
    series.buckets.advanceTo(T0 + 6_500)
    expect(series.buckets.columns().rates.messagesIn).toEqual([2, 0, 0, 0, 6, 0, 0])
  })

  it('gives the current rate over the last three whole seconds', () => {
    const series = new RateSeries(T0)
    const counters = new Counters()
    feed(series, counters, T0 + 100, 30, ZERO) // second 0
    feed(series, counters, T0 + 1_100, 60) // second 1
    feed(series, counters, T0 + 2_100, 90) // second 2
    feed(series, counters, T0 + 3_100, 1_000) // second 3, not whole yet at 3.5 s
    expect(series.recentRate(T0 + 3_500).messagesIn).toBe(60)
    // Only one whole second has passed since the start: the rate is over that second.
    expect(series.recentRate(T0 + 1_200).messagesIn).toBe(30)
    // Ten quiet seconds later the rate is zero.
    expect(series.recentRate(T0 + 14_000).messagesIn).toBe(0)
    expect(series.recentRate(T0 + 500).messagesIn).toBe(0)
  })

  it('keeps every second of the last hour, blurs older time, and never loses a count', () => {
    const buckets = new TieredBuckets()
    let expected = 0
    // A busy first minute, then a message every 7 s for 3 hours.
    for (let s = 0; s < 60; s++) {
      buckets.add(T0 + s * 1000 + 500, { messagesIn: 100, messagesOut: 1, bytesIn: 1000, bytesOut: 10 })
      expected += 100
    }
    for (let s = 60; s < 3 * 3600; s += 7) {
      buckets.add(T0 + s * 1000 + 20, { messagesIn: 1, messagesOut: 0, bytesIn: 10, bytesOut: 0 })
      expected += 1
    }
    expect(buckets.totals().messagesIn).toBe(expected)
    const columns = buckets.columns()
    const fine = columns.width.filter((w) => w === 1000).length
    expect(fine).toBeGreaterThanOrEqual(3600)
    expect(fine).toBeLessThanOrEqual(3600 + 3600 / 16 + 10)
    // The busy first minute now sits in 10 s buckets at 100 messages per second.
    expect(columns.width[0]).toBe(10_000)
    expect(columns.time[0]).toBe(T0)
    expect(columns.rates.messagesIn[0]).toBe(100)
    // Time runs forward without overlaps or holes across the tiers.
    expect(holesOrOverlaps(columns)).toEqual([])
  })

  it('stays small over a day-long session fed every second', () => {
    const series = new RateSeries(T0)
    const counters = new Counters()
    let sent = 0
    for (let s = 0; s < 24 * 3600; s++) {
      const n = (s % 13) + 1
      feed(series, counters, T0 + s * 1000 + 250, n, s === 0 ? ZERO : counters.stats)
      sent += n
    }
    const maxBuckets = DEFAULT_TIERS.reduce((sum, t) => sum + t.capacity * (1 + 1 / 16) + 10, 0)
    expect(series.buckets.length).toBeLessThanOrEqual(maxBuckets)
    expect(series.buckets.totals().messagesIn).toBe(sent)
    expect(series.buckets.totals().bytesIn).toBe(sent * 10)
    const columns = series.buckets.columns()
    expect(columns.time.at(-1)).toBe(T0 + (24 * 3600 - 1) * 1000)
    expect(columns.width.at(-3600)).toBe(1000)
  })

  it('stays bounded for days on end, widening its oldest buckets', () => {
    const buckets = new TieredBuckets()
    const days = 8
    for (let m = 0; m < days * 24 * 60; m++) buckets.add(T0 + m * 60_000, { messagesIn: 2, messagesOut: 0, bytesIn: 0, bytesOut: 0 })
    expect(buckets.length).toBeLessThanOrEqual(DEFAULT_TIERS.reduce((sum, t) => sum + t.capacity * (1 + 1 / 16) + 10, 0))
    expect(buckets.totals().messagesIn).toBe(days * 24 * 60 * 2)
    expect(buckets.widths.at(-1)).toBeGreaterThan(60_000)
    const { time, width } = buckets.columns()
    expect(holesOrOverlaps({ time, width })).toEqual([])
  })

  it('jumps over a long silence (a machine that slept) without filling it second by second', () => {
    const buckets = new TieredBuckets()
    buckets.add(T0 + 5_300, { messagesIn: 4, messagesOut: 0, bytesIn: 40, bytesOut: 0 })
    const started = performance.now()
    buckets.add(T0 + 9 * 3600_000 + 5_300, { messagesIn: 6, messagesOut: 0, bytesIn: 60, bytesOut: 0 })
    expect(performance.now() - started).toBeLessThan(200)
    expect(buckets.totals()).toMatchObject({ messagesIn: 10, bytesIn: 100 })
    const { time, width, rates } = buckets.columns()
    expect(holesOrOverlaps({ time, width })).toEqual([])
    expect(time.at(-1)).toBe(T0 + 9 * 3600_000 + 5_000)
    expect(rates.messagesIn.at(-1)).toBe(6)
  })

  it('marks reconnects, closes and errors with what happened and when', () => {
    const series = new RateSeries(T0)
    const frames: Frame[] = [
      { seq: 1, time: T0, direction: 'system', kind: 'connecting', url: 'ws://h/', attempt: 1 },
      { seq: 2, time: T0 + 50, direction: 'system', kind: 'open', protocol: '' },
      message(3, T0 + 900),
      { seq: 4, time: T0 + 3_000, direction: 'system', kind: 'close', code: 1006, reason: '', wasClean: false, idleMs: 10, bytesIn: 1, bytesOut: 0, cause: 'fin' },
      { seq: 5, time: T0 + 3_001, direction: 'system', kind: 'error', code: 'E_CONNECT_REFUSED', message: 'connect ECONNREFUSED' },
      { seq: 6, time: T0 + 3_002, direction: 'system', kind: 'reconnect', attempt: 2, delayMs: 1000 },
    ]
    series.record(batch(frames, { ...ZERO, frames: 6, messagesIn: 1, bytesIn: 1, reconnects: 1 }, 'reconnecting'), ZERO, T0 + 3_010)
    expect(series.markers.map((m) => [m.kind, m.time, m.seq])).toEqual([
      ['close', T0 + 3_000, 4],
      ['error', T0 + 3_001, 5],
      ['reconnect', T0 + 3_002, 6],
    ])
    expect(series.markers[0]!.text).toMatch(/1006/)
    expect(series.markers[1]!.text).toMatch(/E_CONNECT_REFUSED/)
    expect(series.markers[2]!.text).toMatch(/attempt 2/)
    // Connecting until the open frame, then not open again from the close on.
    expect(series.gaps).toEqual([
      { start: T0, end: T0 + 50, reason: 'not-open' },
      { start: T0 + 3_000, reason: 'not-open' },
    ])
    series.record(batch([{ seq: 7, time: T0 + 4_200, direction: 'system', kind: 'open', protocol: '' }], { ...ZERO, frames: 7, messagesIn: 1, bytesIn: 1, reconnects: 1 }), ZERO, T0 + 4_210)
    expect(series.gaps[1]).toEqual({ start: T0 + 3_000, end: T0 + 4_200, reason: 'not-open' })
  })

  it('shows the time before a session was picked up (after a reload) as unknown, not as traffic', () => {
    const registry = new RateRegistry()
    const before: SessionStats = { frames: 900, messagesIn: 880, messagesOut: 10, bytesIn: 8_800, bytesOut: 100, reconnects: 0 }
    const after = { ...before, frames: 905, messagesIn: 885, bytesIn: 8_850 }
    registry.record(batch([message(905, T0 + 60_000)], after), before, T0, T0 + 60_100)
    const series = registry.get('s1')!
    expect(series.buckets.totals().messagesIn).toBe(5)
    expect(series.gaps).toEqual([{ start: T0, end: T0 + 60_100, reason: 'no-data' }])
    registry.forget('s1')
    expect(registry.get('s1')).toBeUndefined()
  })
})
