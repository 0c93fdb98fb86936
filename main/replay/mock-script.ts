// What a mock server serves, taken from a recording: the server's side of it and
// when each piece came, relative to the moment the connection opened. The file is
// read as a stream and only the server's side is kept, within stated limits, so a
// huge recording is refused with a clear error instead of filling memory.
//
// Which part of the recording is served:
// - WebSocket, SSE, streaming: the first connection attempt that opened (a later
//   reconnect's frames are not served); when no attempt opened, the first attempt,
//   whose refusal (status, headers, body) is then what the mock answers.
// - Polling, long-polling: every response of the whole recording, in order, across
//   reconnects: each is one answer to one request.
import { formatBytes, TECHNIQUES, type Frame, type FrameOf, type RecordingHeader, type TechniqueName } from '../contract/index.js'
import { openRecording, type RecordingProblem } from '../recording/read-recording.js'

/** Most payload bytes kept to serve (messages, events, chunks, bodies). */
export const MAX_MOCK_BYTES = 256 * 1024 * 1024
/** Most steps (messages, events, chunks, answers) kept to serve. */
export const MAX_MOCK_STEPS = 1_000_000

export type MockErrorCode = 'E_MOCK_TOO_LARGE' | 'E_MOCK_NOTHING_TO_SERVE' | 'E_MOCK_TECHNIQUE'

