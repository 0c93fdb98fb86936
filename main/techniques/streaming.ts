// Comet / HTTP streaming: one long response read as it arrives, as a browser sees
// it at readyState 3. Every body chunk is shown with its arrival time; a framer
// (NDJSON, a delimiter, hidden-iframe scripts) optionally cuts the bytes into
// messages, wherever the chunks were cut. How the body ended is the point of the
// exercise: properly, without its terminating chunk (an idle proxy), by a reset,
// or by a timeout.
import { isUtf8 } from 'node:buffer'
import type { Readable } from 'node:stream'
import { ReadGate } from './read-gate.js'
import type { Dispatcher } from 'undici'
import { fail, ok, type CloseCause, type ConnectionSpec, type OutgoingMessage, type Result, type SessionState } from '../contract/index.js'
import type { TechniqueSink } from '../frames/sink.js'
import { textIfUtf8 } from '../frames/text.js'
import { HttpAttemptStart } from '../net/connection-setup.js'
import { BodyDecoder, contentCoding } from '../net/content-decoding.js'
import { errorCodeOf, errorMessageOf } from '../net/error-codes.js'
import { EVIDENCE_BODY_LIMIT, readEvidenceBody } from '../net/http-evidence.js'
import { classifyBodyEnd, responseFrame, sendHttpRequest, type BodyEnd, type HttpAnswer } from '../net/http-exchange.js'
import { requestUrl } from '../net/request-target.js'
import { createFramer, type Framer } from './framing/index.js'
import { decodedEvidence, looksLikeJson, preview, statusText, streamingRequestHeaders } from './streaming-wire.js'
import type { AttemptContext, Technique } from './technique.js'

export function createStreamingTechnique(spec: ConnectionSpec, sink: TechniqueSink, attempt: AttemptContext): Technique {
  return new StreamingAttempt(spec, sink, attempt)
}

class StreamingAttempt implements Technique {
  /** No sink call once set: the attempt has ended or was disposed. */
  private finished = false
  private opened = false
  private readonly controller = new AbortController()
  private dispatcher: Dispatcher | undefined
  private body: Readable | undefined
  private decoder: BodyDecoder | undefined
  /** Back-pressure: the body is not read while held. */
  private readonly gate = new ReadGate()
  private framer: Framer | undefined
  private contentLength: number | undefined
  private bytesIn = 0
  private bytesOut = 0
  private lastByteAt = 0
  private notJsonSaid = false
  private idleTimer: NodeJS.Timeout | undefined
  private readonly starting: HttpAttemptStart

  constructor(
    private readonly spec: ConnectionSpec,
    private readonly sink: TechniqueSink,
    private readonly attempt: AttemptContext,
  ) {
    this.starting = new HttpAttemptStart(spec, attempt, sink)
  }

  start(): void {
    this.sink.state('connecting')
    this.lastByteAt = this.sink.now()
    void this.connect()
  }

  send(message: OutgoingMessage): Result<void> {
    if (message.type === 'close') {
      this.close()
      return ok(undefined)
    }
    return fail('E_NOT_SUPPORTED', 'an HTTP stream only receives; change the request body or query to send something')
  }

  close(): void {
    if (this.finished) return
    const reason = this.opened ? 'closed by the user' : 'closed by the user before the answer came'
    this.endWith(reason, 'local', false, 'closed')
  }

  /** Stops reading the response body (TCP flow control slows the server) until `resume`. */
  pause(): void {
    this.gate.hold()
  }

  resume(): void {
    if (this.gate.held) this.lastByteAt = this.sink.now()
    this.gate.release()
  }

  dispose(): void {
    this.finished = true
    this.gate.clear()
    this.stopWork()
  }

