// WebSocket, with everything on the wire visible: the handshake request and answer,
// text and binary messages, pings and pongs (also the ones `ws` answers by itself),
// and a close that tells a close frame from a FIN without one and from a reset.
// Through a proxy it always tunnels (CONNECT or SOCKS5); a proxy's refusal is shown
// as the proxy's answer, not the origin's.
import type { Agent, ClientRequest, IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import WebSocket from 'ws'
import { describeCloseCode, fail, ok, type CloseCause, type ConnectionSpec, type OutgoingMessage, type Result } from '../contract/index.js'
import type { TechniqueSink } from '../frames/sink.js'
import { connectingFrame, prepareConnection, type PreparedConnection } from '../net/connection-setup.js'
import { errorCodeOf, errorMessageOf } from '../net/error-codes.js'
import { headersFromOutgoing, headersFromRaw, readEvidenceBody } from '../net/http-evidence.js'
import { proxyResponseFrameOf } from '../net/proxy-errors.js'
import { requestHeaders, requestUrl } from '../net/request-target.js'
import { createWebSocketAgent } from '../net/websocket-agent.js'
import type { AttemptContext, Technique } from './technique.js'

/** Messages handled before giving the event loop a turn (about 1-3 ms of work). */
const MESSAGES_PER_TURN = 2048

export function createWebSocketTechnique(spec: ConnectionSpec, sink: TechniqueSink, attempt: AttemptContext): Technique {
  return new WebSocketTechnique(spec, sink, attempt)
}

class WebSocketTechnique implements Technique {
  private ws: WebSocket | undefined
  private agent: Agent | undefined
  private socket: Socket | undefined
  private startedAt = 0
  private lastByteAt = 0
  private opened = false
  private closeRequested = false
  private handshakeRefused = false
  private timedOut = false
  private socketEnded = false
  private socketReset = false
  private finished = false
  private protocolError: { code: number; reason: string } | undefined
  private messagesThisTurn = 0
  /** Paused for back-pressure (the recording's disk is behind). */
  private held = false
  /** Paused until the next turn of the event loop. */
  private yielding = false

  constructor(
    private readonly spec: ConnectionSpec,
    private readonly sink: TechniqueSink,
    private readonly attempt: AttemptContext,
  ) {}

  start(): void {
    this.startedAt = this.sink.now()
    this.sink.state('connecting')
    void this.connect()
  }

  /** Resolve the proxy and read the TLS files, then open the WebSocket. */
  private async connect(): Promise<void> {
    const { sink, spec } = this
    const url = requestUrl(spec)
    let prepared: PreparedConnection
    try {
      prepared = await prepareConnection(spec, url, this.attempt.net)
    } catch (error) {
      if (this.finished) return
      sink.frame(connectingFrame(url, this.attempt.number))
      this.failWith(errorCodeOf(error), errorMessageOf(error))
      return
    }
    if (this.finished) return
    const { proxyUrl, tls } = prepared
    sink.frame(connectingFrame(url, this.attempt.number, proxyUrl))
    if (this.closeRequested) {
      this.failWith('E_ABORTED', 'closed before the connection opened', 'closed')
      return
    }
    let ws: WebSocket
    try {
      this.agent = createWebSocketAgent(proxyUrl, url, tls, spec.websocket.handshakeTimeoutMs)
      ws = new WebSocket(url, spec.websocket.subprotocols, {
        headers: requestHeaders(spec),
        perMessageDeflate: spec.websocket.perMessageDeflate,
        maxPayload: spec.websocket.maxPayload,
        handshakeTimeout: spec.websocket.handshakeTimeoutMs,
        followRedirects: false,
        ...tls,
        ...(this.agent ? { agent: this.agent } : {}),
        // The request frame shows exactly what goes out, including the headers `ws` adds.
        finishRequest: (request: ClientRequest) => {
          sink.frame({ kind: 'request', direction: 'out', method: request.method, url, headers: headersFromOutgoing(request.getHeaders()) })
          request.end()
        },
      })
    } catch (error) {
      this.failWith(errorCodeOf(error), errorMessageOf(error))
      return
    }
    this.ws = ws
    ws.on('upgrade', (res) => this.onUpgrade(res))
    ws.on('unexpected-response', (_req, res) => void this.onRefused(res))
    ws.on('open', () => this.onOpen())
    // The silence before a close counts from the last message, ping or pong: never
    // from the close frame's own bytes.
    ws.on('message', (data: Buffer, isBinary) => {
      this.lastByteAt = sink.now()
      sink.messageIn(data, isBinary)
      if (++this.messagesThisTurn === MESSAGES_PER_TURN) this.yieldToEventLoop(ws)
    })
    ws.on('ping', (data) => {
      this.lastByteAt = sink.now()
      sink.frame({ kind: 'ping', direction: 'in', data: data.toString('utf8') })
      // `ws` answers every ping by itself; show that answer too.
      sink.frame({ kind: 'pong', direction: 'out', data: data.toString('utf8') })
    })
    ws.on('pong', (data) => {
      this.lastByteAt = sink.now()
      sink.frame({ kind: 'pong', direction: 'in', data: data.toString('utf8') })
    })
    ws.on('error', (error) => this.onError(error))
    ws.on('close', (code, reason) => this.onClose(code, reason.toString('utf8')))
  }

  send(message: OutgoingMessage): Result<void> {
    const ws = this.ws
    if (message.type === 'close') {
      this.close(message.code, message.reason)
      return ok(undefined)
    }
    if (!ws || ws.readyState !== WebSocket.OPEN) return fail('E_NOT_OPEN', 'the WebSocket is not open')
    if (message.type === 'text') {
      ws.send(message.data, { binary: false })
      this.sink.frame({ kind: 'message', direction: 'out', data: message.data, size: Buffer.byteLength(message.data) })
    } else if (message.type === 'binary') {
      const bytes = Buffer.from(message.base64, 'base64')
      ws.send(bytes, { binary: true })
      this.sink.frame({ kind: 'message', direction: 'out', dataBase64: message.base64, binary: true, size: bytes.length })
    } else if (message.type === 'ping') {
      ws.ping(message.data)
      this.sink.frame({ kind: 'ping', direction: 'out', data: message.data })
    } else {
      return fail('E_PROTOCOL_NONE', `"${message.type}" needs a protocol that speaks it (choose Socket.IO or GraphQL)`)
    }
    return ok(undefined)
  }

  close(code?: number, reason?: string): void {
    const ws = this.ws
    if (this.finished) return
    this.closeRequested = true
    // Still resolving the proxy or reading TLS files: connect() stops when that is done.
    if (!ws) return
    if (ws.readyState === WebSocket.CONNECTING) {
      ws.terminate()
      return
    }
    this.sink.state('closing')
    ws.close(code ?? 1000, reason ?? '')
  }

  /** Stops reading the socket: `ws` stops its 'data', the kernel's buffers fill, TCP slows the server. */
  pause(): void {
    this.held = true
    // While connecting `ws` cannot pause; onOpen does.
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.pause()
  }

  resume(): void {
    this.held = false
    if (!this.yielding && this.ws?.readyState === WebSocket.OPEN) this.ws.resume()
  }

  dispose(): void {
    this.finished = true
    this.agent?.destroy()
    const ws = this.ws
    if (!ws) return
    ws.removeAllListeners()
    // A late error from the dying socket must not crash the process.
    ws.on('error', () => {})
    ws.terminate()
  }

  /**
   * On a fast stream the socket delivers chunk after chunk without returning to the
   * event loop (a bare `ws` client stalls it for 100+ ms here). Pausing after a budget
   * of messages and resuming on the next turn keeps timers, the UI bridge and the
   * user's own input responsive; the kernel buffers meanwhile.
   */
  private yieldToEventLoop(ws: WebSocket): void {
    ws.pause()
    this.yielding = true
    setImmediate(() => {
      this.messagesThisTurn = 0
      this.yielding = false
      if (!this.finished && !this.held) ws.resume()
    })
  }

  private onUpgrade(res: IncomingMessage): void {
    this.socket = res.socket as Socket
    this.lastByteAt = this.sink.now()
    this.sink.frame(responseFrame(res, this.sink.now() - this.startedAt))
  }

  private onOpen(): void {
    this.opened = true
    const ws = this.ws!
    if (this.held) ws.pause()
    // Watch the socket itself: only it can tell a FIN from a real RST.
    const socket = this.socket
    if (socket) {
      socket.once('end', () => (this.socketEnded = true))
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNRESET' || error.code === 'EPIPE') this.socketReset = true
      })
    }
    this.sink.frame({ kind: 'open', direction: 'system', protocol: ws.protocol, extensions: ws.extensions })
    this.sink.state('open')
  }

  /** A non-101 answer is evidence (a proxy's page, an auth failure): keep all of it. */
  private async onRefused(res: IncomingMessage): Promise<void> {
    this.handshakeRefused = true
    const durationMs = this.sink.now() - this.startedAt
    const body = await readEvidenceBody(res)
    if (this.finished) return
    this.sink.frame({ ...responseFrame(res, durationMs), ...body })
    this.failWith('E_HANDSHAKE', `the server answered ${res.statusCode} ${res.statusMessage ?? ''}`.trim() + ' instead of 101 Switching Protocols')
    this.ws?.terminate()
  }

  private onError(error: Error): void {
    if (this.finished || this.handshakeRefused) return
    if (!this.opened) {
      // A proxy that refused the tunnel answered itself: its answer is evidence, marked as the proxy's.
      const proxyAnswer = proxyResponseFrameOf(error)
      if (proxyAnswer) this.sink.frame(proxyAnswer)
      if (/timed out/i.test(error.message)) this.timedOut = true
      if (this.closeRequested) this.failWith('E_ABORTED', 'closed before the connection opened', 'closed')
      else this.failWith(this.timedOut ? 'E_TIMEOUT' : handshakeCode(error), errorMessageOf(error))
      return
    }
    this.sink.frame({ kind: 'error', direction: 'system', code: errorCodeOf(error), message: errorMessageOf(error) })
    this.protocolError = protocolErrorClose(error)
  }

  private onClose(code: number, reason: string): void {
    if (this.finished || !this.opened) return
    this.finished = true
    // After a protocol error `ws` sends the close frame itself and stops reading, so
    // it reports 1006; the code that went on the wire is the one worth showing.
    if (this.protocolError && code === 1006) {
      code = this.protocolError.code
      reason = this.protocolError.reason
      this.closeRequested = true
    }
    const cause = this.closeCause(code)
    const socket = this.socket
    this.sink.frame({
      kind: 'close',
      direction: 'system',
      code,
      reason,
      meaning: describeCloseCode(code),
      wasClean: code !== 1006,
      idleMs: Math.max(0, this.sink.now() - this.lastByteAt),
      bytesIn: socket?.bytesRead ?? 0,
      bytesOut: socket?.bytesWritten ?? 0,
      cause,
    })
    this.sink.state('closed')
  }

  private closeCause(code: number): CloseCause {
    if (this.socketReset) return 'reset'
    if (this.closeRequested) return 'local'
    if (code !== 1006) return 'remote-close'
    if (this.timedOut) return 'timeout'
    return this.socketEnded ? 'fin' : 'reset'
  }

  private failWith(code: string, message: string, finalState: 'failed' | 'closed' = 'failed'): void {
    if (this.finished) return
    this.finished = true
    this.sink.frame({ kind: 'error', direction: 'system', code, message })
    this.sink.state(finalState)
  }
}

/** The close code `ws` sends when it gives up on what the peer sent. */
function protocolErrorClose(error: Error): { code: number; reason: string } | undefined {
  const code = (error as NodeJS.ErrnoException).code
  if (!code?.startsWith('WS_ERR_')) return undefined
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return { code: 1009, reason: error.message }
  if (code === 'WS_ERR_INVALID_UTF8') return { code: 1007, reason: error.message }
  return { code: 1002, reason: error.message }
}

function handshakeCode(error: Error): string {
  const code = errorCodeOf(error)
  // `ws` reports a bad answer to the handshake (wrong accept key, unasked
  // subprotocol) as a plain Error without a code.
  return code === 'E_NETWORK' ? 'E_HANDSHAKE' : code
}

function responseFrame(res: IncomingMessage, durationMs: number) {
  return {
    kind: 'response' as const,
    direction: 'in' as const,
    status: res.statusCode ?? 0,
    statusText: res.statusMessage ?? '',
    headers: headersFromRaw(res.rawHeaders),
    httpVersion: res.httpVersion,
    durationMs,
  }
}
