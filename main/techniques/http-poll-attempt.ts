// What long-polling and polling share: one attempt is a loop of requests over one
// dispatcher. The attempt opens at the first good answer, asks again until closed,
// and ends — with the evidence, a `close` frame and 'failed' — when the network or
// the server fails, so the reconnect policy backs off. Closing or disposing aborts
// the request in flight and clears the timer at once.
import { STATUS_CODES } from 'node:http'
import type { Dispatcher } from 'undici'
import { fail, ok, type CloseCause, type ConnectionSpec, type FrameBody, type OutgoingMessage, type Result } from '../contract/index.js'
import type { TechniqueSink } from '../frames/sink.js'
import { HttpAttemptStart } from '../net/connection-setup.js'
import { errorCodeOf, errorMessageOf } from '../net/error-codes.js'
import { EVIDENCE_BODY_LIMIT } from '../net/http-evidence.js'
import { responseFrame } from '../net/http-exchange.js'
import { requestHeaders } from '../net/request-target.js'
import { PollExchange, type AnswerHead, type ExchangeResult } from './http-poll-exchange.js'
import { ReadGate } from './read-gate.js'
import type { AttemptContext, Technique } from './technique.js'

type ResponseExtra = Partial<Extract<FrameBody, { kind: 'response' }>>

export abstract class HttpPollAttempt implements Technique {
  /** No sink call once set: the attempt has ended or was disposed. */
  protected finished = false
  private opened = false
  private exchange: PollExchange | undefined
  private dispatcher: Dispatcher | undefined
  private timer: NodeJS.Timeout | undefined
  private bytesIn = 0
  private bytesOut = 0
  private lastByteAt = 0
  private readonly noticed = new Set<string>()
  /** Back-pressure: while held, the answer's body is not read and the next request waits. */
  private readonly gate = new ReadGate()
  private readonly starting: HttpAttemptStart

  constructor(
    protected readonly spec: ConnectionSpec,
    protected readonly sink: TechniqueSink,
    protected readonly attempt: AttemptContext,
  ) {
    this.starting = new HttpAttemptStart(spec, attempt, sink)
  }

  /** The request loop, started once the dispatcher is ready. */
  protected abstract run(): void

  start(): void {
    this.sink.state('connecting')
    this.lastByteAt = this.sink.now()
    void this.prepare()
  }

  send(message: OutgoingMessage): Result<void> {
    if (message.type === 'close') {
      this.close()
      return ok(undefined)
    }
    return fail('E_NOT_SUPPORTED', `${this.spec.technique} only receives; change the request body or query to send something`)
  }

  close(): void {
    if (this.finished) return
    const inFlight = this.exchange?.inFlight ?? false
    this.stopWork()
    this.starting.announce()
    // Nothing the server sent is lost when no request was in flight.
    this.sink.frame(this.closeFrame('closed by the user', 'local', !inFlight))
    this.finished = true
    this.sink.state('closed')
  }

  pause(): void {
    this.gate.hold()
  }

  resume(): void {
    this.gate.release()
  }

  dispose(): void {
    this.finished = true
    this.stopWork()
    this.gate.clear()
    const dispatcher = this.dispatcher
    this.dispatcher = undefined
    void dispatcher?.destroy().catch(() => {})
  }

  /** One request with the spec's method, body, headers and auth, plus `extraHeaders`. */
  protected ask(url: string, extraHeaders: Record<string, string>, timeoutMs: number): Promise<ExchangeResult> {
    const body = this.spec.method === 'GET' ? undefined : this.spec.body
    if (body !== undefined) this.bytesOut += Buffer.byteLength(body)
    return this.exchange!.run({
      method: this.spec.method,
      url,
      headers: requestHeaders(this.spec, extraHeaders),
      ...(body !== undefined ? { body } : {}),
      timeoutMs,
      maxBodyBytes: this.spec.limits.maxMessageBytes,
    })
  }

