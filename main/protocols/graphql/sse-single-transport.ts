// The transport of graphql-sse's single-connection mode, as one technique attempt:
// a PUT reserves a stream (the answer's body is the token), the event stream is the
// session's SSE technique asked with GET and the token header, and operations go
// out as POSTs with the token (`send` of a text message: its JSON is the body), each
// shown as its request, the operation as an `out` message, and the answer.
// Completing an operation is a DELETE with its id.
import type { IncomingMessage } from 'node:http'
import type { Dispatcher } from 'undici'
import { fail, ok, type ConnectionSpec, type FrameBody, type OutgoingMessage, type Result, type SessionState } from '../../contract/index.js'
import type { TechniqueSink } from '../../frames/sink.js'
import { connectingFrame, prepareHttpConnection } from '../../net/connection-setup.js'
import { errorCodeOf, errorMessageOf } from '../../net/error-codes.js'
import { readEvidenceBody } from '../../net/http-evidence.js'
import { responseFrame, sendHttpRequest, type HttpRequestArgs } from '../../net/http-exchange.js'
import { requestHeaders, requestUrl } from '../../net/request-target.js'
import type { AttemptContext, Technique, TechniqueFactory } from '../../techniques/technique.js'

export const TOKEN_HEADER = 'X-GraphQL-Event-Stream-Token'

export class SseSingleTransport implements Technique {
  private readonly controller = new AbortController()
  private dispatcher: Dispatcher | undefined
  private stream: Technique | undefined
  private token: string | undefined
  private open = false
  private finished = false
  private announced = false
  /** The requests beside the stream go one at a time. */
  private turn: Promise<void> = Promise.resolve()
  /** Back-pressure: the event stream is not read while paused (the requests beside it are small). */
  private paused = false

  constructor(
    private readonly spec: ConnectionSpec,
    private readonly sink: TechniqueSink,
    private readonly attempt: AttemptContext,
    private readonly base: TechniqueFactory,
  ) {}

  start(): void {
    this.sink.state('connecting')
    void this.reserve().catch((error: unknown) => {
      if (!this.announced && !this.finished) this.sink.frame(connectingFrame(requestUrl(this.spec), this.attempt.number))
      this.failWith(errorCodeOf(error), errorMessageOf(error))
    })
  }

  /** A text message is an operation: POSTed with the token. */
  send(message: OutgoingMessage): Result<void> {
    if (message.type !== 'text') return fail('E_NOT_SUPPORTED', 'graphql-sse sends operations (JSON text) only')
    const token = this.token
    if (!this.open || token === undefined) return fail('E_NOT_OPEN', 'the event stream is not open')
    // Recorded now (the protocol marks what it sends by itself as it sends it); the POST follows in turn.
    this.sink.frame({ kind: 'message', direction: 'out', data: message.data, size: Buffer.byteLength(message.data) })
    const headers = requestHeaders(this.spec, { 'Content-Type': 'application/json', Accept: 'application/json', [TOKEN_HEADER]: token })
    this.inTurn('the operation', (dispatcher) => ({ method: 'POST', url: requestUrl(this.spec), headers, body: message.data, dispatcher, signal: this.controller.signal }))
    return ok(undefined)
  }

  /** Stops an operation (DELETE ?operationId=…). */
  complete(id: string): Result<void> {
    const token = this.token
    if (!this.open || token === undefined) return fail('E_NOT_OPEN', 'the event stream is not open')
    const headers = requestHeaders(this.spec, { Accept: 'application/json', [TOKEN_HEADER]: token })
    this.inTurn(`completing operation ${JSON.stringify(id)}`, (dispatcher) => ({ method: 'DELETE', url: requestUrl(this.spec, { operationId: id }), headers, dispatcher, signal: this.controller.signal }))
    return ok(undefined)
  }

  close(code?: number, reason?: string): void {
    if (this.stream) return this.stream.close(code, reason)
    this.failWith('E_ABORTED', 'closed before the connection opened', 'closed')
  }

