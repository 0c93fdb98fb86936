// Long-polling: ask, let the server hold the request until it has something, show
// the answer and the messages in it, and ask again at once from the cursor the
// answer gave. A request that outlives requestTimeoutMs is abandoned and asked
// again (a quiet feed is not a failure); a network error or an error status ends
// the attempt so the reconnect policy backs off. The cursor travels to the next
// attempt as the `lastEventId` hint, so a reconnect resumes where the last answer
// left off (and the `reconnect` frame shows from where).
import type { ConnectionSpec } from '../contract/index.js'
import type { TechniqueSink } from '../frames/sink.js'
import { requestUrl } from '../net/request-target.js'
import { HttpPollAttempt } from './http-poll-attempt.js'
import type { AnswerHead, ExchangeResult } from './http-poll-exchange.js'
import { extractMessages, parseBody } from './http-messages.js'
import { cursorFrom, type CursorOptions } from './poll-cursor.js'
import { MAX_PACED_WAIT_MS, REQUEST_FLOOR_MS, RequestPacer, requestFloorMs } from './request-floor.js'
import type { AttemptContext, Technique } from './technique.js'

export function createLongPollingTechnique(spec: ConnectionSpec, sink: TechniqueSink, attempt: AttemptContext): Technique {
  return new LongPolling(spec, sink, attempt)
}

class LongPolling extends HttpPollAttempt {
  private cursor: string | undefined
  private readonly pacer: RequestPacer

  constructor(spec: ConnectionSpec, sink: TechniqueSink, attempt: AttemptContext) {
    super(spec, sink, attempt)
    this.cursor = spec.longPolling.cursor.from === 'none' ? undefined : attempt.lastEventId
    this.pacer = new RequestPacer(requestFloorMs(spec), spec.reconnect.maxDelayMs || MAX_PACED_WAIT_MS)
  }

  protected run(): void {
    if (this.spec.longPolling.minIntervalMs < REQUEST_FLOOR_MS) {
      this.notice('E_MIN_INTERVAL_FLOOR', `longPolling.minIntervalMs ${this.spec.longPolling.minIntervalMs} is below the ${REQUEST_FLOOR_MS} ms floor every repeated request keeps; ${REQUEST_FLOOR_MS} ms is used`)
    }
    void this.loop()
  }

  protected tooBig(): void {
    // Asking again from the same cursor would fetch the same answer at once.
    this.endAttempt('E_MESSAGE_TOO_BIG', this.tooBigMessage(), 'local', 'the answer was too large to read', false)
  }

  private async loop(): Promise<void> {
    const options = this.spec.longPolling
    while (!this.finished) {
      const url = requestUrl(this.spec, this.cursor !== undefined ? { [options.cursor.param]: this.cursor } : {})
      const askedAt = this.sink.now()
      const result = await this.ask(url, {}, options.requestTimeoutMs)
      if (this.finished || result.kind === 'aborted') return
      if (result.kind === 'timeout') {
        this.sink.frame({ kind: 'error', direction: 'system', code: 'E_TIMEOUT', message: `no answer within ${options.requestTimeoutMs} ms (longPolling.requestTimeoutMs); asking again` })
        // A timeout shorter than the floor must not become a loop either.
        await this.pace(askedAt, false)
        continue
      }
      if (result.kind === 'failed') return this.requestFailed(result)
      if (!this.answerIsWhole(result, (status) => (status >= 200 && status < 300) || this.pointsToNext(status, result.head))) return
      await this.pace(askedAt, this.take(result, url))
    }
  }

  /** When the server did not hold the request: wait (shown as a `reconnect` frame) before asking again. */
  private async pace(askedAt: number, progressed: boolean): Promise<void> {
    const delayMs = this.pacer.next(this.sink.now() - askedAt, progressed)
    if (delayMs === 0 || this.finished) return
    this.sink.frame({ kind: 'reconnect', direction: 'system', attempt: this.attempt.number, delayMs, ...(this.cursor !== undefined ? { lastEventId: this.cursor } : {}) })
    // Closing clears the timer: the loop then simply never resumes.
    await new Promise<void>((resolve) => this.later(resolve, delayMs))
  }

  /** A redirect that only says where to resume from, when the cursor is read from URLs. */
  private pointsToNext(status: number, head: AnswerHead): boolean {
    if (status < 300 || status >= 400 || this.spec.longPolling.cursor.from !== 'query') return false
    return 'cursor' in cursorFrom(this.cursorSource(status), head.headers, { json: false, text: false }, this.spec.url)
  }

  /** A redirect's own Location is where it points, whatever header the 2xx answers use. */
  private cursorSource(status: number): CursorOptions {
    const cursor = this.spec.longPolling.cursor
    return cursor.from === 'query' && status >= 300 && status < 400 ? { ...cursor, name: 'Location' } : cursor
  }

  /** Shows the answer and its messages and follows its cursor; true when it brought messages and moved the cursor on. */
  private take(result: Extract<ExchangeResult, { kind: 'answer' }>, url: string): boolean {
    const { head, body } = result
    const options = this.spec.longPolling
    const parsed = parseBody(body)
    this.showResponse(head, body)
    let messages = 0
    if (head.status < 300) {
      this.markOpen(head)
      const extraction = extractMessages(body, parsed, options.messagesPath)
      if (extraction.problem) this.notice('E_MESSAGES_PATH', extraction.problem)
      for (const message of extraction.messages) this.sink.messageIn(message.data, message.binary)
      messages = extraction.messages.length
    }
    const next = cursorFrom(this.cursorSource(head.status), head.headers, parsed, url)
    let moved = false
    if ('cursor' in next) {
      moved = next.cursor !== this.cursor
      if (moved) this.sink.hint({ lastEventId: next.cursor })
      this.cursor = next.cursor
    } else if ('missing' in next) {
      this.notice('E_CURSOR_MISSING', `${next.missing}; asking again with the ${this.cursor === undefined ? 'original URL' : 'previous cursor'}`)
    }
    return messages > 0 && moved
  }
}