  protected later(fn: () => void, delayMs: number): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      fn()
    }, delayMs)
  }

  protected markOpen(head: AnswerHead): void {
    if (this.opened) return
    this.opened = true
    this.sink.frame({ kind: 'open', direction: 'system', protocol: `HTTP/${head.httpVersion}` })
    this.sink.state('open')
  }

  /** The answer's head, with its body where it is content or evidence (bounded). */
  protected showResponse(head: AnswerHead, body: Buffer, extra: ResponseExtra = {}): void {
    const shown = body.subarray(0, EVIDENCE_BODY_LIMIT)
    const truncated = shown.length < body.length || extra.bodyTruncated === true
    this.sink.frame(responseFrame(head, { ...encodeBody(shown, truncated), ...extra, ...(truncated ? { bodyTruncated: true } : {}) }))
  }

  /** An `error` frame that does not end the attempt, shown once per attempt. */
  protected notice(code: string, message: string): void {
    const key = `${code} ${message}`
    if (this.noticed.has(key)) return
    this.noticed.add(key)
    this.sink.frame({ kind: 'error', direction: 'system', code, message })
  }

  /** Handles what every answer can have gone wrong with; true when it is whole and usable. */
  protected answerIsWhole(result: Extract<ExchangeResult, { kind: 'answer' }>, okStatus: (status: number) => boolean): boolean {
    const { head, body, end, tooBig } = result
    if (end.kind !== 'end') {
      this.showResponse(head, body, { bodyTruncated: true })
      const cause: CloseCause = end.kind === 'reset' ? 'reset' : end.kind === 'timeout' ? 'timeout' : 'fin'
      this.endAttempt(end.code, end.message, cause, `incomplete body: ${end.message}`, false)
      return false
    }
    if (!okStatus(head.status)) {
      this.showResponse(head, body)
      const status = `${head.status} ${STATUS_CODES[head.status] ?? ''}`.trim()
      if (head.status >= 400 && head.status < 500 && ![408, 425, 429].includes(head.status)) {
        // Asking again will not change a refusal; the evidence is enough.
        this.sink.hint({ reconnectable: false })
      }
      this.endAttempt('E_HTTP_STATUS', `the server answered ${status}`, 'remote-close', `the server answered ${status}`, !tooBig)
      return false
    }
    if (tooBig) {
      this.showResponse(head, body, { bodyTruncated: true })
      this.tooBig(head)
      return false
    }
    return true
  }

  /** An answer over the limit; the techniques decide whether that ends the attempt. */
  protected abstract tooBig(head: AnswerHead): void

  protected tooBigMessage(): string {
    return `the answer is larger than limits.maxMessageBytes (${this.spec.limits.maxMessageBytes} bytes); stopped reading it`
  }

  /** A request that got no answer: the error, a close when a connection existed, then 'failed'. */
  protected requestFailed(result: Extract<ExchangeResult, { kind: 'failed' }>): void {
    this.starting.announce()
    if (result.cause === undefined) {
      this.sink.frame({ kind: 'error', direction: 'system', code: result.code, message: result.message })
      this.finished = true
      this.stopWork()
      this.sink.state('failed')
      return
    }
    this.endAttempt(result.code, result.message, result.cause, result.message, false)
  }

  /** The attempt ends in failure: what went wrong, how the connection ended, 'failed'. */
  protected endAttempt(code: string, message: string, cause: CloseCause, reason: string, wasClean: boolean): void {
    if (this.finished) return
    this.stopWork()
    this.sink.frame({ kind: 'error', direction: 'system', code, message })
    this.sink.frame(this.closeFrame(reason, cause, wasClean))
    this.finished = true
    this.sink.state('failed')
  }

  private async prepare(): Promise<void> {
    const started = await this.starting.prepare(() => this.finished)
    if (started === undefined) return
    if ('error' in started) return this.requestFailed({ kind: 'failed', code: errorCodeOf(started.error), message: errorMessageOf(started.error), cause: undefined })
    const { prepared } = started
    this.dispatcher = prepared.dispatcher
    this.exchange = new PollExchange(
      this.sink,
      prepared.dispatcher,
      (count) => {
        this.bytesIn += count
        this.lastByteAt = this.sink.now()
      },
      this.gate,
    )
    this.run()
  }

  private stopWork(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.exchange?.abort()
  }

  private closeFrame(reason: string, cause: CloseCause, wasClean: boolean): FrameBody {
    return {
      kind: 'close',
      direction: 'system',
      // HTTP has no close code.
      code: 0,
      reason,
      wasClean,
      idleMs: Math.max(0, this.sink.now() - this.lastByteAt),
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      cause,
    }
  }
}

function encodeBody(bytes: Buffer, truncated: boolean): { body?: string; bodyBase64?: string } {
  if (bytes.length === 0) return {}
  try {
    // A cut body may end inside a character; streaming mode leaves that tail out.
    return { body: new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: truncated }) }
  } catch {
    return { bodyBase64: bytes.toString('base64') }
  }
}
