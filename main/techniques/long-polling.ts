// Long-polling: ask, let the server hold the request until it has something, show
// the answer and the messages in it, and ask again at once from the cursor the
// answer gave. A request that outlives requestTimeoutMs is abandoned and asked
// again (a quiet feed is not a failure); a network error or an error status ends
// the attempt so the reconnect policy backs off. The cursor travels to the next
// attempt as the `lastEventId` hint, so a reconnect resumes where the last answer
// left off (and the `reconnect` frame shows from where).
import type { ConnectionSpec } from '../contract/index.js'
import { requestUrl } from '../net/request-target.js'
import { HttpPollAttempt } from './http-poll-attempt.js'
import type { AnswerHead, ExchangeResult } from './http-poll-exchange.js'
import { extractMessages, parseBody } from './http-messages.js'
import { cursorFrom, type CursorOptions } from './poll-cursor.js'
import type { AttemptContext, Technique, TechniqueSink } from './technique.js'

export function createLongPollingTechnique(spec: ConnectionSpec, sink: TechniqueSink, attempt: AttemptContext): Technique {
  return new LongPolling(spec, sink, attempt)
}

class LongPolling extends HttpPollAttempt {
  private cursor: string | undefined

  constructor(spec: ConnectionSpec, sink: TechniqueSink, attempt: AttemptContext) {
    super(spec, sink, attempt)
    this.cursor = spec.longPolling.cursor.from === 'none' ? undefined : attempt.lastEventId
  }

  protected run(): void {
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
      const result = await this.ask(url, {}, options.requestTimeoutMs)
      if (this.finished || result.kind === 'aborted') return
      if (result.kind === 'timeout') {
        this.sink.frame({ kind: 'error', direction: 'system', code: 'E_TIMEOUT', message: `no answer within ${options.requestTimeoutMs} ms (longPolling.requestTimeoutMs); asking again` })
        continue
      }
      if (result.kind === 'failed') return this.requestFailed(result)
      if (!this.answerIsWhole(result, (status) => (status >= 200 && status < 300) || this.pointsToNext(status, result.head))) return
      this.take(result, url)
    }
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

  private take(result: Extract<ExchangeResult, { kind: 'answer' }>, url: string): void {
    const { head, body } = result
    const options = this.spec.longPolling
    const parsed = parseBody(body)
    this.showResponse(head, body)
    if (head.status < 300) {
      this.markOpen(head)
      const extraction = extractMessages(body, parsed, options.messagesPath)
      if (extraction.problem) this.notice('E_MESSAGES_PATH', extraction.problem)
      for (const message of extraction.messages) this.sink.messageIn(message.data, message.binary)
    }
    const next = cursorFrom(this.cursorSource(head.status), head.headers, parsed, url)
    if ('cursor' in next) {
      if (next.cursor !== this.cursor) this.sink.hint({ lastEventId: next.cursor })
      this.cursor = next.cursor
    } else if ('missing' in next) {
      this.notice('E_CURSOR_MISSING', `${next.missing}; asking again with the ${this.cursor === undefined ? 'original URL' : 'previous cursor'}`)
    }
  }
}
