// One live connection: it owns its technique, stamps every frame with seq and time,
// counts, and hands frames to subscribers in batches (about every 16 ms, or at once
// when the pending window fills) — never one callback per frame.
import { fail, type ConnectionSpec, type Frame, type FrameBatch, type FrameBody, type OutgoingMessage, type Result, type SessionInfo, type SessionRecordingInfo, type SessionState, type SessionStats } from '../contract/index.js'
import { messageBodyOf } from '../frames/message-frame.js'
import type { EventRun, LazyDecode, TechniqueSink } from '../frames/sink.js'
import { textIfUtf8 } from '../frames/text.js'
import type { Technique, TechniqueFactory } from '../techniques/technique.js'
import type { NetContext } from '../net/proxy.js'
import { RecordingWriter, type RecordingStopCode } from '../recording/recording-writer.js'
import { recordingHeader } from '../recording/recording-writer-header.js'
import { recordingBaseName } from '../recording/recording-writer-path.js'
import { createSessionClock, type SessionClock } from './clock.js'
import { PendingFrames } from './pending-frames.js'
import { ReplayHistory } from './replay-history.js'
import { ReadPauses } from './read-pauses.js'
import { SessionDiagnostics, type FindingBody } from '../diagnostics/session-diagnostics.js'
import { isIntent } from '../protocols/protocol.js'

/** How often the detectors look at a live session that is quiet (silence is evidence too). */
const DIAGNOSTICS_TICK_MS = 1000

export interface SessionOptions {
  id: string
  spec: ConnectionSpec
  createTechnique: TechniqueFactory
  batchIntervalMs?: number
  /** What only the host app can provide (the system proxy resolver). */
  net?: NetContext
  /** Frames kept to replay to a late subscriber. */
  historySize?: number
  /** Record every frame: to a new file in `dir` (named from the start time, technique and host), or to `path`. */
  recording?: { target: { dir: string } | { path: string; exclusive: boolean }; maxBytes?: number; highWaterBytes?: number | undefined }
  /**
   * The passive detectors: 'emit' (a live session: findings become frames, recorded and
   * shown), 'keep' (a playback: findings only travel in batches, as its frames keep their
   * recorded seqs). Default 'emit'; `spec.diagnostics.enabled: false` turns them off.
   */
  diagnostics?: 'emit' | 'keep'
}

export type BatchListener = (batch: FrameBatch) => void
interface Subscriber {
  listener: BatchListener
  maxMessages: number
}

/**
 * Messages materialised per batch by default: ~30 k frames/s at one batch per 16 ms,
 * three times what the UI is asked to display. The payloads of this many messages
 * are held until the batch goes out; holding 2000 large ones (each pinning the
 * socket chunk it came in) cut 4 KB ingest from 0.87x to 0.4x of a bare client.
 */
export const DEFAULT_MAX_FRAMES_PER_BATCH = 500

const TERMINAL: ReadonlySet<SessionState> = new Set(['closed', 'failed'])

export class Session {
  readonly id: string
  readonly spec: ConnectionSpec
  readonly startedAt: number
  readonly stats: SessionStats = { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 }
  /** Resolves with the final state once the session is closed or failed. */
  readonly ended: Promise<SessionState>

