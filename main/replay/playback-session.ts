// A recording played back as a read-only session (issue #5, replay 1). It is a
// Session — listed, subscribed and batched by the same code as a live one — whose
// frames come from a recording's index instead of a technique, keeping their
// recorded seq and time, so every view reads them as recorded. 'instant' streams
// them as fast as they are taken (how a recording is opened read-only); a number
// plays them at that multiple of the recorded pace. It plays only while someone is
// subscribed: an instant stream must not run ahead into nobody.
import { performance } from 'node:perf_hooks'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { ConnectionSpecSchema, fail, ok, type ConnectionSpec, type Frame, type PlaybackInfo, type PlaybackSpeed, type Result, type SessionInfo } from '../contract/index.js'
import type { IndexedRecording } from '../recording/recording-index.js'
import { DEFAULT_MAX_FRAMES_PER_BATCH, Session, type BatchListener } from '../session/session.js'
import type { Technique } from '../techniques/technique.js'
import { recordedFrameDecoder } from '../protocols/recorded-frames.js'

/** Frames per batch for a subscriber that names no cap: a million-frame recording streams in a hundred batches. */
export const PLAYBACK_MAX_FRAMES_PER_BATCH = 10_000
/** Frames read from the file at once while playing at a recorded pace. */
const READ_AHEAD = 1000

/** Nothing is ever sent from a recording: the session's technique only says so. */
const READ_ONLY: Technique = {
  start() {},
  send: () => fail('E_SESSION_READ_ONLY', 'a recording played back is read-only: nothing can be sent'),
  close() {},
  dispose() {},
}

export interface PlaybackSessionOptions {
  id: string
  /** The opened recording; the session owns it from now on and closes it when it is closed. */
  index: IndexedRecording
  /** The file name in the recordings folder, when it is one. */
  name?: string
  speed?: PlaybackSpeed
  paused?: boolean
  batchIntervalMs?: number
  historySize?: number
}

export type PlaybackControl = { action: 'play' | 'pause' | 'step' } | { action: 'seek'; position?: number; time?: number } | { action: 'speed'; speed: PlaybackSpeed }

export class PlaybackSession extends Session {
  private readonly index: IndexedRecording
  private readonly name: string | undefined
  private readonly recordedStart: number
  private readonly batchInterval: number
  /** Position (0-based) of the next frame to emit. */
  private position = 0
  /** Time of the last frame emitted, or the recording's start. */
  private lastTime: number
  private speedNow: PlaybackSpeed
  private pausedNow: boolean
  /** Where a paced playback stands in recorded time: `anchorTime` was reached at `anchorWall` (performance.now()). */
  private anchorTime: number
  private anchorWall = 0
  /** Bumped by every control and by close: a pump of an older generation stops at its next step. */
  private generation = 0
  private running: number | undefined
  private sleeping: { timer: NodeJS.Timeout; wake: () => void } | undefined
  private readonly caps = new Map<BatchListener, number>()
  private sinceFlush = 0
  private released = false
  /** Controls run one after another: each sees the state the previous one left. */
  private controls: Promise<unknown> = Promise.resolve()

  /** Recorded frames get their protocol's packets when the recording has none (made with decoding off, or before it existed). */
  private decode: (frame: Frame) => Frame

  constructor(options: PlaybackSessionOptions) {
    const { header } = options.index
    const spec = ConnectionSpecSchema.safeParse(header.spec)
    super({
      id: options.id,
      // Old files outlive schema changes: a spec that no longer parses is still shown as it was.
      spec: spec.success ? spec.data : (header.spec as unknown as ConnectionSpec),
      createTechnique: () => READ_ONLY,
      // The detectors run over the recorded frames; their findings travel in batches.
      diagnostics: 'keep',
      ...(options.batchIntervalMs !== undefined ? { batchIntervalMs: options.batchIntervalMs } : {}),
      ...(options.historySize !== undefined ? { historySize: options.historySize } : {}),
    })
    this.index = options.index
    this.name = options.name
    this.decode = recordedFrameDecoder(this.spec)
    this.recordedStart = header.startedAt
    this.lastTime = this.anchorTime = header.startedAt
    this.speedNow = options.speed ?? 'instant'
    this.pausedNow = options.paused ?? false
    this.batchInterval = options.batchIntervalMs ?? 16
  }

