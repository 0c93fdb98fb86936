// One request/answer of the polling techniques, read whole: the request goes out
// (shown as a `request` frame), the head comes back, the body is read up to the
// size limit. A deadline covers all of it, and the user's close aborts it; both
// are told apart from the network failing, because a timeout only means "ask again".
import type { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import type { CloseCause } from '../contract/index.js'
import type { TechniqueSink } from '../frames/sink.js'
import { errorCodeOf, errorMessageOf } from '../net/error-codes.js'
import { classifyBodyEnd, sendHttpRequest, type BodyEnd, type HttpAnswer } from '../net/http-exchange.js'
import type { ReadGate } from './read-gate.js'

export type AnswerHead = Omit<HttpAnswer, 'body'>

export type ExchangeResult =
  /** A head arrived; `body` is complete when `end.kind` is 'end' and not `tooBig`. */
  | { kind: 'answer'; head: AnswerHead; body: Buffer; end: BodyEnd; tooBig: boolean }
  /** The deadline passed before the answer was complete. */
  | { kind: 'timeout' }
  /** Closed or disposed meanwhile; nothing more to report. */
  | { kind: 'aborted' }
  /** No answer: `cause` is how the connection ended, undefined when it never connected. */
  | { kind: 'failed'; code: string; message: string; cause: CloseCause | undefined }

export interface ExchangeRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
  timeoutMs: number
  maxBodyBytes: number
}

/** Runs one exchange at a time and can abort it from outside. */
export class PollExchange {
  private controller: AbortController | undefined
  private timedOut = false

  constructor(
    private readonly sink: TechniqueSink,
    private readonly dispatcher: Dispatcher,
    /** Called when the head and each body chunk arrive (idle time, byte counts). */
    private readonly onBytes: (count: number) => void,
    /** Back-pressure: while held no request starts, the body is not read, and the deadline waits. */
    private readonly gate?: ReadGate,
  ) {}

  get inFlight(): boolean {
    return this.controller !== undefined
  }

  abort(): void {
    this.controller?.abort()
  }

  async run(request: ExchangeRequest): Promise<ExchangeResult> {
    const gate = this.gate
    const controller = (this.controller = new AbortController())
    if (gate?.held) {
      await new Promise<void>((resolve) => {
        gate.whenOpen(resolve)
        controller.signal.addEventListener('abort', () => resolve(), { once: true })
      })
      if (controller.signal.aborted) {
        if (this.controller === controller) this.controller = undefined
        return { kind: 'aborted' }
      }
    }
    this.timedOut = false
    // One deadline for head and body: undici's own timers are off, this one decides.
    // While the gate holds the body the answer is late because of us: it waits.
    let timer: NodeJS.Timeout
    let done = false
    const expire = () => {
      if (done) return
      if (gate?.held) return gate.whenOpen(() => (timer = setTimeout(expire, 1000)))
      this.timedOut = true
      controller.abort()
    }
    timer = setTimeout(expire, request.timeoutMs)
    try {
      let answer: HttpAnswer
      try {
        answer = await sendHttpRequest(this.sink, {
          method: request.method,
          url: request.url,
          headers: request.headers,
          ...(request.body !== undefined ? { body: request.body } : {}),
          dispatcher: this.dispatcher,
          signal: controller.signal,
          headersTimeoutMs: 0,
          bodyTimeoutMs: 0,
        })
      } catch (error) {
        return this.requestFailed(error, controller)
      }
      const { body: stream, ...head } = answer
      this.onBytes(0)
      const read = await readBounded(stream, request.maxBodyBytes, this.onBytes, gate)
      if (controller.signal.aborted) return this.timedOut ? { kind: 'timeout' } : { kind: 'aborted' }
      return { kind: 'answer', head, body: read.body, end: read.end, tooBig: read.tooBig }
    } finally {
      done = true
      clearTimeout(timer)
      if (this.controller === controller) this.controller = undefined
    }
  }

  private requestFailed(error: unknown, controller: AbortController): ExchangeResult {
    if (controller.signal.aborted) return this.timedOut ? { kind: 'timeout' } : { kind: 'aborted' }
    const code = errorCodeOf(error)
    const message = errorMessageOf(error)
    if (code === 'E_CONNECTION_RESET') return { kind: 'failed', code, message, cause: 'reset' }
    // undici says "other side closed": a FIN where the answer should have been.
    if (code === 'E_CONNECTION_CLOSED') return { kind: 'failed', code, message: `the server closed the connection without answering (${message})`, cause: 'fin' }
    if (code === 'E_TIMEOUT') return { kind: 'failed', code, message, cause: 'timeout' }
    return { kind: 'failed', code, message, cause: undefined }
  }
}

interface BoundedBody {
  body: Buffer
  end: BodyEnd
  tooBig: boolean
}

/** Reads a body whole, but never more than `limit` bytes: past that it stops reading. */
function readBounded(stream: Readable, limit: number, onBytes: (count: number) => void, gate: ReadGate | undefined): Promise<BoundedBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const finish = (end: BodyEnd, tooBig = false) => {
      if (settled) return
      settled = true
      stream.removeListener('data', onData)
      gate?.unfollow(stream)
      resolve({ body: Buffer.concat(chunks, size), end, tooBig })
    }
    const onData = (chunk: Buffer) => {
      onBytes(chunk.length)
      if (size + chunk.length > limit) {
        const room = limit - size
        chunks.push(chunk.subarray(0, room))
        size += room
        finish({ kind: 'end' }, true)
        stream.destroy()
        return
      }
      chunks.push(chunk)
      size += chunk.length
    }
    stream.on('data', onData)
    gate?.follow(stream)
    stream.once('end', () => finish({ kind: 'end' }))
    stream.once('error', (error) => finish(classifyBodyEnd(error)))
    stream.once('close', () => finish(classifyBodyEnd(new Error('the body stream closed early'))))
  })
}