  private stateNow: SessionState = 'connecting'
  private readonly clock: SessionClock
  private readonly technique: Technique
  private readonly pending: PendingFrames
  private readonly subscribers = new Set<Subscriber>()
  private readonly history: ReplayHistory
  /** The technique shows raw body chunks (SSE, streaming): they carry the byte count. */
  private readonly chunked: boolean
  private readonly batchIntervalMs: number
  private flushTimer: NodeJS.Timeout | undefined
  private disposed = false
  /** A state change not yet delivered (states travel inside batches). */
  private stateChanged = false
  /** Highest seq handed to subscribers (or skipped) so far. */
  private deliveredSeq = 0
  private resolveEnded!: (state: SessionState) => void
  /** The time of the last frame stamped: never decreases. */
  private lastStamp = 0
  /** Gets every frame as it is stamped, when the session is recorded. */
  private readonly recorder: RecordingWriter | undefined
  /** Pauses in reading for the recording's disk. */
  private readonly readPauses = new ReadPauses()
  /** A recording that could not even start. */
  private recordingFailure: SessionRecordingInfo | undefined
  /** The next batch tells subscribers to forget what they hold (a playback went back). */
  private restartNext = false
  /** The passive detectors, unless turned off for this connection. */
  protected readonly diagnostics: SessionDiagnostics | undefined
  private diagnosticsTimer: NodeJS.Timeout | undefined

