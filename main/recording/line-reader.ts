// The one way recordings are read line by line (mock, diff, re-send, export, the
// index behind the Recordings list and playback). A file comes from anywhere, so no
// line is ever held whole past a cap: a longer one is reported as too long and its
// bytes are skipped as they are read, without building a string of it (a 1 GB line
// would otherwise end the process with "Invalid string length").
// Lines are split on '\n' bytes, so a UTF-8 character is never cut in two.
import type { FileHandle } from 'node:fs/promises'

/** Longest line kept; a longer one is reported and skipped rather than buffered without bound. */
export const MAX_RECORDING_LINE = 128 * 1024 * 1024

const NEWLINE = 10

export interface LineView {
  /** The line's bytes are buf[start, end), without its '\n'. Valid only during the visit. */
  buf: Buffer
  start: number
  end: number
  /** File offset where the line starts. */
  offset: number
  /** Its length in bytes, without the '\n' (also for a line too long to hold). */
  bytes: number
  /** 1-based line number. */
  number: number
  /** No line break follows: the end of what was read (a crash's cut, or a line still being written). */
  last: boolean
  /** Longer than the cap: nothing of it is held (start === end). */
  tooLong: boolean
}

export interface LineReaderOptions {
  /** File offset to start at (a line start). */
  start?: number
  /** File offset to stop at (the size when the reading began, for a file still growing). */
  end?: number
  /** Number of the first line read. */
  firstLine?: number
  maxLineBytes?: number
  /** Bytes read at a time; a line longer than this grows the buffer, up to the cap. */
  chunkBytes?: number
}

export class LineReader {
  private buf: Buffer
  /** File offset of buf[0]. */
  private bufStart: number
  private filled = 0
  /** Where the search for the next '\n' resumes within buf. */
  private scanFrom = 0
  private position: number
  private number: number
  /** A too-long line is being skipped; its start offset. */
  private skipping: number | undefined
  private done = false
  private readonly end: number
  private readonly max: number

  constructor(
    private readonly handle: FileHandle,
    options: LineReaderOptions = {},
  ) {
    this.position = this.bufStart = options.start ?? 0
    this.end = options.end ?? Infinity
    this.number = options.firstLine ?? 1
    this.max = options.maxLineBytes ?? MAX_RECORDING_LINE
    const chunk = options.chunkBytes ?? 1 << 20
    this.buf = Buffer.allocUnsafe(Math.max(1, Math.min(chunk, this.max + 1, this.end - this.position)))
  }

  /**
   * Reads one piece of the file and visits every line it completes, in order
   * (synchronously). Answers false once the end was reached and every line visited.
   */
  async next(visit: (line: LineView) => void): Promise<boolean> {
    if (this.done) return false
    const want = Math.min(this.buf.length - this.filled, this.end - this.position)
    const { bytesRead } = want > 0 ? await this.handle.read(this.buf, this.filled, want, this.position) : { bytesRead: 0 }
    this.position += bytesRead
    this.filled += bytesRead
    const atEnd = this.position >= this.end || bytesRead === 0
    let start = 0
    for (;;) {
      const newline = this.buf.indexOf(NEWLINE, this.scanFrom)
      if (newline < 0 || newline >= this.filled) break
      this.emit(visit, start, newline, false)
      start = this.scanFrom = newline + 1
    }
    this.scanFrom = this.filled
    if (atEnd) {
      if (start < this.filled || this.skipping !== undefined) this.emit(visit, start, this.filled, true)
      this.done = true
      return false
    }
    const rest = this.filled - start
    if (this.skipping !== undefined) {
      // Nothing of a too-long line is kept: drop what was read of it.
      this.bufStart += this.filled
      this.filled = this.scanFrom = 0
    } else if (rest === this.buf.length) {
      if (rest > this.max) {
        this.skipping = this.bufStart
        this.bufStart += this.filled
        this.filled = this.scanFrom = 0
      } else {
        const bigger = Buffer.allocUnsafe(Math.min(this.buf.length * 2, this.max + 1))
        this.buf.copy(bigger, 0, 0, this.filled)
        this.buf = bigger
      }
    } else {
      if (start > 0) this.buf.copy(this.buf, 0, start, this.filled)
      this.bufStart += start
      this.filled = rest
      this.scanFrom = rest
    }
    return true
  }

  private emit(visit: (line: LineView) => void, start: number, end: number, last: boolean): void {
    const skipped = this.skipping
    if (skipped !== undefined) {
      this.skipping = undefined
      const lineEnd = this.bufStart + end
      visit({ buf: this.buf, start, end: start, offset: skipped, bytes: lineEnd - skipped, number: this.number++, last, tooLong: true })
      return
    }
    if (end - start > this.max) {
      visit({ buf: this.buf, start, end: start, offset: this.bufStart + start, bytes: end - start, number: this.number++, last, tooLong: true })
      return
    }
    visit({ buf: this.buf, start, end, offset: this.bufStart + start, bytes: end - start, number: this.number++, last, tooLong: false })
  }
}

/** A line's text, without a trailing '\r' (a file saved with CRLF line breaks). */
export function lineText(line: LineView): string {
  const end = line.end > line.start && line.buf[line.end - 1] === 13 ? line.end - 1 : line.end
  return line.buf.toString('utf8', line.start, end)
}
