// Appends one session's frames to a `*.rti.jsonl` file (docs/architecture.md, "The frame model"): the header line
// at once, then every frame the session stamps, one JSON line each. Lines are encoded
// into memory on the hot path and written in bulk off it — by a timer so that every
// frame is with the OS within RECORDING_FLUSH_MS (a crash of this process loses
// nothing older; no fsync, which would cost a disk round trip per write), or at once
// when WRITE_BYTES have gathered. Memory is bounded: a disk that cannot keep up, a
// failed write, or the size cap stop the recording, never the session; `onStop`
// tells the session why, and the file keeps every complete line written before.
// Before it comes to that, the writer pushes back: past a high-water mark of bytes
// waiting for the disk `onPressure(true)` asks the session to stop reading its
// connection, and below the low-water mark `onPressure(false)` lets it read again
// (docs/architecture.md, "Recording"), so a live stream is recorded whole at the
// rate the disk sustains and the cap is only reached by what cannot be paused.
// A single large message is written through whole: the queue's cap counts what waits
// besides the newest line. Only a payload whose line would pass the readers' line cap
// (MAX_RECORDING_LINE) is kept as a reference instead: its size and SHA-256 in
// `omitted` (docs/architecture.md, "Recording").
import { createHash } from 'node:crypto'
import { closeSync, writeSync, writev, close as closeFile } from 'node:fs'
import { formatBytes, type FrameBody, type RecordingHeader } from '../contract/index.js'
import { MAX_RECORDING_LINE } from './line-reader.js'
import { LineBuffer } from './recording-writer-lines.js'
import { createRecordingFile } from './recording-writer-path.js'

/** Every frame reaches the OS within this long (half the 100 ms promise: the write itself takes time too). */
export const RECORDING_FLUSH_MS = 50
export const DEFAULT_RECORDING_MAX_BYTES = 1024 * 1024 * 1024
/** Lines held in memory, not yet handed to the OS, before the recording gives up on a disk that cannot keep up. */
export const DEFAULT_RECORDING_MAX_PENDING_BYTES = 64 * 1024 * 1024
/** Write without waiting for the timer once this much has gathered: writes stay large and memory small. */
const WRITE_BYTES = 1024 * 1024
/** Bytes waiting for the disk (queued or being written) past which the session stops reading. */
export const DEFAULT_RECORDING_HIGH_WATER_BYTES = 16 * 1024 * 1024
/** Bytes waiting below which it reads again: a quarter, so pauses are few and writes stay large. */
export const DEFAULT_RECORDING_LOW_WATER_BYTES = 4 * 1024 * 1024

export type RecordingStopCode = 'E_RECORDING_LIMIT' | 'E_RECORDING_BEHIND' | 'E_RECORDING_WRITE'

export interface RecordingInfo {
  path: string
  /** Bytes of the file, header included, as recorded so far (on disk within RECORDING_FLUSH_MS). */
  bytes: number
  frames: number
  /** Why recording stopped before the session ended. */
  stopped?: string
}

export interface RecordingWriterOptions {
  /** A folder (a new file named from `baseName`) or a file (`exclusive`: never replace one). */
  target: { dir: string; baseName: string } | { path: string; exclusive: boolean }
  header: RecordingHeader
  maxBytes?: number
  maxPendingBytes?: number
  /** Longest line written; a longer frame is recorded as a reference (default: what readers read). */
  maxLineBytes?: number
  flushMs?: number
  /** Recording stopped early (cap, slow disk, write error); called once. */
  onStop?: (code: RecordingStopCode, message: string) => void
  /** Waiting bytes at which `onPressure(true)` is called (default 16 MiB), and below which `onPressure(false)` (default a quarter of it). */
  highWaterBytes?: number
  lowWaterBytes?: number
  /** The disk is behind (true: stop reading) or caught up again (false); alternates, starting with true. */
  onPressure?: (behind: boolean) => void
}

