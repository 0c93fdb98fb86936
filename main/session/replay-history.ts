// The newest frames of a session, kept for a subscriber that comes late (a window
// opened on a running session): bounded by count and by payload bytes, so large
// chunks or messages do not pin megabytes each.
import { payloadLength, type Frame } from '../contract/index.js'

/** Payload bytes held at most, however few the frames. */
const HISTORY_BYTES = 4 * 1024 * 1024

export class ReplayHistory {
  private readonly frames: Frame[] = []
  private bytes = 0

  constructor(readonly size: number) {}

  get isEmpty(): boolean {
    return this.frames.length === 0
  }

  /** The newest `count` frames, oldest first. */
  newest(count: number): Frame[] {
    return this.frames.slice(-count)
  }

  remember(frames: Frame[]): void {
    for (let i = Math.max(0, frames.length - this.size); i < frames.length; i++) {
      const frame = frames[i]!
      this.frames.push(frame)
      this.bytes += payloadLength(frame)
    }
    let drop = 0
    while (this.frames.length - drop > 1 && (this.frames.length - drop > this.size || this.bytes > HISTORY_BYTES)) {
      this.bytes -= payloadLength(this.frames[drop++]!)
    }
    if (drop > 0) this.frames.splice(0, drop)
  }

  clear(): void {
    this.frames.length = 0
    this.bytes = 0
  }
}
