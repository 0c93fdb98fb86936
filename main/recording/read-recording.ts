// Reading a recording back, line by line, without holding it whole. A crash can leave
// a truncated last line: it is reported, never fatal. A line that is not a frame is
// reported with its line number and skipped; everything else is still read.
import { createReadStream, type ReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { FrameSchema, RecordingHeaderSchema, type Frame, type RecordingHeader } from '../contract/index.js'

/** Longest line read; a longer one is reported and skipped rather than buffered without bound. */
export const MAX_RECORDING_LINE = 128 * 1024 * 1024

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
  let stream: ReadStream
  try {
    stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })
    await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject))
  } catch (error) {
    throw new RecordingError('E_RECORDING_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`)
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity })[Symbol.asyncIterator]()
  const first = await lines.next()
  const header = parseHeader(first.done ? undefined : first.value, path)
  const problems: RecordingProblem[] = []

  async function* frames(): AsyncGenerator<Frame> {
    let number = 1
    let pending: { text: string; number: number } | undefined
    try {
      for (let next = await lines.next(); !next.done; next = await lines.next()) {
        number++
        // Hold each line until the next arrives: only the last one may be truncated.
        if (pending) {
          const frame = parseFrame(pending.text, pending.number, problems, validate, false)
          if (frame) yield frame
        }
        pending = { text: next.value, number }
      }
      if (pending) {
        const frame = parseFrame(pending.text, pending.number, problems, validate, true)
        if (frame) yield frame
      }
    } finally {
      stream.destroy()
    }
  }
  return { header, frames: frames(), problems }
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

function parseFrame(text: string, line: number, problems: RecordingProblem[], validate: boolean, last: boolean): Frame | undefined {
  if (text.trim() === '') return undefined
  if (text.length > MAX_RECORDING_LINE) {
    problems.push({ line, message: `line ${line} is longer than ${MAX_RECORDING_LINE} characters; skipped` })
    return undefined
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    problems.push({ line, message: last ? `the last line (${line}) is truncated, as a crash leaves it; everything before it was read` : `line ${line} is not JSON; skipped` })
    return undefined
  }
  if (!validate) return value as Frame
  const parsed = FrameSchema.safeParse(value)
  if (parsed.success) return parsed.data
  problems.push({ line, message: `line ${line} is not a frame (${parsed.error.issues[0]?.message ?? 'invalid'}); skipped` })
  return undefined
}
