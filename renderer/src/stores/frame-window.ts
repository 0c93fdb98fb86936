// The frames of one session the renderer keeps: a plain array, never reactive.
// DESIGN §7: Vue proxies around hundreds of thousands of frames cost O(n) work per
// update; a plain array read by a fixed-row-height list held 59 fps at 1M rows.
// Views learn about changes from the store's version counter instead.
import type { Frame } from '@contract'

export const DEFAULT_FRAME_CAP = 200_000

export class FrameWindow {
  /** Live frames are items[start..]; the head is compacted in bulk, not per drop. */
  private items: Frame[] = []
  private start = 0
  /** Oldest frames let go to stay under the cap (the engine and recordings keep them). */
  dropped = 0
  /** Frames the engine did not send because they came too fast to display. */
  skipped = 0
  /** Frames the user cleared from view (the engine and recordings keep them). */
  cleared = 0
  /** Highest seq seen, so a replayed history after re-subscribing is not shown twice. */
  lastSeq = 0
  /** Time of the first frame ever appended: "since start" survives drops and clears. */
  origin: number | undefined

  constructor(readonly cap = DEFAULT_FRAME_CAP) {}

  get length(): number {
    return this.items.length - this.start
  }

  /**
   * Absolute position of index 0: every frame ever appended has a position that never
   * changes, so views can remember frames across drops and clears.
   */
  get base(): number {
    return this.dropped + this.cleared
  }

  get(index: number): Frame | undefined {
    return index < 0 ? undefined : this.items[this.start + index]
  }

  last(): Frame | undefined {
    return this.get(this.length - 1)
  }

  /** Index of the frame with this seq (frames are in seq order), or -1. */
  indexOfSeq(seq: number): number {
    let lo = this.start
    let hi = this.items.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const s = this.items[mid]!.seq
      if (s === seq) return mid - this.start
      if (s < seq) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  /** Index of the first frame at or after `time` (frames are in time order); `length` when none. */
  indexAtOrAfterTime(time: number): number {
    let lo = this.start
    let hi = this.items.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.items[mid]!.time < time) lo = mid + 1
      else hi = mid
    }
    return lo - this.start
  }

  /** Let every held frame go from view; later frames still arrive. */
  clear(): void {
    this.cleared += this.length
    this.items = []
    this.start = 0
  }

  /** Append a batch's frames and skipped count; returns how many frames were added. */
  append(frames: readonly Frame[], skipped: number, lastSeq: number): number {
    let added = 0
    for (const frame of frames) {
      if (frame.seq <= this.lastSeq) continue
      this.origin ??= frame.time
      this.items.push(frame)
      this.lastSeq = frame.seq
      added++
    }
    this.skipped += skipped
    if (lastSeq > this.lastSeq) this.lastSeq = lastSeq
    const excess = this.length - this.cap
    if (excess > 0) {
      this.start += excess
      this.dropped += excess
      // Copy the survivors down only once the dead head is as big as the cap, so
      // dropping costs O(1) amortised per frame instead of a splice per batch.
      if (this.start >= this.cap) {
        this.items = this.items.slice(this.start)
        this.start = 0
      }
    }
    return added
  }
}