  constructor(options: SessionOptions) {
    this.id = options.id
    this.spec = options.spec
    this.clock = createSessionClock()
    this.startedAt = this.clock.now()
    this.batchIntervalMs = options.batchIntervalMs ?? 16
    this.history = new ReplayHistory(options.historySize ?? 500)
    this.chunked = this.spec.technique === 'sse' || this.spec.technique === 'streaming'
    this.pending = new PendingFrames(Math.max(this.history.size, DEFAULT_MAX_FRAMES_PER_BATCH))
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve))
    if (options.recording) this.recorder = this.startRecording(options.recording)
    this.diagnostics = this.startDiagnostics(options.diagnostics ?? 'emit')
    this.technique = options.createTechnique(this.spec, this.createSink(), { number: 1, net: options.net ?? {} })
  }

  get state(): SessionState {
    return this.stateNow
  }

  start(): void {
    this.technique.start()
  }

  send(message: OutgoingMessage): Result<void> {
    if (this.disposed) return fail('E_SESSION_CLOSED', 'the session is closed')
    if (isIntent(message) && (this.spec.protocol.name === 'auto' || this.spec.protocol.name === 'none')) {
      return fail('E_PROTOCOL_NONE', `${message.type === 'emit' ? 'emitting an event' : message.type === 'subscribe' ? 'subscribing' : 'completing an operation'} needs a protocol: choose Socket.IO or GraphQL for this connection`)
    }
    return this.technique.send(message)
  }

  /** Close politely; the technique reports the close and the session ends. */
  close(code?: number, reason?: string): void {
    if (this.disposed || TERMINAL.has(this.stateNow)) return
    this.technique.close(code, reason)
  }

  /** Stop everything now: the technique's sockets and timers, and this session's timer. */
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.stopDiagnosticsTimer()
    this.technique.dispose()
    if (!TERMINAL.has(this.stateNow)) this.stateNow = 'closed'
    this.flush()
    void this.recorder?.close()
    this.subscribers.clear()
    this.resolveEnded(this.stateNow)
  }

  /** Resolves once the recording (if any) has every frame on disk and its file is closed; call after the session ended. */
  recordingClosed(): Promise<void> {
    return this.recorder?.closed ?? Promise.resolve()
  }

  info(): SessionInfo {
    const info: SessionInfo = { id: this.id, spec: this.spec, state: this.stateNow, startedAt: this.startedAt, stats: this.statsNow() }
    const recording = this.recorder?.info() ?? this.recordingFailure
    if (recording) {
      info.recording = recording
      this.readPauses.describe(recording, this.clock.now())
    }
    return info
  }

  /** Receive batches; the recent history is replayed first as one batch. */
  subscribe(listener: BatchListener, maxFramesPerBatch = DEFAULT_MAX_FRAMES_PER_BATCH): () => void {
    const subscriber = { listener, maxMessages: maxFramesPerBatch }
    this.subscribers.add(subscriber)
    this.pending.ensureMessageCapacity(maxFramesPerBatch)
    const findings = this.diagnostics?.list() ?? []
    if (!this.history.isEmpty || TERMINAL.has(this.stateNow) || findings.length > 0) {
      const first = this.batch(this.history.newest(maxFramesPerBatch), 0, this.deliveredSeq)
      if (findings.length > 0) first.findings = findings
      listener(first)
    }
    return () => this.subscribers.delete(subscriber)
  }

  /** Deliver what is pending now. */
  flush(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer)
      this.flushTimer = undefined
    }
    const findings = this.diagnostics?.takeChanged()
    if (this.pending.isEmpty && !this.stateChanged && !findings) return
    this.stateChanged = false
    const lastSeq = (this.deliveredSeq = this.pending.lastSeq)
    // Subscribers asking for the same cap share one set of frame objects.
    const byCap = new Map<number, { frames: Frame[]; skipped: number }>()
    const caps = [...new Set([...this.subscribers].map((s) => s.maxMessages)), this.history.size]
    for (const cap of caps) if (!byCap.has(cap)) byCap.set(cap, this.pending.materialise(cap))
    this.history.remember(byCap.get(Math.max(...caps))!.frames)
    this.pending.clear()
    for (const subscriber of this.subscribers) {
      const { frames, skipped } = byCap.get(subscriber.maxMessages)!
      const batch = this.batch(frames, skipped, lastSeq)
      if (findings) batch.findings = findings
      subscriber.listener(batch)
    }
    this.restartNext = false
  }

  private batch(frames: Frame[], skipped: number, lastSeq: number): FrameBatch {
    const batch: FrameBatch = { sessionId: this.id, frames, skipped, lastSeq, state: this.stateNow, stats: this.statsNow() }
    if (this.restartNext) batch.restart = true
    return batch
  }

  /** A frame stamped already (a recording played back): counted and batched like a live one, keeping its seq and time. */
  protected replayFrame(frame: Frame): void {
    if (this.disposed) return
    this.diagnostics?.observe(frame)
    this.count(frame)
    this.stats.frames++
    this.pending.pushStamped(frame)
    this.scheduleFlush()
  }

  /** Start over (a playback went back): nothing held or counted any more, and the next batch says `restart`. */
  protected restart(): void {
    if (this.disposed) return
    this.pending.reset()
    this.diagnostics?.reset()
    this.history.clear()
    this.deliveredSeq = 0
    for (const key of Object.keys(this.stats) as (keyof SessionStats)[]) this.stats[key] = 0
    this.restartNext = true
    this.stateChanged = true
    this.flush()
  }

  private scheduleFlush(): void {
    if (this.pending.isFull) this.flush()
    else if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.batchIntervalMs)
  }

  /**
   * Messages are what the user reads: WebSocket and polled messages, messages framed
   * from a stream, SSE events. Bytes are what crossed the wire: where a technique shows
   * raw chunks, they are the bytes, and messages cut from them are not counted again.
   */
  private count(body: FrameBody): void {
    if (body.kind === 'message' && body.direction === 'out') {
      this.stats.messagesOut++
      this.stats.bytesOut += body.size
    } else if ((body.kind === 'message' && body.direction === 'in') || body.kind === 'event') {
      this.stats.messagesIn++
      if (body.kind === 'message' && !this.chunked) this.stats.bytesIn += body.size
    } else if (body.kind === 'chunk') {
      this.stats.bytesIn += body.size
    } else if (body.kind === 'reconnect') {
      this.stats.reconnects++
    }
  }

  /** The counters, with the time reading was paused for the disk: pauses that ended, and when the current one began. */
  private statsNow(): SessionStats {
    return this.readPauses.addTo({ ...this.stats })
  }

  /**
   * The recording's disk is behind (or caught up): the technique stops (or starts
   * again) reading its connection, so the file keeps every frame at the rate the disk
   * sustains (docs/architecture.md, "Recording"). The next batch tells the UI.
   */
  private recordingPressure(behind: boolean): void {
    // An ended session only closes the account (its file is still being written).
    const live = !this.disposed && !TERMINAL.has(this.stateNow)
    if (behind) {
      if (!live) return
      this.readPauses.begin(this.clock.now())
      this.technique.pause?.()
    } else {
      if (!this.readPauses.end(this.clock.now())) return
      if (!live) return
      this.technique.resume?.()
    }
    this.stateChanged = true
    this.scheduleFlush()
  }

  private startRecording({ target, maxBytes, highWaterBytes }: NonNullable<SessionOptions['recording']>): RecordingWriter | undefined {
    const fileTarget = 'dir' in target ? { dir: target.dir, baseName: recordingBaseName(this.startedAt, this.spec.technique, this.spec.url) } : target
    try {
      return new RecordingWriter({
        target: fileTarget,
        header: recordingHeader(this.spec, this.startedAt, this.id),
        maxBytes,
        ...(highWaterBytes !== undefined ? { highWaterBytes } : {}),
        onStop: (code, message) => this.recordingStopped(code, message),
        onPressure: (behind) => this.recordingPressure(behind),
      })
    } catch (error) {
      const where = 'path' in fileTarget ? fileTarget.path : fileTarget.dir
      const message = `cannot record to ${where}: ${(error as Error).message}; the session goes on unrecorded`
      this.recordingFailure = { path: where, bytes: 0, frames: 0, stopped: message }
      this.stats.frames++
      this.pending.pushBody({ kind: 'error', direction: 'system', code: 'E_RECORDING_OPEN', message }, this.stamp())
      return undefined
    }
  }

  /** The recording stopped early: the session says so, and so does the recording's last line. */
  private recordingStopped(code: RecordingStopCode, message: string): void {
    const body: FrameBody = { kind: 'error', direction: 'system', code, message }
    const time = this.stamp()
    this.stats.frames++
    this.pending.pushBody(body, time)
    this.recorder?.epilogue(body, this.pending.lastSeq, time)
    this.scheduleFlush()
  }

  /** The time for a frame recorded now; kept, so that frames that share a moment can reuse it. */
  private stamp(): number {
    return (this.lastStamp = this.clock.now())
  }

  private startDiagnostics(mode: 'emit' | 'keep'): SessionDiagnostics | undefined {
    if (this.spec.diagnostics?.enabled === false) return undefined
    const diagnostics = new SessionDiagnostics(this.spec, {
      ...(mode === 'emit' ? { emit: (body: FindingBody) => this.emitFinding(body) } : {}),
      onChange: () => this.scheduleFlush(),
    })
    if (mode === 'emit') {
      this.diagnosticsTimer = setInterval(() => diagnostics.tick(this.clock.now()), DIAGNOSTICS_TICK_MS)
      this.diagnosticsTimer.unref()
    }
    return diagnostics
  }

  private stopDiagnosticsTimer(): void {
    clearInterval(this.diagnosticsTimer)
    this.diagnosticsTimer = undefined
  }

  /** A detector's finding, as a frame of this session (recorded and shown like any). */
  private emitFinding(body: FindingBody): number {
    const time = this.stamp()
    this.stats.frames++
    this.pending.pushBody(body, time)
    this.recorder?.body(body, this.pending.lastSeq, time)
    this.scheduleFlush()
    return this.pending.lastSeq
  }

  private createSink(): TechniqueSink {
    return {
      now: () => this.clock.now(),
      hint: () => {},
      frame: (body: FrameBody) => {
        if (this.disposed) return undefined
        this.count(body)
        this.stats.frames++
        const time = this.stamp()
        this.pending.pushBody(body, time)
        this.recorder?.body(body, this.pending.lastSeq, time)
        this.diagnostics?.observe({ ...body, seq: this.pending.lastSeq, time } as Frame)
        this.scheduleFlush()
        return this.pending.lastSeq
      },
      protocolFacts: (facts) => this.diagnostics?.protocolFacts(facts),
      messageIn: (data: Buffer, binary: boolean, decode?: LazyDecode) => {
        if (this.disposed) return
        this.stats.frames++
        this.stats.messagesIn++
        if (!this.chunked) this.stats.bytesIn += data.length
        // Where raw chunks are shown, a message was cut from the chunk recorded just
        // before it and takes that chunk's time, like an SSE event: a clock read per
        // message was 7 % of framing small NDJSON records.
        const time = this.chunked ? this.lastStamp : this.stamp()
        this.pending.pushMessageIn(data, binary, time, decode)
        if (this.recorder) {
          // A recording keeps every frame's packets: decoded here, as the frame is written.
          const decoded = decode?.(data, binary)
          if (decoded === undefined) this.recorder.message(data, binary, this.pending.lastSeq, time)
          else this.recorder.body({ ...messageBodyOf(data, binary), decoded }, this.pending.lastSeq, time)
        }
        const diagnostics = this.diagnostics
        if (diagnostics) {
          if (!this.chunked) diagnostics.dataIn(time, data.length)
          if (!binary && diagnostics.wantsSample(time)) diagnostics.sample(this.pending.lastSeq, time, 'message', data.toString('utf8', 0, 4096))
        }
        this.scheduleFlush()
      },
      chunkIn: (data: Buffer, text: string | undefined) => {
        if (this.disposed) return
        this.stats.frames++
        this.stats.bytesIn += data.length
        const time = this.stamp()
        this.pending.pushChunk(data, text, time)
        // A chunk not decoded yet is decoded here only when it is recorded or sampled.
        this.recorder?.chunk(data, text ?? textIfUtf8(data), this.pending.lastSeq, time)
        const diagnostics = this.diagnostics
        if (diagnostics) {
          diagnostics.dataIn(time, data.length)
          if (diagnostics.wantsSample(time)) {
            const sampled = text ?? textIfUtf8(data)
            if (sampled !== undefined) diagnostics.sample(this.pending.lastSeq, time, 'chunk', sampled)
          }
        }
        this.scheduleFlush()
      },
      eventIn: (type: string, data: string, id: string, retry: number | undefined) => {
        if (this.disposed) return
        this.stats.frames++
        this.stats.messagesIn++
        // An event arrived with the chunk that completed it, stamped just before: it
        // takes that time (or a later frame's), not a clock read of its own, which was
        // a tenth of the cost of an event.
        this.pending.pushEvent(type, data, id, retry, this.lastStamp)
        this.recorder?.event(type, data, id, retry, this.pending.lastSeq, this.lastStamp)
        if (this.diagnostics?.wantsSample(this.lastStamp)) this.diagnostics.sample(this.pending.lastSeq, this.lastStamp, 'event', data)
        this.scheduleFlush()
      },
      eventsIn: (run: EventRun) => {
        if (this.disposed) return
        const count = run.count
        this.stats.frames += count
        this.stats.messagesIn += count
        const time = this.lastStamp
        this.pending.pushEventRun(run, time)
        const firstSeq = this.pending.lastSeq - count + 1
        if (this.recorder) for (let i = 0; i < count; i++) this.recorder.event(run.type(i), run.data(i), run.lastEventId(i), undefined, firstSeq + i, time)
        const diagnostics = this.diagnostics
        if (diagnostics) for (let i = 0; i < count && diagnostics.wantsSample(time); i++) diagnostics.sample(firstSeq + i, time, 'event', run.data(i))
        this.scheduleFlush()
      },
      state: (next: SessionState) => this.changeState(next),
    }
  }

  protected changeState(next: SessionState): void {
    if (this.disposed || this.stateNow === next) return
    this.stateNow = next
    this.stateChanged = true
    if (TERMINAL.has(next)) {
      this.stopDiagnosticsTimer()
      // Whoever waits for the end (the CLI, a closing window) gets every frame first.
      this.flush()
      void this.recorder?.close()
      this.resolveEnded(next)
    } else {
      this.scheduleFlush()
    }
  }
}
