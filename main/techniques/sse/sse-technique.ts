// Server-Sent Events, with everything a browser's EventSource hides made visible:
// the request and every answer (redirects too), the raw body chunks with their
// arrival times, every event named or not, comments, `id` and `retry`, and how the
// body ended. Parsing is the spec's (sse-parser.ts); the `eventsource` package runs
// alongside as the reference client and its differences become findings.
// Reconnecting is the session's job: this attempt only hints `retry`, the last
// event ID, and whether the answer forbids reconnecting.
import type { IncomingMessage } from 'node:http'
import type { Readable } from 'node:stream'
import { ReadGate } from '../read-gate.js'
import type { Dispatcher } from 'undici'
import { fail, type CloseCause, type ConnectionSpec, type OutgoingMessage, type Result } from '../../contract/index.js'
import { headerValue } from '../../contract/headers.js'
import type { TechniqueSink } from '../../frames/sink.js'
import { connectingFrame, prepareHttpConnection } from '../../net/connection-setup.js'
import { errorCodeOf, errorMessageOf } from '../../net/error-codes.js'
import { BodyDecoder, contentCoding, looksUnencoded, notACoding } from '../../net/content-decoding.js'
import { notEncodedNotice, unknownCodingFrame } from './sse-coding.js'
import { EVIDENCE_BODY_LIMIT, readEvidenceBody } from '../../net/http-evidence.js'
import { classifyBodyEnd, responseFrame, sendHttpRequest, type BodyEnd, type HttpAnswer } from '../../net/http-exchange.js'
import { requestUrl } from '../../net/request-target.js'
import { decodedEvidence } from '../streaming-wire.js'
import type { AttemptContext, Technique } from '../technique.js'
import { contentTypeDifference, EventSourceReference } from './eventsource-reference.js'
import { SseParser } from './sse-parser.js'
import { followRedirect, isEventStreamType, MAX_REDIRECTS, sseRequestHeaders, type RedirectStep } from './sse-request.js'

export function createSseTechnique(spec: ConnectionSpec, sink: TechniqueSink, attempt: AttemptContext): Technique {
  return new SseTechnique(spec, sink, attempt)
}

const END_REASONS: Record<BodyEnd['kind'], { reason: string; cause: CloseCause }> = {
  end: { reason: 'the server ended the event stream', cause: 'remote-close' },
  fin: { reason: 'incomplete chunked body: the server closed mid-body', cause: 'fin' },
  reset: { reason: 'the connection was reset (TCP RST)', cause: 'reset' },
  timeout: { reason: 'timed out', cause: 'timeout' },
  aborted: { reason: 'closed by the user', cause: 'local' },
  error: { reason: 'the connection failed', cause: 'reset' },
}

class SseTechnique implements Technique {
  private readonly controller = new AbortController()
  private readonly dispatchers: Dispatcher[] = []
  private readonly parser: SseParser
  private readonly reference: EventSourceReference | undefined
  private readonly startLastEventId: string | undefined
  private body: Readable | undefined
  private decoder: BodyDecoder | undefined
  /** Back-pressure: the body is not read while held. */
  private readonly gate = new ReadGate()
  private finished = false
  private closeRequested = false
  private lastByteAt = 0
  private bytesIn = 0
  private bytesOut = 0
  /** The last event ID given to the session as a hint (it needs the latest only when an attempt ends). */
  private hintedLastEventId: string
  private announced = false

