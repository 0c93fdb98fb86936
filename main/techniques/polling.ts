// Polling: ask at a fixed interval (plus optional random jitter), conditionally
// when the server gave validators (If-None-Match, If-Modified-Since). A 304 and a
// 200 whose body is byte-identical to the last one are marked `unchanged` — with
// every header kept, since Age / X-Cache / ETag are what explain a stale cache.
// The interval runs from one request's start to the next; a slow answer delays
// the next request rather than overlapping it.
import { createHash } from 'node:crypto'
import type { ConnectionSpec } from '../contract/index.js'
import { headerValue } from '../contract/headers.js'
import type { TechniqueSink } from '../frames/sink.js'
import type { WireHeaders } from '../net/http-evidence.js'
import { requestUrl } from '../net/request-target.js'
import { HttpPollAttempt } from './http-poll-attempt.js'
import type { ExchangeResult } from './http-poll-exchange.js'
import { extractMessages, parseBody } from './http-messages.js'
import type { AttemptContext, Technique } from './technique.js'

export function createPollingTechnique(spec: ConnectionSpec, sink: TechniqueSink, attempt: AttemptContext, random: () => number = Math.random): Technique {
  return new Polling(spec, sink, attempt, random)
}

class Polling extends HttpPollAttempt {
  private etag: string | undefined
  private lastModified: string | undefined
  /** A digest of the last 200 body: enough to tell "identical", without keeping the bytes. */
  private lastDigest: string | undefined

  constructor(
    spec: ConnectionSpec,
    sink: TechniqueSink,
    attempt: AttemptContext,
    private readonly random: () => number,
  ) {
    super(spec, sink, attempt)
  }

  protected run(): void {
    void this.poll()
  }

  protected tooBig(): void {
    // The next poll may be smaller; the interval keeps this from spinning.
    this.sink.frame({ kind: 'error', direction: 'system', code: 'E_MESSAGE_TOO_BIG', message: this.tooBigMessage() })
  }

  private async poll(): Promise<void> {
    const options = this.spec.polling
    const startedAt = this.sink.now()
    const result = await this.ask(requestUrl(this.spec), this.conditionalHeaders(), options.requestTimeoutMs)
    if (this.finished || result.kind === 'aborted') return
    if (result.kind === 'failed') return this.requestFailed(result)
    if (result.kind === 'timeout') {
      this.sink.frame({ kind: 'error', direction: 'system', code: 'E_TIMEOUT', message: `no answer within ${options.requestTimeoutMs} ms (polling.requestTimeoutMs); polling on` })
    } else {
      this.take(result)
      if (this.finished) return
    }
    const jitter = options.jitterMs > 0 ? this.random() * options.jitterMs : 0
    this.later(() => void this.poll(), Math.max(0, startedAt + options.intervalMs + jitter - this.sink.now()))
  }

  private take(result: Extract<ExchangeResult, { kind: 'answer' }>): void {
    const { head, body } = result
    if (head.status === 304 && result.end.kind === 'end') {
      this.showResponse(head, body, { unchanged: true })
      this.rememberValidators(head.headers)
      this.markOpen(head)
      return
    }
    if (!this.answerIsWhole(result, (status) => status >= 200 && status < 300)) return
    const digest = createHash('sha256').update(body).digest('base64')
    const unchanged = digest === this.lastDigest
    this.lastDigest = digest
    this.showResponse(head, body, unchanged ? { unchanged: true } : {})
    this.rememberValidators(head.headers)
    this.markOpen(head)
    if (unchanged) return
    const parsed = parseBody(body)
    const extraction = extractMessages(body, parsed, this.spec.polling.messagesPath)
    if (extraction.problem) this.notice('E_MESSAGES_PATH', extraction.problem)
    for (const message of extraction.messages) this.sink.messageIn(message.data, message.binary)
  }

  private conditionalHeaders(): Record<string, string> {
    if (!this.spec.polling.conditional) return {}
    return {
      ...(this.etag !== undefined ? { 'If-None-Match': this.etag } : {}),
      ...(this.lastModified !== undefined ? { 'If-Modified-Since': this.lastModified } : {}),
    }
  }

  /** A 304 may refresh the validators; one without them keeps the old ones. */
  private rememberValidators(headers: WireHeaders): void {
    const etag = headerValue(headers, 'etag')
    const lastModified = headerValue(headers, 'last-modified')
    if (etag !== undefined) this.etag = etag
    if (lastModified !== undefined) this.lastModified = lastModified
  }
}

