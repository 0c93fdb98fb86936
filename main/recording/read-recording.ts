// Reading a recording back, line by line, without holding it whole (nor any line
// longer than the cap: see line-reader.ts). A crash can leave a truncated last line:
// it is reported, never fatal. A line that is not a frame is reported with its line
// number and skipped; everything else is still read.
import { open, type FileHandle } from 'node:fs/promises'
import { FrameSchema, RecordingHeaderSchema, type Frame, type RecordingHeader } from '../contract/index.js'
import { LineReader, lineText, MAX_RECORDING_LINE, type LineView } from './line-reader.js'

export { MAX_RECORDING_LINE } from './line-reader.js'

/** A header is a connection spec: a megabyte is far more than any needs. */
const MAX_HEADER_LINE = 1 << 20

export interface RecordingProblem {
  line: number
  message: string
}

export class RecordingError extends Error {
  constructor(
    readonly code: 'E_RECORDING_UNREADABLE' | 'E_RECORDING_NOT_RECORDING',
    message: string,
  ) {
    super(message)
  }
}

export interface RecordingReader {
  header: RecordingHeader
  frames: AsyncIterable<Frame>
  /** Filled while `frames` is read: lines skipped, and a truncated last line. */
  problems: RecordingProblem[]
}

/**
 * Opens a recording: the header is read and checked at once (a file that is not a
 * recording throws RecordingError), frames are read as they are iterated.
 * `validate: false` skips the per-frame schema check (our own files, read fast).
 */
export async function openRecording(path: string, options: { validate?: boolean } = {}): Promise<RecordingReader> {
  const validate = options.validate ?? true
  let handle: FileHandle
  let size: number
  try {
    handle = await open(path, 'r')
    size = (await handle.stat()).size
  } catch (error) {
    throw new RecordingError('E_RECORDING_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`)
  }
  let bodyStart: number
  let header: RecordingHeader
  try {
    ;({ header, bodyStart } = await readHeader(handle, size, path))
  } catch (error) {
    await handle.close()
    if (error instanceof RecordingError) throw error
    throw new RecordingError('E_RECORDING_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`)
  }
  const problems: RecordingProblem[] = []

  async function* frames(): AsyncGenerator<Frame> {
    // No end offset: a recording still being written is read as far as it goes.
    const reader = new LineReader(handle, { start: bodyStart, firstLine: 2 })
    const batch: Frame[] = []
    const take = (line: LineView) => {
      const frame = parseFrame(line, problems, validate)
      if (frame) batch.push(frame)
    }
    try {
      // One piece of the file at a time: its frames are handed on before the next is read.
      for (let more = true; more; ) {
        more = await reader.next(take)
        for (const frame of batch) yield frame
        batch.length = 0
      }
    } finally {
      await handle.close()
    }
  }
  return { header, frames: frames(), problems }
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

/** Checks a header line (also used by the index); throws RecordingError when it is not one. */
export function parseHeader(line: string | undefined, path: string): RecordingHeader {
  if (line === undefined || line.trim() === '') throw new RecordingError('E_RECORDING_NOT_RECORDING', `${path} is empty: not a recording`)
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    throw new RecordingError('E_RECORDING_NOT_RECORDING', `${path} does not start with a recording header (line 1 is not JSON)`)
  }
  const parsed = RecordingHeaderSchema.safeParse(value)
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'header'}: ${i.message}`).join('; ')
    throw new RecordingError('E_RECORDING_NOT_RECORDING', `${path} is not an rti recording (${detail})`)
  }
  return parsed.data
}

function parseFrame(line: LineView, problems: RecordingProblem[], validate: boolean): Frame | undefined {
  const number = line.number
  if (line.tooLong) {
    problems.push({ line: number, message: `line ${number} is longer than ${MAX_RECORDING_LINE} bytes (${line.bytes} bytes); skipped` })
    return undefined
  }
  const text = lineText(line)
  if (text.trim() === '') return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    problems.push({ line: number, message: line.last ? `the last line (${number}) is truncated, as a crash leaves it; everything before it was read` : `line ${number} is not JSON; skipped` })
    return undefined
  }
  if (!validate) return value as Frame
  const parsed = FrameSchema.safeParse(value)
  if (parsed.success) return parsed.data
  problems.push({ line: number, message: `line ${number} is not a frame (${parsed.error.issues[0]?.message ?? 'invalid'}); skipped` })
  return undefined
}