  /** Whether it still holds its recording open (until closed or disposed). */
  get holdsRecording(): boolean {
    return !this.released
  }

  override start(): void {
    this.changeState('open')
    this.resume()
  }

  override info(): SessionInfo {
    const playback: PlaybackInfo = {
      path: this.index.path,
      position: this.position,
      count: this.index.count,
      speed: this.speedNow,
      paused: this.pausedNow,
      durationMs: this.index.durationMs,
      atTime: this.lastTime,
    }
    if (this.name !== undefined) playback.name = this.name
    return { ...super.info(), startedAt: this.recordedStart, playback }
  }

  override subscribe(listener: BatchListener, maxFramesPerBatch = PLAYBACK_MAX_FRAMES_PER_BATCH): () => void {
    const unsubscribe = super.subscribe(listener, maxFramesPerBatch)
    this.caps.set(listener, maxFramesPerBatch)
    this.resume()
    return () => {
      unsubscribe()
      this.caps.delete(listener)
    }
  }

  override flush(): void {
    this.sinceFlush = 0
    super.flush()
  }

  /** Stop playing, say so to subscribers, and let the recording go. */
  override close(): void {
    if (this.released) return
    this.stopPump()
    this.changeState('closed')
    this.dispose()
  }

  override dispose(): void {
    if (this.released) return
    this.released = true
    this.stopPump()
    super.dispose()
    void this.index.close()
  }

  /** play, pause, step, seek, speed; answers the session's info once done. */
  control(command: PlaybackControl): Promise<Result<SessionInfo>> {
    const run = this.controls.then(async (): Promise<Result<SessionInfo>> => {
      if (this.released) return fail('E_SESSION_CLOSED', 'the playback is closed')
      switch (command.action) {
        case 'play':
          if (this.position >= this.index.count) this.seekTo(0)
          this.pausedNow = false
          this.resume()
          break
        case 'pause':
          this.pause()
          break
        case 'step':
          this.pause()
          await this.step()
          break
        case 'seek':
          this.seekTo(command.position ?? this.positionAtTime(command.time!), command.time)
          if (this.position >= this.index.count) this.finish()
          break
        case 'speed':
          this.anchorTime = this.playhead()
          this.anchorWall = performance.now()
          this.speedNow = command.speed
          // A pump asleep until the next frame's time at the old speed reschedules.
          if (!this.pausedNow) this.restartPump()
          break
      }
      return ok(this.info())
    })
    this.controls = run.catch(() => {})
    return run
  }

  /** The recorded time playback has reached (between frames while paced). */
  private playhead(): number {
    if (this.pausedNow || this.speedNow === 'instant' || this.running === undefined) return Math.max(this.anchorTime, this.lastTime)
    const virtual = this.anchorTime + (performance.now() - this.anchorWall) * this.speedNow
    const next = this.position < this.index.count ? this.index.timeAt(this.position) : virtual
    return Math.max(this.lastTime, Math.min(virtual, next))
  }

  private pause(): void {
    this.anchorTime = this.playhead()
    this.pausedNow = true
    this.stopPump()
    this.flush()
  }

  private seekTo(position: number, time?: number): void {
    const target = Math.min(Math.max(0, position), this.index.count)
    this.stopPump()
    // Open again before the restart batch goes out, so it carries the state too.
    if (target < this.index.count) this.changeState('open')
    if (target !== this.position) {
      this.restart()
      // Decoding state (an emit waiting for its ack) starts over with the frames.
      this.decode = recordedFrameDecoder(this.spec)
      this.position = target
      this.lastTime = target > 0 ? this.index.timeAt(target - 1) : this.recordedStart
    }
    this.anchorTime = time !== undefined ? Math.max(this.lastTime, Math.min(time, this.endTime())) : this.lastTime
    this.resume()
  }

  private endTime(): number {
    return this.index.count > 0 ? this.index.timeAt(this.index.count - 1) : this.recordedStart
  }

