// The frames of one window that pass a filter, as a growing typed array of absolute
// positions (index + window.base). docs/architecture.md ("Budgets"): work over all frames must be
// incremental, so a scan cursor remembers how far the window has been read. New
// frames cost O(new); a new filter rebuilds from the head in deadline-bounded slices
// that the caller spreads over several tasks; frames the window let go are trimmed
// from the front without rescanning anything.
import type { Frame } from '@contract'
import type { FrameWindow } from './frame-window'

/**
 * Frames tested between two clock reads: reading the clock per frame would cost about
 * as much as testing, and many frames per read let big payloads overrun the slice.
 */
export const FRAMES_PER_CLOCK_READ = 64
const INITIAL_CAPACITY = 1024

export class MatchIndex {
  private positions = new Float64Array(INITIAL_CAPACITY)
  private head = 0
  private tail = 0
  /** Next absolute position to test. */
  private cursor = 0
  /** Matches ever trimmed from the front: rows above the view that vanished, to keep the scroll steady. */
  trimmed = 0

  constructor(readonly test: (frame: Frame) => boolean) {}

  get length(): number {
    return this.tail - this.head
  }

  /** Absolute position of the k-th match. */
  at(k: number): number {
    return this.positions[this.head + k]!
  }

  /** How many matches lie before this absolute position (the row of `position` if it matches). */
  rank(position: number): number {
    let lo = this.head
    let hi = this.tail
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.positions[mid]! < position) lo = mid + 1
      else hi = mid
    }
    return lo - this.head
  }

  /** Whether every held frame has been tested. */
  caughtUp(held: FrameWindow): boolean {
    return this.cursor >= held.base + held.length
  }

  /** Share of the held frames tested so far, 0..1. */
  progress(held: FrameWindow): number {
    if (held.length === 0) return 1
    return Math.min(1, Math.max(0, this.cursor - held.base) / held.length)
  }

  /**
   * Test the frames not seen yet, stopping once `deadline` (a performance.now() time)
   * passes. Returns true when caught up with the window.
   */
  advance(held: FrameWindow, deadline: number, now: () => number = () => performance.now()): boolean {
    const base = held.base
    this.trimTo(base)
    if (this.cursor < base) this.cursor = base
    const end = base + held.length
    let position = this.cursor
    while (position < end) {
      const stop = Math.min(end, position + FRAMES_PER_CLOCK_READ)
      for (; position < stop; position++) {
        if (this.test(held.get(position - base)!)) this.push(position)
      }
      if (now() >= deadline) break
    }
    this.cursor = position
    return position >= end
  }

  private push(position: number): void {
    if (this.tail === this.positions.length) this.makeRoom()
    this.positions[this.tail++] = position
  }

  /** Reuse the trimmed front when it is at least half the array, else double. */
  private makeRoom(): void {
    if (this.head >= this.positions.length / 2) {
      this.positions.copyWithin(0, this.head, this.tail)
    } else {
      const grown = new Float64Array(this.positions.length * 2)
      grown.set(this.positions.subarray(this.head, this.tail))
      this.positions = grown
    }
    this.tail -= this.head
    this.head = 0
  }

  private trimTo(base: number): void {
    if (this.head === this.tail || this.positions[this.head]! >= base) return
    const k = this.rank(base)
    this.head += k
    this.trimmed += k
  }
}