  constructor(
    private readonly spec: ConnectionSpec,
    private readonly sink: TechniqueSink,
    private readonly attempt: AttemptContext,
  ) {
    this.startLastEventId = attempt.lastEventId ?? spec.sse.lastEventId
    this.hintedLastEventId = this.startLastEventId ?? ''
    this.parser = new SseParser(
      {
        event: (type, data, id, retry) => {
          sink.eventIn(type, data, id, retry)
          this.reference?.ourEvent(type, data, id)
        },
        events: (run) => {
          sink.eventsIn(run)
          // Decoded for the reference only while it compares (it samples a fast stream).
          const reference = this.reference
          if (reference?.comparing) for (let i = 0; i < run.count; i++) reference.ourEvent(run.type(i), run.data(i), run.lastEventId(i))
        },
        comment: (text) => sink.frame({ kind: 'comment', direction: 'in', text }),
        retry: (retryMs) => sink.hint({ retryMs }),
        tooBig: (what, bytes) => this.tooBig(what, bytes),
      },
      { maxBytes: spec.limits.maxMessageBytes, lastEventId: this.startLastEventId ?? '' },
    )
    if (spec.sse.compareWithEventSource) {
      this.reference = new EventSourceReference(
        (finding) => sink.frame({ kind: 'finding', direction: 'system', id: 'eventsource-differs', severity: 'warning', ...finding }),
        this.startLastEventId ?? '',
      )
    }
  }

  start(): void {
    this.sink.state('connecting')
    void this.connect().catch((error: unknown) => {
      if (this.finished) return
      if (!this.announced) this.announce(requestUrl(this.spec))
      if (this.closeRequested) return this.failWith('E_ABORTED', 'closed before the connection opened', 'closed')
      this.failWith(errorCodeOf(error), errorMessageOf(error))
    })
  }

  send(_message: OutgoingMessage): Result<void> {
    return fail('E_NOT_SUPPORTED', 'an event stream only flows from the server; nothing can be sent on it')
  }

  close(): void {
    if (this.finished) return
    this.closeRequested = true
    this.controller.abort()
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
    this.reference?.stop()
    this.release()
  }

  private announce(url: string, proxyUrl?: string): void {
    this.announced = true
    this.sink.frame(connectingFrame(url, this.attempt.number, proxyUrl))
  }

  private async connect(): Promise<void> {
    const { spec, sink } = this
    const { headers, unsendableLastEventId } = sseRequestHeaders(spec, this.startLastEventId)
    let step: RedirectStep = { url: requestUrl(spec), method: spec.method, body: spec.body, headers }
    let origin = ''
    let dispatcher: Dispatcher | undefined
    for (let redirects = 0; ; redirects++) {
      // A redirect to another origin may need another proxy (NO_PROXY) and its own sockets.
      const stepOrigin = new URL(step.url).origin
      if (!dispatcher || stepOrigin !== origin) {
        origin = stepOrigin
        const prepared = await prepareHttpConnection(spec, step.url, this.attempt.net)
        dispatcher = prepared.dispatcher
        this.dispatchers.push(dispatcher)
        if (this.finished) return this.release()
        // The proxy is only known now, so the connecting frame waits for it.
        if (!this.announced) {
          this.announce(step.url, prepared.proxyUrl)
          if (unsendableLastEventId !== undefined) {
            sink.frame({ kind: 'error', direction: 'system', code: 'E_SSE_LAST_EVENT_ID', message: `the last event ID ${JSON.stringify(unsendableLastEventId.slice(0, 200))} has characters that cannot go in a header; connecting without Last-Event-ID` })
          }
        }
        if (this.closeRequested) return this.failWith('E_ABORTED', 'closed before the connection opened', 'closed')
      }
      if (step.body !== undefined) this.bytesOut += Buffer.byteLength(step.body)
      // Silent from the request until the first body byte: a buffering hop may hand the head over only at the cut.
      this.lastByteAt = sink.now()
      const answer = await sendHttpRequest(sink, {
        method: step.method,
        url: step.url,
        headers: step.headers,
        ...(step.body !== undefined ? { body: step.body } : {}),
        dispatcher,
        signal: this.controller.signal,
        bodyTimeoutMs: 0,
      })
      if (this.finished) return void answer.body.destroy()
      const next = followRedirect(answer.status, answer.headers, step)
      if (next === undefined) return this.onAnswer(answer)
      await this.showWithBody(answer)
      if (this.finished) return
      if (typeof next === 'string') return this.failWith('E_SSE_BAD_REDIRECT', next)
      if (redirects + 1 > MAX_REDIRECTS) return this.failWith('E_SSE_TOO_MANY_REDIRECTS', `more than ${MAX_REDIRECTS} redirects in a row`)
      step = next
    }
  }