  private async connect(): Promise<void> {
    const choice = createFramer(this.spec.streaming)
    if (!choice.ok) return this.failEarly('E_STREAM_DELIMITER', `streaming.delimiter: ${choice.problem}`)
    this.framer = choice.framer
    const started = await this.starting.prepare(() => this.finished)
    if (started === undefined) return
    if ('error' in started) return this.failEarly(errorCodeOf(started.error), errorMessageOf(started.error))
    const { prepared } = started
    this.dispatcher = prepared.dispatcher
    let answer: HttpAnswer
    try {
      const body = this.spec.method === 'GET' ? undefined : this.spec.body
      if (body !== undefined) this.bytesOut += Buffer.byteLength(body)
      this.lastByteAt = this.sink.now()
      this.watchIdle()
      answer = await sendHttpRequest(this.sink, {
        method: this.spec.method,
        url: requestUrl(this.spec),
        headers: streamingRequestHeaders(this.spec),
        ...(body !== undefined ? { body } : {}),
        dispatcher: prepared.dispatcher,
        signal: this.controller.signal,
        // undici's own body timer is coarse (it fired up to a second late); ours is not.
        bodyTimeoutMs: 0,
      })
    } catch (error) {
      if (this.finished) return
      const code = errorCodeOf(error)
      // undici says "other side closed": a FIN where the answer should have been.
      const message = code === 'E_CONNECTION_CLOSED' ? `the server closed the connection without answering (${errorMessageOf(error)})` : errorMessageOf(error)
      return this.failEarly(code, message)
    }
    if (this.finished) return void answer.body.destroy()
    this.lastByteAt = this.sink.now()
    this.body = answer.body
    if (answer.status < 200 || answer.status > 299) return this.refused(answer)
    this.read(answer)
  }

  /** A non-2xx answer is evidence (an error page, a proxy's refusal): keep its body. */
  private async refused(answer: HttpAnswer): Promise<void> {
    const { body, ...head } = answer
    const evidence = await readEvidenceBody(body as unknown as Parameters<typeof readEvidenceBody>[0])
    if (this.finished) return
    const coding = contentCoding(head.headers['content-encoding'])
    this.sink.frame(responseFrame(head, decodedEvidence(evidence, coding, EVIDENCE_BODY_LIMIT)))
    // Asking again will not change a refusal; a busy or timed-out server may answer next time.
    if (head.status >= 400 && head.status < 500 && ![408, 425, 429].includes(head.status)) this.sink.hint({ reconnectable: false })
    this.failEarly('E_HTTP_STATUS', statusText(head.status, head.headers))
  }

  private read(answer: HttpAnswer): void {
    const { body, ...head } = answer
    const length = head.headers['content-length']
    if (typeof length === 'string' && /^\d+$/.test(length)) this.contentLength = Number(length)
    this.sink.frame(responseFrame(head))
    this.sink.frame({ kind: 'open', direction: 'system', protocol: `HTTP/${head.httpVersion}` })
    this.opened = true
    this.sink.state('open')

    const coding = contentCoding(head.headers['content-encoding'])
    if (coding.kind === 'unsupported') {
      this.sink.frame({ kind: 'error', direction: 'system', code: 'E_STREAM_ENCODING', message: `Content-Encoding "${coding.coding}" is not decoded here; chunks and messages show the bytes as they came` })
    }
    const decoder = (this.decoder =
      coding.kind === 'decode'
        ? new BodyDecoder(coding.coding, {
            data: (bytes) => this.onBytes(bytes),
            error: (error) => this.endWith('the body could not be decoded', 'local', false, 'failed', ['E_CONTENT_DECODING', `the ${coding.coding} body could not be decoded: ${errorMessageOf(error)}`]),
            end: () => this.bodyEnded({ kind: 'end' }),
          })
        : undefined)

    body.on('data', (raw: Buffer) => {
      this.bytesIn += raw.length
      this.lastByteAt = this.sink.now()
      if (!decoder) return this.onBytes(raw)
      if (!decoder.write(raw)) {
        body.pause()
        decoder.onDrain(() => this.gate.resume(body))
      }
    })
    this.gate.follow(body)
    body.once('end', () => (decoder ? decoder.end() : this.bodyEnded({ kind: 'end' })))
    body.once('error', (error) => {
      const end = classifyBodyEnd(error)
      // Show what the bytes that did arrive decode to before saying how it ended.
      if (decoder) decoder.flush(() => this.bodyEnded(end))
      else this.bodyEnded(end)
    })
  }

  /** streaming.idleTimeoutMs: one timer, re-armed for what is left rather than reset per chunk. */
  private watchIdle(): void {
    const limit = this.spec.streaming.idleTimeoutMs
    if (limit === 0 || this.finished) return
    // While reading is paused for the recording, silence is ours, not the server's.
    const idle = this.gate.held ? 0 : this.sink.now() - this.lastByteAt
    if (idle < limit) {
      this.idleTimer = setTimeout(() => this.watchIdle(), limit - idle)
      return
    }
    const message = `no byte for ${limit} ms (streaming.idleTimeoutMs)`
    if (this.opened) this.bodyEnded({ kind: 'timeout', code: 'E_TIMEOUT', message })
    else this.failEarly('E_TIMEOUT', `no answer: ${message}`)
  }

