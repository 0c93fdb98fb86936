// What re-sending a recording does, read from the file: the spec to open again
// (optionally to another URL, secrets the recording never held left out), and for
// WebSocket the client's messages with their times after open. The HTTP techniques
// make their requests themselves; there the plan says how much to wait for. The file
// is streamed and only the client's side is kept, within stated limits.
import { ConnectionSpecSchema, isSendableCloseCode, urlProblem, type ConnectionSpec, type Frame, type OutgoingMessage, type RecordingHeader, type TechniqueName } from '../contract/index.js'
import { openRecording, type RecordingProblem } from '../recording/read-recording.js'

/** Most messages a re-send keeps, and most payload bytes. */
export const MAX_RESEND_STEPS = 100_000
export const MAX_RESEND_BYTES = 64 * 1024 * 1024

/** What a recording has in place of each secret it did not keep. */
const REDACTED = '[redacted]'

export type ResendErrorCode = 'E_RESEND_TOO_LARGE' | 'E_RESEND_SPEC' | 'E_RESEND_URL'

export class ResendError extends Error {
  constructor(
    readonly code: ResendErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/**
 * One client message: `at` ms after open in the recording; `gate` counts the server
 * messages that came before it and `gateAt` is when the last of them came (so with
 * afterServerMessage it waits for that many and keeps its recorded distance).
 */
export interface ResendStep {
  at: number
  gate: number
  gateAt: number
  message: OutgoingMessage
}

/** How the recorded connection ended: the client closed it (re-sent too), or the server did (waited for). */
export type RecordedEnd = { by: 'client'; at: number; gate: number; gateAt: number; code?: number; reason: string } | { by: 'server'; at: number }

export interface ResendPlan {
  header: RecordingHeader
  technique: TechniqueName
  spec: ConnectionSpec
  steps: ResendStep[]
  /** What the recorded run received, counted as the re-send counts it: HTTP responses, events, or messages in. */
  expected: { what: 'responses' | 'events' | 'messages'; count: number }
  end: RecordedEnd | undefined
  /** From the first frame to the last: how long the recorded run lasted. */
  durationMs: number
  /** Secrets the recording held only as "[redacted]": not sent (named by where they were). */
  omitted: string[]
  problems: RecordingProblem[]
}

export async function loadResendPlan(path: string, options: { to?: string } = {}): Promise<ResendPlan> {
  const reader = await openRecording(path)
  const { spec, omitted } = specOf(reader.header, options.to, path)
  const technique = spec.technique
  const span = { first: undefined as number | undefined, last: 0 }
  const frames = timed(reader.frames, span)
  const plan = technique === 'websocket' ? await webSocketSide(frames, path) : { steps: [], end: undefined, expected: await httpExpected(frames, technique) }
  return { header: reader.header, technique, spec, omitted, problems: reader.problems, durationMs: span.first === undefined ? 0 : span.last - span.first, ...plan }
}

async function* timed(frames: AsyncIterable<Frame>, span: { first: number | undefined; last: number }): AsyncGenerator<Frame> {
  for await (const frame of frames) {
    span.first ??= frame.time
    span.last = frame.time
    yield frame
  }
}

/** The recorded spec made openable: the new URL checked for the technique, redacted secrets removed. */
function specOf(header: RecordingHeader, to: string | undefined, path: string): { spec: ConnectionSpec; omitted: string[] } {
  const recorded = structuredClone(header.spec) as Record<string, unknown> & { technique: string; url: string }
  if (to !== undefined) {
    const problem = (['websocket', 'sse', 'long-polling', 'polling', 'streaming'] as const).includes(recorded.technique as TechniqueName) ? urlProblem(to, recorded.technique as TechniqueName) : undefined
    if (problem) throw new ResendError('E_RESEND_URL', `--to ${to.slice(0, 200)}: ${problem} (a re-send keeps the recording's technique)`)
    recorded.url = to
  }
  const omitted: string[] = []
  const auth = recorded.auth as { type?: string; password?: string; token?: string } | undefined
  if (auth && (auth.password === REDACTED || auth.token === REDACTED)) {
    omitted.push(`auth (${auth.type})`)
    recorded.auth = { type: 'none' }
  }
  for (const list of ['headers', 'query'] as const) {
    const entries = recorded[list]
    if (!Array.isArray(entries)) continue
    recorded[list] = entries.filter((entry: { name?: string; value?: string }) => {
      if (entry?.value !== REDACTED) return true
      omitted.push(`${list === 'headers' ? 'header' : 'query parameter'} ${entry.name}`)
      return false
    })
  }
  const proxy = recorded.proxy as { mode?: string; url?: string } | undefined
  if (proxy?.url === REDACTED) {
    omitted.push('proxy URL (it had a password)')
    recorded.proxy = { mode: 'env' }
  }
  if (recorded.url.includes(encodeURIComponent(REDACTED))) omitted.push('a credential in the URL')
  // A session re-sent is recorded by whoever opens it, as any new session.
  delete recorded.record
  // The steps belong to one connection: a WebSocket re-send does not reconnect.
  if (recorded.technique === 'websocket') recorded.reconnect = { ...(recorded.reconnect as object), enabled: false }
  const parsed = ConnectionSpecSchema.safeParse(recorded)
  if (!parsed.success) throw new ResendError('E_RESEND_SPEC', `${path}: the recorded connection cannot be opened again (${parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; ')})`)
  return { spec: parsed.data, omitted }
}

/**
 * The client's side of the first connection that opened (as the mock serves the
 * server's side of it): text, binary and pings sent, and how it ended.
 */
async function webSocketSide(frames: AsyncIterable<Frame>, path: string): Promise<Pick<ResendPlan, 'steps' | 'end' | 'expected'>> {
  const steps: ResendStep[] = []
  let openAt: number | undefined
  let gate = 0
  let gateAt = 0
  let bytes = 0
  let end: RecordedEnd | undefined
  for await (const frame of frames) {
    // Read on to the end (the run's length is measured over the whole file), keeping nothing.
    if (end) continue
    if (openAt === undefined) {
      if (frame.kind === 'open') openAt = frame.time
      continue
    }
    const at = Math.max(0, frame.time - openAt)
    if (frame.kind === 'message' && frame.direction === 'in') {
      gate++
      gateAt = at
    } else if ((frame.kind === 'message' || frame.kind === 'ping') && frame.direction === 'out') {
      const message: OutgoingMessage =
        frame.kind === 'ping' ? { type: 'ping', data: frame.data } : frame.dataBase64 !== undefined ? { type: 'binary', base64: frame.dataBase64 } : { type: 'text', data: frame.data ?? '' }
      bytes += frame.kind === 'ping' ? frame.data.length : frame.size
      if (steps.length >= MAX_RESEND_STEPS || bytes > MAX_RESEND_BYTES)
        throw new ResendError('E_RESEND_TOO_LARGE', `${path} has more to send than a re-send keeps (${MAX_RESEND_STEPS.toLocaleString('en')} messages or ${MAX_RESEND_BYTES / 1024 / 1024} MiB); cut it down first`)
      steps.push({ at, gate, gateAt, message })
    } else if (frame.kind === 'close') {
      end = frame.cause === 'local' ? { by: 'client', at, gate, gateAt, ...(isSendableCloseCode(frame.code) ? { code: frame.code } : {}), reason: frame.reason } : { by: 'server', at }
    }
  }
  return { steps, end, expected: { what: 'messages', count: gate } }
}

/** As many answers as the recording got: responses for polling, events for SSE, messages for streaming. */
async function httpExpected(frames: AsyncIterable<Frame>, technique: TechniqueName): Promise<ResendPlan['expected']> {
  const what = technique === 'sse' ? 'events' : technique === 'streaming' ? 'messages' : 'responses'
  let count = 0
  for await (const frame of frames) {
    if (what === 'responses' ? frame.kind === 'response' : what === 'events' ? frame.kind === 'event' : frame.kind === 'message' && frame.direction === 'in') count++
  }
  return { what, count }
}
