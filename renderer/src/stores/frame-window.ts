// The frames of one session the renderer keeps: a plain array, never deeply reactive.
// docs/architecture.md ("Budgets"): Vue proxies around hundreds of thousands of frames cost O(n) work per
// update; a plain array read by a fixed-row-height list held 59 fps at 1M rows.
// The window is reactive as a whole instead: every read tracks one signal and every
// change triggers it, so a computed or a render that reads the window follows it with
// nothing to remember (no counter to touch by hand).
import { shallowRef, triggerRef } from 'vue'
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
  private droppedCount = 0
  private skippedCount = 0
  private clearedCount = 0
  private highestSeq = 0
  private firstTime: number | undefined
  private trimmedCount = 0
  /** Tracked by every read, triggered by every change: the window's one reactive part. */
  private readonly signal = shallowRef(0)
  private changes = 0
  private limit: number
  private textLimit: number
  private background = false

  constructor(cap = DEFAULT_FRAME_CAP, textBudget = DEFAULT_TEXT_BUDGET) {
    this.limit = cap
    this.textLimit = textBudget
  }

  /** Changes with every change to the window (a watch source that also works when the window is full). */
  get revision(): number {
    this.track()
    return this.changes
  }

  /** Oldest frames let go to stay under the cap (the engine and recordings keep them). */
  get dropped(): number {
    this.track()
    return this.droppedCount
  }

  /** Frames the engine did not send because they came too fast to display. */
  get skipped(): number {
    this.track()
    return this.skippedCount
  }

  /** Frames the user cleared from view (the engine and recordings keep them). */
  get cleared(): number {
    this.track()
    return this.clearedCount
  }

  /** Highest seq seen, so a replayed history after re-subscribing is not shown twice. */
  get lastSeq(): number {
    this.track()
    return this.highestSeq
  }

  /** Time of the first frame ever appended: "since start" survives drops and clears. */
  get origin(): number | undefined {
    this.track()
    return this.firstTime
  }

  /** Frames let go while the tab was in the background (included in `dropped`): its recording has them. */
  get trimmedInBackground(): number {
    this.track()
    return this.trimmedCount
  }

  /** Most frames held now: the whole cap for the tab in view, a short tail in the background. */
  get cap(): number {
    this.track()
    return this.limit
  }

  get textBudget(): number {
    this.track()
    return this.textLimit
  }

  /** What the held frames cost, by the same measure as the text budget. */
  get textHeld(): number {
    this.track()
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
    this.changed()
  }

  get length(): number {
    this.track()
    return this.size()
  }

  /**
   * Absolute position of index 0: every frame ever appended has a position that never
   * changes, so views can remember frames across drops and clears.
   */
  get base(): number {
    this.track()
    return this.droppedCount + this.clearedCount
  }

  get(index: number): Frame | undefined {
    this.track()
    return index < 0 ? undefined : this.items[this.start + index]
  }

  last(): Frame | undefined {
    return this.get(this.length - 1)
  }

  /** Index of the frame with this seq (frames are in seq order), or -1. */
  indexOfSeq(seq: number): number {
    this.track()
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
    this.track()
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
    this.clearedCount += this.size()
    this.items = []
    this.start = 0
    this.held = 0
    this.changed()
  }

  /** A playback went back: nothing held, and the frames and counts start over. */
  restart(): void {
    this.clear()
    this.highestSeq = 0
    this.skippedCount = 0
    this.firstTime = undefined
  }

  /** Append a batch's frames and skipped count; returns how many frames were added. */
  append(frames: readonly Frame[], skipped: number, lastSeq: number): number {
    let added = 0
    for (const frame of frames) {
      if (frame.seq <= this.highestSeq) continue
      this.firstTime ??= frame.time
      this.items.push(frame)
      this.held += heldCost(frame)
      this.highestSeq = frame.seq
      added++
    }
    this.skippedCount += skipped
    if (lastSeq > this.highestSeq) this.highestSeq = lastSeq
    this.trim()
    this.changed()
    return added
  }

  private size(): number {
    return this.items.length - this.start
  }

  /** Called by every read: a computed or render reading the window depends on it. */
  private track(): void {
    void this.signal.value
  }

  /** Called once per change (a batch, a clear, new bounds), not per frame. */
  private changed(): void {
    this.changes++
    triggerRef(this.signal)
  }

  /** Let the oldest go until both the count and the text held are within bounds. */
  private trim(): void {
    let drop = Math.max(0, this.size() - this.limit)
    for (let i = 0; i < drop; i++) this.held -= heldCost(this.items[this.start + i]!)
    while (this.held > this.textLimit && drop < this.size() - 1) this.held -= heldCost(this.items[this.start + drop++]!)
    if (drop === 0) return
    this.items.fill(undefined, this.start, this.start + drop)
    this.start += drop
    this.droppedCount += drop
    if (this.background) this.trimmedCount += drop
    // Copy the survivors down once the empty head is a quarter of what is held at most
    // (or of the slots in use, after the bounds shrank): O(1) amortised per frame, and
    // the array never grows past 1.25× what is held.
    if (this.start >= Math.min(this.limit, this.items.length) / 4) {
      this.items = this.items.slice(this.start)
      this.start = 0
    }
  }
}