  /** The first position whose time is at or after `time` (times never decrease in a recording). */
  private positionAtTime(time: number): number {
    let lo = 0
    let hi = this.index.count
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.index.timeAt(mid) < time) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Exactly one frame: the next one that can be read (a damaged line is passed over). */
  private async step(): Promise<void> {
    const generation = this.generation
    while (this.position < this.index.count) {
      const at = this.position
      const frame = await this.index.frameAt(at)
      if (generation !== this.generation) return
      this.position = at + 1
      if (frame) {
        this.emit(frame)
        this.anchorTime = frame.time
        break
      }
    }
    this.flush()
    if (this.position >= this.index.count) this.finish()
  }

  /** Play on if playing, someone is listening and a pump is not already at it. */
  private resume(): void {
    if (this.released || this.pausedNow || this.caps.size === 0 || this.running === this.generation) return
    if (this.position >= this.index.count) return this.finish()
    this.anchorWall = performance.now()
    this.anchorTime = Math.max(this.anchorTime, this.lastTime)
    const generation = (this.running = this.generation)
    void this.pump(generation)
      .catch((error: unknown) => this.failed(error))
      .finally(() => {
        if (this.running === generation) this.running = undefined
      })
  }

  private restartPump(): void {
    this.stopPump()
    this.resume()
  }

  private stopPump(): void {
    this.generation++
    this.running = undefined
    if (this.sleeping) {
      clearTimeout(this.sleeping.timer)
      this.sleeping.wake()
      this.sleeping = undefined
    }
  }

  private async pump(generation: number): Promise<void> {
    const live = () => generation === this.generation && !this.released
    while (live() && this.position < this.index.count) {
      if (this.caps.size === 0) return // picked up again by the next subscribe
      const from = this.position
      if (this.speedNow === 'instant') {
        const to = Math.min(this.index.count, from + this.largestCap())
        const { frames } = await this.index.framesBetween(from, to)
        if (!live()) return
        for (const frame of frames) this.emit(frame)
        this.position = to
        this.anchorTime = this.lastTime
        this.flush()
        // Let the transport write what it was given before the next batch is made.
        await nextTurn()
        continue
      }
      const to = Math.min(this.index.count, from + READ_AHEAD)
      const { frames } = await this.index.framesBetween(from, to)
      if (!live()) return
      let at = from
      for (const frame of frames) {
        const wait = this.anchorWall + (frame.time - this.anchorTime) / (this.speedNow as number) - performance.now()
        if (wait >= 1) {
          // What is due already goes out now rather than after the wait.
          if (wait >= this.batchInterval) this.flush()
          await this.sleep(wait)
          if (!live()) return
        }
        while (at < to && this.index.seqAt(at) < frame.seq) at++
        this.position = at = Math.min(to, at + 1)
        this.emit(frame)
      }
      this.position = to
    }
    if (live()) this.finish()
  }

  private emit(frame: Frame): void {
    this.lastTime = frame.time
    this.replayFrame(this.decode(frame))
    if (++this.sinceFlush >= this.largestCap()) this.flush()
  }

  private largestCap(): number {
    let cap = 0
    for (const value of this.caps.values()) cap = Math.max(cap, value)
    return cap || DEFAULT_MAX_FRAMES_PER_BATCH
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.sleeping = undefined
        resolve()
      }
      this.sleeping = { timer: setTimeout(wake, ms), wake }
    })
  }

  /** The end of the recording: 'closed' until a seek goes back. */
  private finish(): void {
    this.flush()
    this.changeState('closed')
  }

  /** The file could not be read on: an error frame after the last one played, and the session fails. */
  private failed(error: unknown): void {
    if (this.released) return
    const seq = this.position > 0 ? this.index.seqAt(this.position - 1) + 1 : 1
    const message = `the recording could not be read on: ${error instanceof Error ? error.message : String(error)}`
    this.replayFrame({ kind: 'error', direction: 'system', code: 'E_PLAYBACK_READ', message, seq, time: this.lastTime })
    this.changeState('failed')
  }
}