  pause(): void {
    this.paused = true
    this.stream?.pause?.()
  }

  resume(): void {
    this.paused = false
    this.stream?.resume?.()
  }

  dispose(): void {
    this.finished = true
    this.stream?.dispose()
    this.release()
  }

  private async reserve(): Promise<void> {
    const url = requestUrl(this.spec)
    const prepared = await prepareHttpConnection(this.spec, url, this.attempt.net)
    this.dispatcher = prepared.dispatcher
    if (this.finished) return this.release()
    this.announced = true
    this.sink.frame(connectingFrame(url, this.attempt.number, prepared.proxyUrl))
    const answer = await sendHttpRequest(this.sink, {
      method: 'PUT',
      url,
      headers: requestHeaders(this.spec, { Accept: 'text/plain' }),
      dispatcher: this.dispatcher,
      signal: this.controller.signal,
    })
    const evidence = await readEvidenceBody(answer.body as unknown as IncomingMessage)
    if (this.finished) return
    this.sink.frame(responseFrame(answer, evidence))
    const token = evidence.body?.trim() ?? ''
    if (answer.status !== 201 || token === '') {
      // A refusal (an auth failure, a server without the single-connection mode) would be refused again.
      if (answer.status >= 400 && answer.status < 500) this.sink.hint({ reconnectable: false })
      return this.failWith('E_GRAPHQL_SSE_RESERVATION', `the server answered the reservation (PUT) with ${answer.status} instead of 201 Created and a token: it may not offer graphql-sse's single-connection mode`)
    }
    this.token = token
    const streamSpec: ConnectionSpec = { ...this.spec, method: 'GET', body: undefined, headers: [...this.spec.headers, { name: TOKEN_HEADER, value: token }] }
    this.stream = this.base(streamSpec, this.streamSink(), this.attempt)
    if (this.paused) this.stream.pause?.()
    this.stream.start()
  }

  /** The stream's sink: one `connecting` per attempt (ours, before the PUT), and the open state known here. */
  private streamSink(): TechniqueSink {
    const sink = this.sink
    return {
      ...sink,
      frame: (body: FrameBody) => (body.kind === 'connecting' ? undefined : sink.frame(body)),
      state: (state: SessionState) => {
        if (state === 'connecting') return
        if (state === 'open') this.open = true
        if (state === 'closed' || state === 'failed') {
          this.open = false
          this.finished = true
          this.release()
        }
        sink.state(state)
      },
    }
  }

  /**
   * One request beside the stream, after the one before it was answered: each request
   * is then followed by its own answer (in the frames and for diagnostics, which pair
   * them in order). Anything but 2xx is said in an error frame.
   */
  private inTurn(what: string, args: (dispatcher: Dispatcher) => HttpRequestArgs): void {
    this.turn = this.turn.then(async () => {
      const dispatcher = this.dispatcher
      if (this.finished || !dispatcher) return
      try {
        const answer = await sendHttpRequest(this.sink, args(dispatcher))
        const evidence = await readEvidenceBody(answer.body as unknown as IncomingMessage)
        if (this.finished) return
        this.sink.frame(responseFrame(answer, evidence))
        if (answer.status >= 300) this.sink.frame({ kind: 'error', direction: 'system', code: 'E_GRAPHQL_SSE_REFUSED', message: `the server answered ${what} with ${answer.status}${evidence.body ? `: ${evidence.body.slice(0, 300)}` : ''}` })
      } catch (error) {
        if (!this.finished) this.sink.frame({ kind: 'error', direction: 'system', code: errorCodeOf(error), message: `${what} was not sent: ${errorMessageOf(error)}` })
      }
    })
  }

  private failWith(code: string, message: string, state: 'failed' | 'closed' = 'failed'): void {
    if (this.finished) return
    this.finished = true
    this.sink.frame({ kind: 'error', direction: 'system', code, message })
    this.release()
    this.sink.state(state)
  }

  private release(): void {
    this.controller.abort()
    this.dispatcher?.destroy().catch(() => {})
    this.dispatcher = undefined
  }
}