export class MockError extends Error {
  constructor(
    readonly code: MockErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/**
 * When a step is due: `at` ms after the connection opened in the recording. `gate`
 * counts the client messages recorded before it, `gateAt` is when the last of them
 * was sent (so with --after-client-message a step waits for that many client
 * messages and then keeps its recorded distance to the last one).
 */
export interface Timing {
  at: number
  gate: number
  gateAt: number
}

export type StreamStep = Timing &
  (
    | { kind: 'text'; data: string }
    | { kind: 'binary'; bytes: Buffer }
    | { kind: 'ping'; data: string }
    | { kind: 'event'; event: string; data: string; id: string; retry?: number }
    | { kind: 'comment'; text: string }
    | { kind: 'retry'; ms: number }
    | { kind: 'chunk'; bytes: Buffer }
    /** How the recording ended: close frame (ws) or clean end (http), FIN, or reset. */
    | { kind: 'end'; how: 'close' | 'fin' | 'reset'; code: number; reason: string }
  )

export interface RecordedAnswer {
  status: number
  statusText?: string
  headers: Record<string, string | string[]>
  body: Buffer
  /** When it came, ms after the first request of the recording. */
  at: number
  /** How long the server held it: its request to it. */
  holdMs: number
}

export interface StreamScript {
  kind: 'stream'
  technique: 'websocket' | 'sse' | 'streaming'
  /** The answer to the handshake or request; `opened` false means it was a refusal, served as it is. */
  answer: RecordedAnswer | undefined
  opened: boolean
  /** The WebSocket subprotocol the server chose ('' for none). */
  protocol: string
  steps: StreamStep[]
}

export interface ExchangeScript {
  kind: 'exchanges'
  technique: 'polling' | 'long-polling'
  answers: RecordedAnswer[]
}

export interface MockRecording {
  header: RecordingHeader
  technique: TechniqueName
  script: StreamScript | ExchangeScript
  /** Lines of the file that could not be read (reported, not fatal). */
  problems: RecordingProblem[]
}

export interface MockLimits {
  maxBytes: number
  maxSteps: number
}

export async function loadMockRecording(path: string, limits: MockLimits = { maxBytes: MAX_MOCK_BYTES, maxSteps: MAX_MOCK_STEPS }): Promise<MockRecording> {
  const reader = await openRecording(path)
  const technique = reader.header.spec.technique
  if (!(TECHNIQUES as readonly string[]).includes(technique)) throw new MockError('E_MOCK_TECHNIQUE', `${path}: technique "${technique}" cannot be served (known: ${TECHNIQUES.join(', ')})`)
  const budget = new Budget(path, limits)
  const script =
    technique === 'polling' || technique === 'long-polling'
      ? await exchangesOf(reader.frames, technique, budget)
      : await streamOf(reader.frames, technique as StreamScript['technique'], budget)
  if (script.kind === 'exchanges' && script.answers.length === 0) throw new MockError('E_MOCK_NOTHING_TO_SERVE', `${path} holds no HTTP response to serve`)
  if (script.kind === 'stream' && !script.answer && script.steps.length === 0) throw new MockError('E_MOCK_NOTHING_TO_SERVE', `${path} holds nothing the server sent: no handshake answer, no ${technique === 'sse' ? 'event' : 'message'}`)
  return { header: reader.header, technique: technique as TechniqueName, script, problems: reader.problems }
}

class Budget {
  private bytes = 0
  private steps = 0
  constructor(
    private readonly path: string,
    private readonly limits: MockLimits,
  ) {}
  take(bytes: number): void {
    this.bytes += bytes
    this.steps++
    const { maxBytes, maxSteps } = this.limits
    if (this.bytes > maxBytes || this.steps > maxSteps)
      throw new MockError('E_MOCK_TOO_LARGE', `${this.path} has more to serve than a mock keeps (${maxSteps.toLocaleString('en')} frames or ${formatBytes(maxBytes)} of payload); cut it down first`)
  }
}


function bytesOf(frame: { data?: string; dataBase64?: string; binary?: true }): Buffer {
  if (frame.dataBase64 !== undefined) return Buffer.from(frame.dataBase64, 'base64')
  return Buffer.from(frame.data ?? '', 'utf8')
}

function answerOf(response: FrameOf<'response'>, at: number, holdMs: number): RecordedAnswer {
  const body = response.bodyBase64 !== undefined ? Buffer.from(response.bodyBase64, 'base64') : Buffer.from(response.body ?? '', 'utf8')
  return { status: response.status, ...(response.statusText ? { statusText: response.statusText } : {}), headers: response.headers, body, at, holdMs }
}

/** A standalone `retry:` block leaves no event frame; only the raw chunk shows it. */
const RETRY_LINE = /(?:^|[\r\n])retry: ?(\d+)(?:\r\n|[\r\n])/

async function streamOf(frames: AsyncIterable<Frame>, technique: StreamScript['technique'], budget: Budget): Promise<StreamScript> {
  let first: Frame[] | undefined
  let current: Frame[] = []
  let started = false
  for await (const frame of frames) {
    if (frame.kind === 'connecting') {
      if (started && current.some((f) => f.kind === 'open')) break
      if (started && !first) first = current
      current = []
    }
    started = true
    // Only what the server sent, and what times it, is kept.
    if (frame.direction === 'in' || frame.kind === 'open' || frame.kind === 'close' || (frame.kind === 'message' && frame.direction === 'out')) {
      if (frame.kind === 'message' || frame.kind === 'chunk') budget.take(frame.size)
      else if (frame.kind === 'event') budget.take(frame.data.length)
      current.push(frame)
    }
  }
  const attempt = current.some((f) => f.kind === 'open') || !first ? current : first
  return scriptOf(attempt, technique)
}

function scriptOf(attempt: Frame[], technique: StreamScript['technique']): StreamScript {
  const open = attempt.find((f): f is FrameOf<'open'> => f.kind === 'open')
  const response = attempt.find((f): f is FrameOf<'response'> => f.kind === 'response')
  const base = open?.time ?? response?.time ?? attempt[0]?.time ?? 0
  const steps: StreamStep[] = []
  let gate = 0
  let gateAt = 0
  const eventRetries = new Set<number>()
  for (const frame of attempt) {
    const timing = { at: Math.max(0, frame.time - base), gate, gateAt }
    if (frame.kind === 'message' && frame.direction === 'out') {
      gate++
      gateAt = timing.at
    } else if (technique === 'websocket' && frame.kind === 'message') {
      steps.push(frame.binary || frame.dataBase64 !== undefined ? { ...timing, kind: 'binary', bytes: bytesOf(frame) } : { ...timing, kind: 'text', data: frame.data ?? '' })
    } else if (technique === 'websocket' && frame.kind === 'ping') {
      steps.push({ ...timing, kind: 'ping', data: frame.data })
    } else if (technique === 'sse' && frame.kind === 'event') {
      steps.push({ ...timing, kind: 'event', event: frame.event, data: frame.data, id: frame.id, ...(frame.retry !== undefined ? { retry: frame.retry } : {}) })
      if (frame.retry !== undefined) eventRetries.add(frame.retry)
    } else if (technique === 'sse' && frame.kind === 'comment') {
      steps.push({ ...timing, kind: 'comment', text: frame.text })
    } else if (technique === 'sse' && frame.kind === 'chunk' && frame.data !== undefined) {
      const retry = RETRY_LINE.exec(frame.data)
      if (retry && !eventRetries.has(Number(retry[1]))) steps.push({ ...timing, kind: 'retry', ms: Number(retry[1]) })
    } else if (technique === 'streaming' && frame.kind === 'chunk') {
      steps.push({ ...timing, kind: 'chunk', bytes: bytesOf(frame) })
    } else if (frame.kind === 'close') {
      const end = endOf(frame, technique)
      if (end) steps.push({ ...timing, ...end })
      break
    }
  }
  const opened = open !== undefined
  return { kind: 'stream', technique, answer: response ? answerOf(response, 0, response.durationMs) : undefined, opened, protocol: open?.protocol ?? '', steps }
}

/** The end a mock reproduces; none when the client ended it (the mock then waits for the client). */
function endOf(close: FrameOf<'close'>, technique: StreamScript['technique']): Omit<Extract<StreamStep, { kind: 'end' }>, keyof Timing> | undefined {
  if (close.cause === 'fin') return { kind: 'end', how: 'fin', code: 1006, reason: '' }
  if (close.cause === 'reset') return { kind: 'end', how: 'reset', code: 1006, reason: '' }
  if (close.cause !== 'remote-close') return undefined
  if (technique === 'websocket' && close.code === 1006) return { kind: 'end', how: 'fin', code: 1006, reason: '' }
  return { kind: 'end', how: 'close', code: close.code, reason: close.reason }
}

async function exchangesOf(frames: AsyncIterable<Frame>, technique: ExchangeScript['technique'], budget: Budget): Promise<ExchangeScript> {
  const answers: RecordedAnswer[] = []
  let firstRequest: number | undefined
  let lastRequest: number | undefined
  for await (const frame of frames) {
    if (frame.kind === 'request') {
      firstRequest ??= frame.time
      lastRequest = frame.time
    } else if (frame.kind === 'response') {
      const answer = answerOf(frame, frame.time - (firstRequest ?? frame.time), frame.time - (lastRequest ?? frame.time))
      budget.take(answer.body.length)
      answers.push(answer)
    }
  }
  return { kind: 'exchanges', technique, answers }
}