export class RecordingWriter {
  readonly path: string
  private fd: number | undefined
  private readonly lines = new LineBuffer()
  private readonly maxBytes: number
  private readonly maxPendingBytes: number
  private readonly maxLineBytes: number
  private readonly flushMs: number
  private readonly onStop: RecordingWriterOptions['onStop']
  private readonly highWater: number
  private readonly lowWater: number
  private readonly onPressure: RecordingWriterOptions['onPressure']
  /** onPressure(true) was the last call. */
  private behind = false
  /** Bytes of the write in flight. */
  private writingBytes = 0
  /** Bytes and frames accepted (in the file, being written, or in `lines`). */
  private bytes: number
  private frames = 0
  private stoppedBecause: string | undefined
  /** No more lines: stopped, or the session ended. */
  private closing = false
  private writing = false
  /** A write failed: nothing more goes to this file. */
  private broken = false
  /** The timer fired while a write was in flight: write again as soon as it ends. */
  private due = false
  private timer: NodeJS.Timeout | undefined
  private resolveClosed!: () => void
  /** Resolves once everything accepted is written (or given up) and the file is closed. */
  readonly closed: Promise<void>

  /** Creates the file and writes the header; throws the file system's error when it cannot. */
  constructor(options: RecordingWriterOptions) {
    const { fd, path } = createRecordingFile(options.target)
    const header = JSON.stringify(options.header) + '\n'
    try {
      this.bytes = writeSync(fd, header)
    } catch (error) {
      closeSync(fd)
      throw error
    }
    this.fd = fd
    this.path = path
    this.maxBytes = options.maxBytes ?? DEFAULT_RECORDING_MAX_BYTES
    this.maxPendingBytes = options.maxPendingBytes ?? DEFAULT_RECORDING_MAX_PENDING_BYTES
    this.maxLineBytes = options.maxLineBytes ?? MAX_RECORDING_LINE
    this.flushMs = options.flushMs ?? RECORDING_FLUSH_MS
    this.onStop = options.onStop
    this.highWater = options.highWaterBytes ?? DEFAULT_RECORDING_HIGH_WATER_BYTES
    this.lowWater = Math.min(options.lowWaterBytes ?? Math.floor(this.highWater / 4), this.highWater)
    this.onPressure = options.onPressure
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve))
  }

  info(): RecordingInfo {
    const info: RecordingInfo = { path: this.path, bytes: this.bytes, frames: this.frames }
    if (this.stoppedBecause) info.stopped = this.stoppedBecause
    return info
  }

  /** Still taking frames. */
  get recording(): boolean {
    return !this.closing
  }

  message(data: Buffer, binary: boolean, seq: number, time: number): void {
    if (this.closing) return
    const omitted = () => ({ kind: 'message', direction: 'in', ...(binary ? { dataBase64: '', binary: true } : { data: '' }), size: data.length, omitted: reference(data) }) as FrameBody
    this.add(binary ? base64Bytes(data.length) : data.length, () => this.lines.message(data, binary, seq, time), omitted, seq, time)
  }

  chunk(data: Buffer, text: string | undefined, seq: number, time: number): void {
    if (this.closing) return
    const omitted = () => ({ kind: 'chunk', direction: 'in', ...(text === undefined ? { dataBase64: '', binary: true } : { data: '' }), size: data.length, omitted: reference(data) }) as FrameBody
    this.add(text === undefined ? base64Bytes(data.length) : data.length, () => this.lines.chunk(data, text, seq, time), omitted, seq, time)
  }

  event(type: string, data: string, id: string, retry: number | undefined, seq: number, time: number): void {
    if (this.closing) return
    const omitted = () => ({ kind: 'event', direction: 'in', event: type.slice(0, 1024), data: '', id: id.slice(0, 1024), ...(retry === undefined ? {} : { retry }), omitted: reference(Buffer.from(data)) }) as FrameBody
    this.add(data.length + type.length + id.length, () => this.lines.event(type, data, id, retry, seq, time), omitted, seq, time)
  }

  body(body: FrameBody, seq: number, time: number): void {
    if (this.closing) return
    const payload = 'data' in body && typeof body.data === 'string' ? body.data : 'dataBase64' in body && typeof body.dataBase64 === 'string' ? body.dataBase64 : undefined
    const omitted = () => ({ ...body, ...('dataBase64' in body ? { dataBase64: '' } : { data: '' }), omitted: reference(Buffer.from(payload ?? '', 'dataBase64' in body ? 'base64' : 'utf8')) }) as FrameBody
    this.add(payload?.length ?? 0, () => this.lines.body(body, seq, time), payload === undefined ? undefined : omitted, seq, time)
  }

  /**
   * Encodes a frame's line, or, when it would be longer than a reader takes (known
   * from `least`, the fewest bytes it can take, or once encoded), its reference.
   */
  private add(least: number, encode: () => number, omitted: (() => FrameBody) | undefined, seq: number, time: number): void {
    let size = -1
    if (least <= this.maxLineBytes || !omitted) {
      try {
        size = encode()
      } catch (error) {
        // Longer than a string can be (V8's limit, ~512 MiB): nothing was appended.
        if (!(error instanceof RangeError) || !omitted) throw error
      }
      if (size > this.maxLineBytes && omitted) {
        this.lines.drop(size)
        size = -1
      }
    }
    if (size < 0) size = this.lines.body(omitted!(), seq, time)
    this.accept(size)
  }

  /**
   * The frame that says why recording stopped, written after the last one even past
   * the size cap (a reader should find the reason where the frames end).
   */
  epilogue(body: FrameBody, seq: number, time: number): void {
    if (this.fd === undefined || this.broken || this.stoppedBecause === undefined) return
    this.bytes += this.lines.body(body, seq, time)
    this.frames++
    this.writeOut()
  }

  /** No more frames: write what is left and close the file. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closing = true
      clearTimeout(this.timer)
      this.timer = undefined
      this.writeOut()
    }
    return this.closed
  }

  private accept(size: number): void {
    if (this.bytes + size > this.maxBytes) {
      this.lines.drop(size)
      return this.stop('E_RECORDING_LIMIT', `recording stopped: ${this.path} reached its size cap of ${formatBytes(this.maxBytes)}; the session goes on unrecorded`)
    }
    this.bytes += size
    this.frames++
    const pending = this.lines.length
    if (!this.behind && this.onPressure && pending + this.writingBytes >= this.highWater) {
      this.behind = true
      this.onPressure(true)
    }
    if (pending >= WRITE_BYTES || this.behind) {
      // The newest line is not counted: one message larger than the cap is written
      // through; the disk is behind when what waits besides it passes the cap.
      if (pending - size > this.maxPendingBytes) {
        return this.stop('E_RECORDING_BEHIND', `recording stopped: the disk could not keep up (${formatBytes(pending)} waiting to be written to ${this.path}); the session goes on unrecorded`)
      }
      this.writeOut()
    } else if (this.timer === undefined) {
      this.timer = setTimeout(this.tick, this.flushMs)
      this.timer.unref()
    }
  }

  private readonly tick = () => {
    this.timer = undefined
    this.due = true
    this.writeOut()
  }

  private stop(code: RecordingStopCode, message: string): void {
    if (this.stoppedBecause !== undefined) return
    this.stoppedBecause = message
    this.closing = true
    clearTimeout(this.timer)
    this.timer = undefined
    this.onStop?.(code, message)
    this.caughtUp()
    this.writeOut()
  }

  /** Hands everything gathered to the OS, one write at a time; closes the file when closing and done. */
  private writeOut(): void {
    if (this.writing || this.fd === undefined) return
    const buffers = this.lines.take()
    if (buffers.length === 0) {
      if (this.closing) this.closeFile()
      return
    }
    this.writing = true
    this.due = false
    let bytes = 0
    for (const buffer of buffers) bytes += buffer.length
    this.writingBytes = bytes
    writev(this.fd, buffers, (error) => {
      this.writing = false
      this.writingBytes = 0
      if (error) return this.failed(error)
      // While behind, write back to back until below the low-water mark.
      if (this.due || this.closing || this.behind || this.lines.length >= WRITE_BYTES) this.writeOut()
      if (this.behind && this.lines.length + this.writingBytes < this.lowWater) this.caughtUp()
    })
  }

  /** The session may read again; also when recording stopped, as nothing waits for the disk any more. */
  private caughtUp(): void {
    if (!this.behind) return
    this.behind = false
    this.onPressure?.(false)
  }

  private failed(error: NodeJS.ErrnoException): void {
    this.broken = true
    this.lines.take()
    if (this.stoppedBecause === undefined) {
      const message = `recording stopped: cannot write ${this.path}: ${error.code ?? error.message}; the session goes on unrecorded`
      this.stoppedBecause = message
      this.closing = true
      clearTimeout(this.timer)
      this.timer = undefined
      this.onStop?.('E_RECORDING_WRITE', message)
    }
    this.caughtUp()
    this.closeFile()
  }

  private closeFile(): void {
    const fd = this.fd
    if (fd === undefined) return
    this.fd = undefined
    closeFile(fd, () => this.resolveClosed())
  }
}


/** What stands for a payload too long to record: its size and SHA-256. */
function reference(data: Buffer): { bytes: number; sha256: string } {
  return { bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') }
}

const base64Bytes = (n: number) => Math.ceil(n / 3) * 4
