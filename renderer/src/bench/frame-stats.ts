// Figures of the UI benchmark, computed from raw samples taken in the page. Pure
// functions, so the arithmetic is tested apart from the browser.

export interface FrameRate {
  /** Animation frames the page produced per second. */
  fps: number
  frames: number
  /** Frames the page should have produced but missed (a gap of k periods misses k-1). */
  dropped: number
  droppedPercent: number
  /** The refresh period the page ran at (the median gap between animation frames). */
  periodMs: number
  longestGapMs: number
}

/**
 * From the times of consecutive animation frames (ms, ascending). `periodMs` is the
 * display's refresh period, measured while the page was idle; without it the median
 * gap stands in (right only while most frames are on time).
 */
export function frameRate(times: readonly number[], periodMs?: number): FrameRate {
  if (times.length < 2) return { fps: 0, frames: times.length, dropped: 0, droppedPercent: 0, periodMs: 0, longestGapMs: 0 }
  const gaps: number[] = []
  for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!)
  const period = periodMs ?? percentile(gaps, 50)
  let dropped = 0
  for (const gap of gaps) dropped += Math.max(0, Math.round(gap / period) - 1)
  const frames = gaps.length
  const elapsedS = (times.at(-1)! - times[0]!) / 1000
  return {
    fps: frames / elapsedS,
    frames,
    dropped,
    droppedPercent: (100 * dropped) / (frames + dropped),
    periodMs: period,
    longestGapMs: Math.max(...gaps),
  }
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = Float64Array.from(values).sort()
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!
}

export interface LongTask {
  startMs: number
  durationMs: number
  /** The JS heap shrank by this much across the task: a garbage collection ran in it. */
  heapFreedBytes: number
}

/**
 * Whether a long task freed heap, from heap samples taken once per animation frame:
 * the last sample before the task and the first after it.
 */
export function heapFreedAcross(task: { startMs: number; durationMs: number }, sampleTimes: readonly number[], heaps: readonly number[]): number {
  let before: number | undefined
  let after: number | undefined
  for (let i = 0; i < sampleTimes.length; i++) {
    if (sampleTimes[i]! <= task.startMs) before = heaps[i]
    else if (sampleTimes[i]! >= task.startMs + task.durationMs) {
      after = heaps[i]
      break
    }
  }
  return before === undefined || after === undefined ? 0 : Math.max(0, before - after)
}
