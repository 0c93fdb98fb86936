// Large recordings, first class (docs/architecture.md ("Budgets"): a million frames open in under 2 s, a text
// filter answers in under 0.5 s). Opening builds an index in one pass over the bytes —
// where each frame line starts plus its seq/time/kind/direction in typed arrays — or
// reads the one kept beside the file (`<file>.idx`) when it still matches. Frames are
// parsed only when asked for, one line at a time, by offset. The file is never held in
// memory: a million frames cost ~30 MB of index whatever their size.
import { open, stat, type FileHandle } from 'node:fs/promises'
import { FRAME_KINDS, FrameSchema, type Frame, type FrameKind, type RecordingHeader, type RecordingQuery } from '../contract/index.js'
import { RecordingError, type RecordingProblem } from './read-recording.js'
import { buildIndex, readHeader, type IndexColumns } from './recording-index-build.js'
import { filterColumns, type FilterAnswer, type FilterLimits } from './recording-index-filter.js'
import { DIRECTIONS } from './recording-index-scan.js'
import { readSidecar, writeSidecar } from './recording-index-sidecar.js'

export { RecordingQueryError } from './recording-index-filter.js'

/** Recordings smaller than this are indexed again on every open: scanning them is cheaper than a file beside each. */
export const DEFAULT_SIDECAR_MIN_FRAMES = 50_000
/** Most bytes read at once by framesBetween. */
const MAX_RANGE_READ = 32 << 20

export interface IndexOptions {
  /** Keep the index in `<file>.idx` from this many frames on (default 50,000; Infinity: never). */
  sidecarMinFrames?: number
}

export interface IndexedRecording {
  readonly path: string
  readonly header: RecordingHeader
  readonly count: number
  /** From the header's start to the last frame's time. */
  readonly durationMs: number
  /** Size of the file when it was indexed. */
  readonly bytes: number
  /** Lines that held no frame (the first 100 word for word); a truncated last line is one. */
  readonly problems: readonly RecordingProblem[]
  readonly problemCount: number
  /** Whether the index came from the sidecar rather than a scan. */
  readonly fromSidecar: boolean
  seqAt(i: number): number
  timeAt(i: number): number
  kindAt(i: number): FrameKind
  directionAt(i: number): Frame['direction']
  /** The frame at position i (0-based), or undefined when its line is damaged (reported in `frameProblems`). */
  frameAt(i: number): Promise<Frame | undefined>
  /** Frames at positions [from, to), read in as few reads as possible; damaged lines are skipped and reported. */
  framesBetween(from: number, to: number): Promise<{ frames: Frame[]; problems: RecordingProblem[] }>
  /** Positions of the frames matching every criterion given. Throws RecordingQueryError for a bad regular expression. */
  filter(query: RecordingQuery): Promise<Uint32Array>
  /** As filter, but stops at a limit or a deadline and says whether it saw everything. */
  search(query: RecordingQuery, limits: FilterLimits): Promise<FilterAnswer>
  close(): Promise<void>
}

/** Opens a recording through its index. Throws RecordingError when it cannot be read or is not a recording. */
export async function openIndexedRecording(path: string, options: IndexOptions = {}): Promise<IndexedRecording> {
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw new RecordingError('E_RECORDING_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`)
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw new RecordingError('E_RECORDING_UNREADABLE', `${path} is not a file`)
    const { header, bodyStart } = await readHeader(handle, info.size, path)
    const fingerprint = { size: info.size, mtimeMs: info.mtimeMs }
    let columns = await readSidecar(path, fingerprint)
    const fromSidecar = columns !== undefined
    if (!columns) {
      columns = await buildIndex(handle, bodyStart, info.size)
      if (columns.count >= (options.sidecarMinFrames ?? DEFAULT_SIDECAR_MIN_FRAMES)) {
        // Only when the file did not change while it was read; else the sidecar would lie.
        const after = await stat(path).catch(() => undefined)
        if (after && after.size === info.size && after.mtimeMs === info.mtimeMs) await writeSidecar(path, fingerprint, columns)
      }
    }
    return indexedRecording(path, handle, header, columns, info.size, fromSidecar)
  } catch (error) {
    await handle.close()
    if (error instanceof RecordingError) throw error
    throw new RecordingError('E_RECORDING_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`)
  }
}

function indexedRecording(path: string, handle: FileHandle, header: RecordingHeader, columns: IndexColumns, bytes: number, fromSidecar: boolean): IndexedRecording {
  const { count, offsets, lengths } = columns
  const lastTime = count > 0 ? columns.times[count - 1]! : header.startedAt
  let closed = false

  /** The line number of frame i: frames fill lines 2, 3, … except the skipped ones. */
  const lineOf = (i: number) => {
    let line = i + 2
    for (const skipped of columns.skippedLines) {
      if (skipped <= line) line++
      else break
    }
    return line
  }
  const parse = (text: string, i: number, problems: RecordingProblem[]): Frame | undefined => {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      problems.push({ line: lineOf(i), message: `line ${lineOf(i)} is not JSON; skipped` })
      return undefined
    }
    const parsed = FrameSchema.safeParse(value)
    if (parsed.success) return parsed.data
    problems.push({ line: lineOf(i), message: `line ${lineOf(i)} is not a frame (${parsed.error.issues[0]?.message ?? 'invalid'}); skipped` })
    return undefined
  }
  const check = (i: number) => {
    if (closed) throw new Error('the recording was closed')
    if (!Number.isInteger(i) || i < 0 || i >= count) throw new RangeError(`no frame ${i}: the recording has ${count}`)
  }

  return {
    path,
    header,
    count,
    durationMs: Math.max(0, lastTime - header.startedAt),
    bytes,
    problems: columns.problems,
    problemCount: columns.problemCount,
    fromSidecar,
    seqAt: (i) => columns.seqs[i]!,
    timeAt: (i) => columns.times[i]!,
    kindAt: (i) => FRAME_KINDS[columns.kinds[i]!]!,
    directionAt: (i) => DIRECTIONS[columns.directions[i]!]!,
    async frameAt(i) {
      check(i)
      const buf = Buffer.allocUnsafe(lengths[i]!)
      await handle.read(buf, 0, buf.length, offsets[i]!)
      return parse(buf.toString('utf8'), i, [])
    },
    async framesBetween(from, to) {
      to = Math.min(to, count)
      const frames: Frame[] = []
      const problems: RecordingProblem[] = []
      for (let first = Math.max(0, from); first < to; ) {
        check(first)
        // As many frames as fit in one read (at least one, however long its line).
        let last = first + 1
        while (last < to && offsets[last]! + lengths[last]! - offsets[first]! <= MAX_RANGE_READ) last++
        const start = offsets[first]!
        const buf = Buffer.allocUnsafe(offsets[last - 1]! + lengths[last - 1]! - start)
        await handle.read(buf, 0, buf.length, start)
        for (let i = first; i < last; i++) {
          const at = offsets[i]! - start
          const frame = parse(buf.toString('utf8', at, at + lengths[i]!), i, problems)
          if (frame) frames.push(frame)
        }
        first = last
      }
      return { frames, problems }
    },
    async filter(query) {
      if (closed) throw new Error('the recording was closed')
      return (await filterColumns(handle, columns, query)).positions
    },
    async search(query, limits) {
      if (closed) throw new Error('the recording was closed')
      return filterColumns(handle, columns, query, limits)
    },
    async close() {
      if (closed) return
      closed = true
      await handle.close()
    },
  }
}
