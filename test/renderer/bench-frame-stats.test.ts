import { describe, expect, it } from 'vitest'
import { frameRate, heapFreedAcross, percentile } from '../../renderer/src/bench/frame-stats'

const every = (periodMs: number, count: number, from = 0) => Array.from({ length: count }, (_, i) => from + i * periodMs)

describe('UI benchmark figures', () => {
  it('counts a steady 60 Hz run as 60 fps with nothing dropped', () => {
    const rate = frameRate(every(1000 / 60, 121))
    expect(rate.fps).toBeCloseTo(60, 5)
    expect(rate.frames).toBe(120)
    expect(rate.dropped).toBe(0)
    expect(rate.periodMs).toBeCloseTo(16.667, 2)
  })

  it('counts a gap of k refresh periods as k-1 dropped frames, against the period measured when idle', () => {
    const times = [...every(16, 10), 9 * 16 + 16 * 4, 9 * 16 + 16 * 5]
    const rate = frameRate(times, 16)
    expect(rate.dropped).toBe(3)
    expect(rate.droppedPercent).toBeCloseTo((100 * 3) / (11 + 3), 5)
    expect(rate.longestGapMs).toBe(64)
  })

  it('does not take a mostly late run for a slower display when the idle period is known', () => {
    const lateEveryTime = every(33.3, 61)
    expect(frameRate(lateEveryTime).dropped).toBe(0)
    expect(frameRate(lateEveryTime, 16.65).dropped).toBe(60)
  })

  it('takes nearest-rank percentiles', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6]
    expect(percentile(values, 50)).toBe(5)
    expect(percentile(values, 95)).toBe(10)
    expect(percentile(values, 0)).toBe(1)
    expect(percentile([], 50)).toBe(0)
  })

  it('tells a long task that freed heap (garbage collection) from one that did not', () => {
    const sampleTimes = [0, 16, 32, 132, 148]
    const heaps = [50e6, 52e6, 54e6, 30e6, 31e6]
    expect(heapFreedAcross({ startMs: 40, durationMs: 80 }, sampleTimes, heaps)).toBe(24e6)
    expect(heapFreedAcross({ startMs: 0, durationMs: 10 }, sampleTimes, heaps)).toBe(0)
  })
})