  private async onAnswer(answer: HttpAnswer): Promise<void> {
    const { sink } = this
    if (answer.status === 204) {
      answer.body.destroy()
      sink.frame(responseFrame(answer))
      // The spec's way for a server to say "no more events": clients stop for good.
      sink.hint({ reconnectable: false })
      this.finished = true
      sink.frame({ kind: 'close', direction: 'system', code: 0, reason: 'the server answered 204 No Content: no more events, and EventSource clients stop reconnecting', wasClean: true, idleMs: 0, bytesIn: 0, bytesOut: this.bytesOut, cause: 'remote-close' })
      this.release()
      return sink.state('closed')
    }
    const eventStream = isEventStreamType(answer.headers)
    if (answer.status !== 200 || !eventStream) {
      await this.showWithBody(answer)
      if (this.finished) return
      this.compareContentType(answer, eventStream)
      sink.hint({ reconnectable: false })
      if (answer.status !== 200) return this.failWith('E_SSE_BAD_STATUS', `the server answered ${answer.status} instead of 200; an EventSource fails the connection and does not reconnect`)
      const type = headerValue(answer.headers, 'content-type')
      return this.failWith('E_SSE_BAD_CONTENT_TYPE', `the Content-Type is ${type === undefined ? 'missing' : JSON.stringify(type)}, not text/event-stream; an EventSource fails the connection and does not reconnect`)
    }
    sink.frame(responseFrame(answer))
    this.compareContentType(answer, eventStream)
    sink.frame({ kind: 'open', direction: 'system', protocol: '' })
    sink.state('open')
    this.read(answer)
  }

  private compareContentType(answer: HttpAnswer, eventStream: boolean): void {
    if (answer.status !== 200 || !this.spec.sse.compareWithEventSource) return
    const finding = contentTypeDifference(headerValue(answer.headers, 'content-type'), eventStream)
    if (finding) this.sink.frame({ kind: 'finding', direction: 'system', id: 'eventsource-differs', severity: 'warning', ...finding })
  }

  /** Read the body as it comes: chunk frames first, then what they complete. */
  private read(answer: HttpAnswer): void {
    const body = (this.body = answer.body)
    const coding = contentCoding(headerValue(answer.headers, 'content-encoding'))
    const ended = (error?: unknown) => (this.closeRequested ? ({ kind: 'aborted', code: 'E_ABORTED', message: 'closed' } as const) : classifyBodyEnd(error))
    if (coding.kind !== 'decode') {
      const declared = notACoding(headerValue(answer.headers, 'content-encoding'))
      if (declared !== undefined) this.sink.frame(notEncodedNotice(declared))
      // A coding not decoded here is judged by the body: plain text is parsed as it came, with a warning.
      let unjudged = coding.kind === 'unsupported' ? coding.coding : undefined
      body.on('data', (chunk: Buffer) => {
        this.bytesIn += chunk.length
        if (unjudged !== undefined && chunk.length > 0) {
          this.sink.frame(unknownCodingFrame(unjudged, looksUnencoded(chunk)))
          unjudged = undefined
        }
        this.onChunk(chunk)
      })
      this.gate.follow(body)
      body.once('end', () => this.finish(ended()))
      body.once('error', (error) => this.finish(ended(error)))
      return
    }
    // Compressed: count the bytes on the wire; show and parse what they decode to.
    let bodyEnd: BodyEnd = { kind: 'end' }
    const decoder = (this.decoder = new BodyDecoder(coding.coding, {
      data: (bytes) => this.onChunk(bytes),
      end: () => this.finish(bodyEnd),
      error: (error) => this.finish({ kind: 'error', code: 'E_SSE_DECODE', message: `the ${coding.coding} body could not be decoded: ${errorMessageOf(error)}` }, 'failed', 'the body could not be decoded'),
    }))
    body.on('data', (chunk: Buffer) => {
      this.bytesIn += chunk.length
      this.lastByteAt = this.sink.now()
      if (!decoder.write(chunk)) {
        body.pause()
        decoder.onDrain(() => this.gate.resume(body))
      }
    })
    this.gate.follow(body)
    body.once('end', () => decoder.end())
    body.once('error', (error) => {
      bodyEnd = ended(error)
      // Whatever arrived before the break is still shown, then the break.
      decoder.flush(() => this.finish(bodyEnd))
    })
  }

