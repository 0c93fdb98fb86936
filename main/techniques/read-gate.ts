// Back-pressure inside an HTTP technique (docs/architecture.md, "Recording"): while
// the gate is held the technique reads nothing more — every response body it follows
// is paused, so the socket's buffers fill and TCP flow control slows the server — and
// work that would read more (the next poll) waits until it is released.
import type { Readable } from 'node:stream'

export class ReadGate {
  private heldNow = false
  private readonly followed = new Set<Readable>()
  private waiting: (() => void)[] = []

  get held(): boolean {
    return this.heldNow
  }

  hold(): void {
    if (this.heldNow) return
    this.heldNow = true
    for (const stream of this.followed) stream.pause()
  }

  release(): void {
    if (!this.heldNow) return
    this.heldNow = false
    for (const stream of this.followed) stream.resume()
    const waiting = this.waiting
    this.waiting = []
    for (const fn of waiting) fn()
  }

  /** Reading `stream` follows the gate until the stream closes; call after its 'data' listener is on. */
  follow(stream: Readable): void {
    this.followed.add(stream)
    if (this.heldNow) stream.pause()
    stream.once('close', () => this.followed.delete(stream))
  }

  /** Stops following `stream` (its reader is done with it). */
  unfollow(stream: Readable): void {
    this.followed.delete(stream)
  }

  /** Resumes a stream paused for another reason (a decoder draining) unless the gate holds it. */
  resume(stream: Readable): void {
    if (!this.heldNow) stream.resume()
  }

  /** Runs `fn` now, or once the gate is released. */
  whenOpen(fn: () => void): void {
    if (this.heldNow) this.waiting.push(fn)
    else fn()
  }

  /** Forgets what waits (the technique was disposed). */
  clear(): void {
    this.waiting = []
    this.followed.clear()
  }
}
