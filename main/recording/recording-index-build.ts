// Builds a recording's index in one pass over its bytes: where each frame line starts,
// how long it is, and its seq/time/kind/direction in typed arrays (about 30 bytes a
// frame, so a million frames take ~30 MB, never the file itself). The file is read in
// 8 MiB pieces; only a line longer than that grows the buffer, up to the line cap.
import type { FileHandle } from 'node:fs/promises'
import type { RecordingHeader } from '../contract/index.js'
import { MAX_RECORDING_LINE, parseHeader, RecordingError, type RecordingProblem } from './read-recording.js'
import { fieldsOf, scanLineFields, type LineFields } from './recording-index-scan.js'

const CHUNK = 8 << 20
/** A header is a connection spec: a megabyte is far more than any needs. */
const MAX_HEADER_LINE = 1 << 20
/** Problems kept word for word; the rest are only counted. */
export const MAX_PROBLEMS = 100

export interface IndexColumns {
  count: number
  /** Byte offset of each frame's line. */
  offsets: Float64Array
  /** Byte length of each frame's line, without its line break. */
  lengths: Uint32Array
  seqs: Float64Array
  times: Float64Array
  /** Index into FRAME_KINDS. */
  kinds: Uint8Array
  /** Index into DIRECTIONS. */
  directions: Uint8Array
  /** Line numbers (1-based) that hold no frame: blank, garbage, truncated. Sorted. */
  skippedLines: number[]
  /** Where the first frame line starts (just after the header). */
  bodyStart: number
  /** Where the indexed part ends: a line still being written after this is not indexed. */
  bodyEnd: number
  problems: RecordingProblem[]
  problemCount: number
}

class Columns {
  capacity = 1024
  count = 0
  offsets = new Float64Array(this.capacity)
  lengths = new Uint32Array(this.capacity)
  seqs = new Float64Array(this.capacity)
  times = new Float64Array(this.capacity)
  kinds = new Uint8Array(this.capacity)
  directions = new Uint8Array(this.capacity)

  push(offset: number, length: number, fields: LineFields): void {
    if (this.count === this.capacity) this.grow()
    const i = this.count++
    this.offsets[i] = offset
    this.lengths[i] = length
    this.seqs[i] = fields.seq
    this.times[i] = fields.time
    this.kinds[i] = fields.kind
    this.directions[i] = fields.direction
  }

  private grow(): void {
    this.capacity *= 2
    const grown = <T extends Float64Array | Uint32Array | Uint8Array>(old: T): T => {
      const next = new (old.constructor as new (n: number) => T)(this.capacity)
      next.set(old)
      return next
    }
    this.offsets = grown(this.offsets)
    this.lengths = grown(this.lengths)
    this.seqs = grown(this.seqs)
    this.times = grown(this.times)
    this.kinds = grown(this.kinds)
    this.directions = grown(this.directions)
  }

  /** Copies trimmed to size, so the spare capacity is freed. */
  trimmed() {
    const n = this.count
    return {
      count: n,
      offsets: this.offsets.slice(0, n),
      lengths: this.lengths.slice(0, n),
      seqs: this.seqs.slice(0, n),
      times: this.times.slice(0, n),
      kinds: this.kinds.slice(0, n),
      directions: this.directions.slice(0, n),
    }
  }
}

/** Reads and checks the header line; throws RecordingError when the file is not a recording. */
export async function readHeader(handle: FileHandle, size: number, path: string): Promise<{ header: RecordingHeader; bodyStart: number }> {
  const buf = Buffer.allocUnsafe(Math.min(size, MAX_HEADER_LINE))
  const { bytesRead } = await handle.read(buf, 0, buf.length, 0)
  const newline = buf.subarray(0, bytesRead).indexOf(10)
  if (newline < 0 && bytesRead === MAX_HEADER_LINE) throw new RecordingError('E_RECORDING_NOT_RECORDING', `${path} does not start with a recording header (no line break in the first ${MAX_HEADER_LINE} bytes)`)
  const end = newline < 0 ? bytesRead : newline
  const header = parseHeader(buf.toString('utf8', 0, end), path)
  return { header, bodyStart: newline < 0 ? bytesRead : newline + 1 }
}

/** One pass over the frame lines from `bodyStart` to `size`. */
export async function buildIndex(handle: FileHandle, bodyStart: number, size: number): Promise<IndexColumns> {
  const columns = new Columns()
  const skippedLines: number[] = []
  const problems: RecordingProblem[] = []
  let problemCount = 0
  const problem = (line: number, message: string) => {
    problemCount++
    if (problems.length < MAX_PROBLEMS) problems.push({ line, message })
  }

  let buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size - bodyStart, 1)))
  let bufStart = bodyStart // file offset of buf[0]
  let filled = 0
  let line = 2
  let skippingLongLine = false
  let bodyEnd = bodyStart

  const indexLine = (start: number, end: number, last: boolean) => {
    const offset = bufStart + start
    if (end === start || (end === start + 1 && buf[start] === 13)) {
      skippedLines.push(line)
      return
    }
    // The last line may be cut anywhere, even right after a nested '}': parse it whole.
    let fields = last ? undefined : scanLineFields(buf, start, end)
    if (!fields) {
      let value: unknown
      try {
        value = JSON.parse(buf.toString('utf8', start, end))
      } catch {
        skippedLines.push(line)
        problem(line, last ? `the last line (${line}) is truncated, as a crash leaves it; everything before it was read` : `line ${line} is not JSON; skipped`)
        return
      }
      fields = fieldsOf(value)
      if (!fields) {
        skippedLines.push(line)
        problem(line, `line ${line} is not a frame; skipped`)
        return
      }
    }
    columns.push(offset, end - start, fields)
  }

  for (let position = bodyStart; position < size || filled > 0; ) {
    const want = Math.min(buf.length - filled, size - position)
    const { bytesRead } = want > 0 ? await handle.read(buf, filled, want, position) : { bytesRead: 0 }
    position += bytesRead
    filled += bytesRead
    const atEnd = position >= size || bytesRead === 0
    let start = 0
    for (;;) {
      const newline = buf.indexOf(10, start)
      if (newline < 0 || newline >= filled) break
      if (skippingLongLine) skippingLongLine = false
      else indexLine(start, newline, false)
      line++
      start = newline + 1
      bodyEnd = bufStart + start
    }
    if (atEnd) {
      if (start < filled && !skippingLongLine) {
        indexLine(start, filled, true)
        bodyEnd = bufStart + filled
      }
      break
    }
    // Keep the unfinished line: move it to the front, or grow the buffer for it.
    const rest = filled - start
    if (rest === buf.length) {
      if (buf.length > MAX_RECORDING_LINE) {
        if (!skippingLongLine) {
          skippedLines.push(line)
          problem(line, `line ${line} is longer than ${MAX_RECORDING_LINE} bytes; skipped`)
        }
        skippingLongLine = true
        bufStart += filled
        filled = 0
        continue
      }
      const bigger = Buffer.allocUnsafe(buf.length * 2)
      buf.copy(bigger, 0, 0, filled)
      buf = bigger
    } else if (start > 0) {
      buf.copy(buf, 0, start, filled)
    }
    bufStart += start
    filled = rest
  }
  return { ...columns.trimmed(), skippedLines, bodyStart, bodyEnd, problems, problemCount }
}