  private onChunk(chunk: Buffer): void {
    if (this.finished) return
    const sink = this.sink
    this.lastByteAt = sink.now()
    // Not decoded here: the parser works on bytes, and the chunk frame is decoded if it is shown.
    sink.chunkIn(chunk, undefined)
    // The reference first: then our events find its events waiting and match at once.
    this.reference?.feed(chunk, this.lastByteAt, this.parser.atEventBoundary, this.parser.lastEventId)
    this.parser.feed(chunk)
    this.hintLastEventId()
    if (!this.finished) this.reference?.settle()
  }

  private finish(end: BodyEnd, state: 'closed' | 'failed' = 'closed', why?: string): void {
    if (this.finished) return
    this.finished = true
    this.hintLastEventId()
    this.parser.end()
    const { cause } = END_REASONS[end.kind]
    const reason = why ?? END_REASONS[end.kind].reason
    if (end.kind === 'error' || end.kind === 'timeout') this.sink.frame({ kind: 'error', direction: 'system', code: end.code, message: end.message })
    this.sink.frame({
      kind: 'close',
      direction: 'system',
      code: 0,
      reason: end.kind === 'error' && !why ? `${reason}: ${end.message}` : reason,
      wasClean: end.kind === 'end',
      idleMs: Math.max(0, this.sink.now() - this.lastByteAt),
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      cause,
    })
    this.reference?.end(this.parser.lastEventId)
    this.release()
    this.sink.state(state)
  }

  private hintLastEventId(): void {
    const id = this.parser.lastEventId
    if (id === this.hintedLastEventId) return
    this.hintedLastEventId = id
    this.sink.hint({ lastEventId: id })
  }

  private tooBig(what: 'line' | 'event', bytes: number): void {
    const limit = this.spec.limits.maxMessageBytes
    // Not a transient failure: the same stream would pass the limit again, each time
    // after downloading as much. So no reconnect, and the message says so.
    this.sink.hint({ reconnectable: false })
    this.sink.frame({ kind: 'error', direction: 'system', code: 'E_MESSAGE_TOO_BIG', message: `${what === 'line' ? 'a line' : 'an event'} of more than ${limit} bytes (${bytes} so far) exceeds limits.maxMessageBytes; the connection is closed and not retried (the stream would exceed it again): raise limits.maxMessageBytes to read it` })
    this.reference?.stop()
    this.finish({ kind: 'aborted', code: 'E_MESSAGE_TOO_BIG', message: 'too big' }, 'failed', 'closed here: the stream exceeded limits.maxMessageBytes')
  }

  /** An answer that is not the stream: its body is evidence (an error page, a redirect's note). */
  private async showWithBody(answer: HttpAnswer): Promise<void> {
    const evidence = await readEvidenceBody(answer.body as unknown as IncomingMessage)
    const coding = contentCoding(headerValue(answer.headers, 'content-encoding'))
    if (!this.finished) this.sink.frame(responseFrame(answer, decodedEvidence(evidence, coding, EVIDENCE_BODY_LIMIT)))
  }

  private failWith(code: string, message: string, state: 'failed' | 'closed' = 'failed'): void {
    if (this.finished) return
    this.finished = true
    this.sink.frame({ kind: 'error', direction: 'system', code, message })
    this.reference?.stop()
    this.release()
    this.sink.state(state)
  }

  private release(): void {
    this.controller.abort()
    this.decoder?.destroy()
    this.body?.destroy()
    for (const dispatcher of this.dispatchers.splice(0)) dispatcher.destroy().catch(() => {})
  }
}

