// Builds a recording's index in one pass over its bytes: where each frame line starts,
// how long it is, and its seq/time/kind/direction in typed arrays (about 30 bytes a
// frame, so a million frames take ~30 MB, never the file itself). The file is read in
// 8 MiB pieces by the recordings' one line reader; only a line longer than that grows
// its buffer, up to the line cap.
import type { FileHandle } from 'node:fs/promises'
import { LineReader, MAX_RECORDING_LINE, type LineView } from './line-reader.js'
import type { RecordingProblem } from './read-recording.js'
import { fieldsOf, scanLineFields, type LineFields } from './recording-index-scan.js'

export { readHeader } from './read-recording.js'

const CHUNK = 8 << 20
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

  let bodyEnd = bodyStart

  const indexLine = (line: LineView) => {
    const { buf, start, end, last } = line
    bodyEnd = line.offset + line.bytes + (last ? 0 : 1)
    if (line.tooLong) {
      skippedLines.push(line.number)
      problem(line.number, `line ${line.number} is longer than ${MAX_RECORDING_LINE} bytes; skipped`)
      return
    }
    if (end === start || (end === start + 1 && buf[start] === 13)) {
      skippedLines.push(line.number)
      return
    }
    // The last line may be cut anywhere, even right after a nested '}': parse it whole.
    let fields = last ? undefined : scanLineFields(buf, start, end)
    if (!fields) {
      let value: unknown
      try {
        value = JSON.parse(buf.toString('utf8', start, end))
      } catch {
        skippedLines.push(line.number)
        problem(line.number, last ? `the last line (${line.number}) is truncated, as a crash leaves it; everything before it was read` : `line ${line.number} is not JSON; skipped`)
        return
      }
      fields = fieldsOf(value)
      if (!fields) {
        skippedLines.push(line.number)
        problem(line.number, `line ${line.number} is not a frame; skipped`)
        return
      }
    }
    columns.push(line.offset, end - start, fields)
  }

  const reader = new LineReader(handle, { start: bodyStart, end: size, firstLine: 2, chunkBytes: CHUNK })
  while (await reader.next(indexLine));
  return { ...columns.trimmed(), skippedLines, bodyStart, bodyEnd, problems, problemCount }
}
