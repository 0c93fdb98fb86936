// The frames of one session the renderer keeps: a plain array, never reactive.
// docs/architecture.md ("Budgets"): Vue proxies around hundreds of thousands of frames cost O(n) work per
// update; a plain array read by a fixed-row-height list held 59 fps at 1M rows.
// Views learn about changes from the store's version counter instead.
import { payloadLength, type Frame } from '@contract'

/** Frames a session keeps in view (issue #4: the list holds 60 fps with a million). */
export const DEFAULT_FRAME_CAP = 1_000_000
/**
 * And at most about this much of their text: a million small messages fit, a
 * million 1 KB ones would not (the recording on disk keeps everything).
 */
export const DEFAULT_TEXT_BUDGET = 192 * 1024 * 1024
/** What a frame costs beyond its text (object, fields, boxed time), measured in bench/ui-frame-cost.ts. */
const FRAME_OVERHEAD = 64

/** Roughly what holding this frame costs: its payload fields, in UTF-16 units, plus the object. */
function heldCost(frame: Frame): number {
  return FRAME_OVERHEAD + payloadLength(frame)
}

export class FrameWindow {
  /**
   * Live frames are items[start..]. Dropped slots are emptied at once (so dropped
   * frames can be collected) and the array is compacted in bulk, not per drop.
   */
  private items: (Frame | undefined)[] = []
  private start = 0
  /** heldCost of the frames in view. */
  private held = 0
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

  /** Frames let go while the tab was in the background (included in `dropped`): its recording has them. */
  trimmedInBackground = 0
  private limit: number
  private textLimit: number
  private background = false

  constructor(cap = DEFAULT_FRAME_CAP, textBudget = DEFAULT_TEXT_BUDGET) {
    this.limit = cap
    this.textLimit = textBudget
  }

  /** Most frames held now: the whole cap for the tab in view, a short tail in the background. */
  get cap(): number {
    return this.limit
  }

  get textBudget(): number {
    return this.textLimit
  }

  /** What the held frames cost, by the same measure as the text budget. */
  get textHeld(): number {
    return this.held
  }

  /**
   * New bounds (the renderer's one budget for all tabs moves them as tabs come and go
   * from view); the oldest frames over them are let go at once. `background` counts
   * what is let go from now on as trimmed in the background.
   */
  setLimits(cap: number, textBudget: number, background = false): void {
    this.limit = Math.max(1, cap)
    this.textLimit = Math.max(0, textBudget)
    this.background = background
    this.trim()
  }

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
    this.held = 0
  }

  /** Append a batch's frames and skipped count; returns how many frames were added. */
  append(frames: readonly Frame[], skipped: number, lastSeq: number): number {
    let added = 0
    for (const frame of frames) {
      if (frame.seq <= this.lastSeq) continue
      this.origin ??= frame.time
      this.items.push(frame)
      this.held += heldCost(frame)
      this.lastSeq = frame.seq
      added++
    }
    this.skipped += skipped
    if (lastSeq > this.lastSeq) this.lastSeq = lastSeq
    this.trim()
    return added
  }

  /** Let the oldest go until both the count and the text held are within bounds. */
  private trim(): void {
    let drop = Math.max(0, this.length - this.limit)
    for (let i = 0; i < drop; i++) this.held -= heldCost(this.items[this.start + i]!)
    while (this.held > this.textLimit && drop < this.length - 1) this.held -= heldCost(this.items[this.start + drop++]!)
    if (drop === 0) return
    this.items.fill(undefined, this.start, this.start + drop)
    this.start += drop
    this.dropped += drop
    if (this.background) this.trimmedInBackground += drop
    // Copy the survivors down once the empty head is a quarter of what is held at most
    // (or of the slots in use, after the bounds shrank): O(1) amortised per frame, and
    // the array never grows past 1.25× what is held.
    if (this.start >= Math.min(this.limit, this.items.length) / 4) {
      this.items = this.items.slice(this.start)
      this.start = 0
    }
  }
}