  private onBytes(bytes: Buffer): void {
    if (this.finished) return
    const text = textIfUtf8(bytes)
    // Decoded now rather than when shown: kept until the batch went out, the socket's
    // buffer outlived a young-generation GC, which cost more than the decode saves
    // (64 KB chunks at a few thousand a second are all shown anyway).
    this.sink.chunkIn(bytes, text)
    const framer = this.framer
    if (!framer) return
    const max = this.spec.limits.maxMessageBytes
    const messages = framer.push(bytes)
    // Messages inside a valid UTF-8 chunk, cut at ASCII bytes, are valid too: no second check.
    const textFrom = text !== undefined && framer.cutsAtAscii ? framer.spanning : messages.length
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!
      if (message.length > max) return this.tooBig(message.length)
      if (!this.notJsonSaid && this.spec.streaming.framing === 'ndjson' && !looksLikeJson(message)) {
        this.notJsonSaid = true
        this.sink.frame({ kind: 'error', direction: 'system', code: 'E_STREAM_NOT_JSON', message: `a line is not JSON (${preview(message)}); it is kept as a text message (said once per connection)` })
      }
      this.sink.messageIn(message, i < textFrom && !isUtf8(message))
    }
    if (framer.buffered > max) this.tooBig(framer.buffered)
  }

  private tooBig(size: number): void {
    const max = this.spec.limits.maxMessageBytes
    const problem = `a message reached ${size} bytes without its end, over limits.maxMessageBytes (${max}); stopped reading`
    this.endWith(`stopped: a message over ${max} bytes`, 'local', false, 'failed', ['E_MESSAGE_TOO_BIG', problem])
  }

  private bodyEnded(end: BodyEnd): void {
    if (this.finished) return
    const errors: [string, string][] = []
    let cause: CloseCause
    let reason: string
    if (end.kind === 'end') {
      cause = 'remote-close'
      reason = 'body ended'
    } else if (end.kind === 'fin') {
      cause = 'fin'
      reason =
        this.contentLength !== undefined
          ? `incomplete body: ${this.bytesIn} of ${this.contentLength} bytes (Content-Length) when the server closed`
          : 'incomplete chunked body: the server closed mid-body, without the terminating chunk'
      errors.push([end.code, reason])
    } else {
      cause = end.kind === 'reset' ? 'reset' : end.kind === 'timeout' ? 'timeout' : end.kind === 'aborted' ? 'local' : 'reset'
      reason = end.message
      errors.push([end.code, reason])
    }
    const leftover = this.framer?.end().leftover ?? 0
    if (leftover > 0) {
      errors.push(['E_PARTIAL_MESSAGE', `the body ended inside a message: ${leftover} bytes never completed (they are in the chunks above, not shown as a message)`])
    }
    this.endWith(reason, cause, end.kind === 'end', 'closed', ...errors)
  }

  /** The attempt ends after it opened (or while opening): errors, a close frame, the final state. */
  private endWith(reason: string, cause: CloseCause, wasClean: boolean, state: SessionState, ...errors: [string, string][]): void {
    if (this.finished) return
    this.starting.announce()
    for (const [code, message] of errors) this.sink.frame({ kind: 'error', direction: 'system', code, message })
    this.sink.frame({
      kind: 'close',
      direction: 'system',
      code: 0,
      reason,
      wasClean,
      idleMs: Math.max(0, this.sink.now() - this.lastByteAt),
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      cause,
    })
    this.finished = true
    this.stopWork()
    this.sink.state(state)
  }

  /** No connection was made (or no usable answer came): the error and 'failed'. */
  private failEarly(code: string, message: string): void {
    if (this.finished) return
    this.starting.announce()
    this.sink.frame({ kind: 'error', direction: 'system', code, message })
    this.finished = true
    this.stopWork()
    this.sink.state('failed')
  }

  private stopWork(): void {
    clearTimeout(this.idleTimer)
    this.idleTimer = undefined
    this.controller.abort()
    const body = this.body
    this.body = undefined
    if (body) {
      body.removeAllListeners('data')
      // A late error from the dying body must not become an unhandled 'error'.
      body.on('error', () => {})
      body.destroy()
    }
    this.decoder?.destroy()
    this.decoder = undefined
    const dispatcher = this.dispatcher
    this.dispatcher = undefined
    void dispatcher?.destroy().catch(() => {})
  }
}
