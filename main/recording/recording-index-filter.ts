// Filtering an indexed recording without parsing its frames: kind and direction from
// the columns, text straight from the file's bytes. The file is read in 8 MiB
// pieces cut at frame boundaries, each decoded once and searched with one regular
// expression (V8's case-insensitive search is fast; lower-casing every byte is not);
// a hit counts when it lies in what a person reads of the frame (inContent), and the
// next search starts on the next line.
import type { FileHandle } from 'node:fs/promises'
import { FRAME_KINDS, type RecordingQuery } from '../contract/index.js'
import type { IndexColumns } from './recording-index-build.js'
import { alwaysContent, DIRECTIONS, inContent } from './recording-index-scan.js'

const CHUNK = 8 << 20

export class RecordingQueryError extends Error {
  readonly code = 'E_RECORDING_BAD_QUERY'
}

export interface FilterLimits {
  /** Stop after this many matches. */
  limit?: number
  /** Stop at this time (performance.now()); the answer is then marked incomplete. */
  deadline?: number
}

export interface FilterAnswer {
  positions: Uint32Array
  /** False when a limit or the deadline stopped the search early. */
  complete: boolean
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The pattern searched in the raw lines. Plain text is searched as JSON writes it (a
 * quote as \", a line break as \n), so what a person typed finds what the frame holds.
 */
export function compileText(query: RecordingQuery): RegExp | undefined {
  if (query.text === undefined || query.text === '') return undefined
  if (!query.regex) return new RegExp(escapeRegExp(JSON.stringify(query.text).slice(1, -1)), 'gi')
  try {
    return new RegExp(query.text, 'gi')
  } catch (error) {
    throw new RecordingQueryError(`not a valid regular expression: ${(error as Error).message}`)
  }
}

function columnTest(columns: IndexColumns, query: RecordingQuery): ((i: number) => boolean) | undefined {
  const kinds = query.kinds && query.kinds.length > 0 ? new Set(query.kinds.map((k) => FRAME_KINDS.indexOf(k))) : undefined
  const direction = query.direction && query.direction !== 'both' ? DIRECTIONS.indexOf(query.direction) : -1
  if (!kinds && direction < 0) return undefined
  let kindMask = 0
  for (const k of kinds ?? []) kindMask |= 1 << k
  return (i) => (!kinds || (kindMask & (1 << columns.kinds[i]!)) !== 0) && (direction < 0 || columns.directions[i] === direction)
}

export async function filterColumns(handle: FileHandle, columns: IndexColumns, query: RecordingQuery, limits: FilterLimits = {}): Promise<FilterAnswer> {
  const pattern = compileText(query)
  const test = columnTest(columns, query)
  const limit = limits.limit ?? Infinity
  const out = new Uint32Array(Math.min(columns.count, limit))
  let found = 0
  const { count, offsets, lengths } = columns

  if (!pattern) {
    for (let i = 0; i < count && found < limit; i++) if (!test || test(i)) out[found++] = i
    const complete = found < limit || found === count
    return { positions: out.slice(0, found), complete }
  }

  const plain = !query.regex ? JSON.stringify(query.text).slice(1, -1) : undefined
  const fixedLength = plain !== undefined ? plain.length : -1
  const skipContentCheck = plain !== undefined && alwaysContent(plain.toLowerCase())
  let buf = Buffer.allocUnsafe(0)
  for (let first = 0; first < count; ) {
    if (limits.deadline !== undefined && performance.now() > limits.deadline) return { positions: out.slice(0, found), complete: false }
    // Frames [first, end) make this piece: as many as fit in CHUNK bytes, at least one.
    const start = offsets[first]!
    let end = upperBound(offsets, start + CHUNK, first + 1, count)
    if (end === first) end = first + 1
    const bytes = offsets[end - 1]! + lengths[end - 1]! - start
    if (buf.length < bytes) buf = Buffer.allocUnsafe(Math.max(bytes, Math.min(CHUNK, count * 64)))
    const { bytesRead } = await handle.read(buf, 0, bytes, start)
    const text = buf.toString('utf8', 0, bytesRead)
    const ascii = text.length === bytesRead
    // Maps a string index in `text` to a file offset, moving forward only.
    let stringAt = 0
    let byteAt = start
    const byteOf = (index: number) => {
      byteAt += ascii ? index - stringAt : Buffer.byteLength(text.slice(stringAt, index))
      stringAt = index
      return byteAt
    }

    let frame = first
    pattern.lastIndex = 0
    for (;;) {
      // A plain needle has a fixed length: test() finds it without building a match array.
      let at: number, length: number
      if (fixedLength >= 0) {
        if (!pattern.test(text)) break
        length = fixedLength
        at = pattern.lastIndex - length
      } else {
        const match = pattern.exec(text)
        if (!match) break
        at = match.index
        length = match[0].length
      }
      let lineStart: number, lineEnd: number
      let isFrame: boolean
      if (ascii) {
        // One byte per character: the index's offsets say where each line is.
        const atByte = start + at
        while (frame < end && offsets[frame]! + lengths[frame]! < atByte) frame++
        isFrame = frame < end && offsets[frame]! <= atByte
        lineStart = isFrame ? offsets[frame]! - start : text.lastIndexOf('\n', at - 1) + 1
        lineEnd = isFrame ? lineStart + lengths[frame]! : nextLineBreak(text, at)
      } else {
        lineStart = text.lastIndexOf('\n', at - 1) + 1
        lineEnd = nextLineBreak(text, at)
        const lineByte = lineStart === stringAt ? byteAt : byteOf(lineStart)
        while (frame < end && offsets[frame]! < lineByte) frame++
        isFrame = frame < end && offsets[frame] === lineByte
      }
      if (at + length > lineEnd) {
        // A regular expression that reached over a line break: try again from the next character.
        pattern.lastIndex = at + 1
        continue
      }
      if (!isFrame || (test && !test(frame))) {
        pattern.lastIndex = lineEnd + 1
        continue
      }
      if (!skipContentCheck && !inContent(text, lineStart, lineEnd, at, at + length)) {
        pattern.lastIndex = at + 1
        continue
      }
      out[found++] = frame
      if (found >= limit) return { positions: out.slice(0, found), complete: false }
      pattern.lastIndex = lineEnd + 1
    }
    first = end
  }
  return { positions: out.slice(0, found), complete: true }
}

function nextLineBreak(text: string, from: number): number {
  const at = text.indexOf('\n', from)
  return at < 0 ? text.length : at
}

/** First index in [from, to) whose value is greater than `value` (to when none). */
function upperBound(values: Float64Array, value: number, from: number, to: number): number {
  let lo = from
  let hi = to
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (values[mid]! > value) hi = mid
    else lo = mid + 1
  }
  return lo
}
