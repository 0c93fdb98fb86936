// Small helpers the detectors share for the figures they measure: which figures count
// as "the same" across attempts, and whether a duration is a round number of seconds
// (what a configured timer gives). How a duration reads is formatMs in the contract.

/**
 * How far apart two measurements of one configured timer may be: timers fire late by
 * a few ms (nginx) up to a second (Squid's coarse clock), and a busy machine adds more.
 */
export function agreementTolerance(ms: number): number {
  return Math.max(500, ms * 0.05)
}

/**
 * The largest group of items whose figures agree with each other (all within the
 * tolerance of the group's median), oldest first. Ties go to the most recent group:
 * a timer that was just changed is the one that matters now.
 */
export function largestAgreeing<T>(items: readonly T[], figure: (item: T) => number): T[] {
  let best: T[] = []
  for (const anchor of items) {
    const center = figure(anchor)
    const group = items.filter((item) => Math.abs(figure(item) - center) <= agreementTolerance(center))
    if (group.length >= best.length) best = group
  }
  return best
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * How far from a whole second a configured timer's answer may land, as the client
 * times it: the timer itself fires within ±10 ms (nginx, HAProxy), but the round trip
 * to the gateway and a busy client only ever add to it.
 */
const ROUND_EARLY_MS = 150
const ROUND_LATE_MS = 400

/** Whether `ms` is (about) a whole number of seconds, at least one. */
export function nearWholeSecond(ms: number): boolean {
  if (ms < 1000 - ROUND_EARLY_MS) return false
  const offset = ms - Math.round(ms / 1000) * 1000
  return offset >= -ROUND_EARLY_MS && offset <= ROUND_LATE_MS
}

/** hint → likely → confirmed from how many times the same figure was seen. */
export function confidenceOf(repeats: number): 'hint' | 'likely' | 'confirmed' {
  return repeats >= 3 ? 'confirmed' : repeats === 2 ? 'likely' : 'hint'
}

/**
 * Whether a count-driven finding is worth a new frame: every change while small, then
 * only when it grew by half — a storm of closes must not become a storm of findings.
 */
export function worthUpdating(previousCount: number, count: number): boolean {
  return previousCount === 0 || count <= 10 || count >= previousCount * 1.5
}
