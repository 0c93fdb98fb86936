// The account of a session's pauses in reading for the recording's disk
// (docs/architecture.md, "Recording"): how many, how long in all, and since when the
// current one runs — for the status bar and the session's info.
import type { SessionRecordingInfo, SessionStats } from '../contract/index.js'

export class ReadPauses {
  /** Session-clock time the current pause began, 0 while reading. */
  private since = 0
  /** Total ms of pauses that ended. */
  private endedMs = 0
  private count = 0

  get paused(): boolean {
    return this.since > 0
  }

  begin(now: number): void {
    this.count++
    this.since = now
  }

  /** Ends the current pause; false when there was none. */
  end(now: number): boolean {
    if (this.since === 0) return false
    this.endedMs += now - this.since
    this.since = 0
    return true
  }

  /** The stats fields, when reading ever paused. */
  addTo(stats: SessionStats): SessionStats {
    if (this.count > 0) {
      stats.readPausedMs = Math.round(this.endedMs)
      if (this.since > 0) stats.readPausedSince = this.since
    }
    return stats
  }

  /** The recording's fields, when reading ever paused. */
  describe(recording: SessionRecordingInfo, now: number): void {
    if (this.count === 0) return
    const current = this.since > 0 ? now - this.since : 0
    Object.assign(recording, { paused: current > 0, pausedMs: Math.round(this.endedMs + current), pauses: this.count })
  }
}
