// A mock server from a recording (`rti mock`, and the app's button): serves the
// server's side of the recording for its technique on 127.0.0.1 by default. Any
// path is answered (the URL printed uses the recorded one); each new connection
// starts the replay from the beginning (SSE: after its Last-Event-ID). Pages on
// loopback origins may use it, others only when named (mock-access.ts).
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { RecordingHeader, TechniqueName } from '../contract/index.js'
import type { RecordingProblem } from '../recording/read-recording.js'
import { createMockAccess } from './mock-access.js'
import { answerPreflight } from './mock-http.js'
import { createPollingMock } from './mock-polling.js'
import { loadMockRecording } from './mock-script.js'
import { createSseMock, type HttpMock } from './mock-sse.js'
import { createStreamingMock } from './mock-streaming.js'
import { createWebSocketMock, type WebSocketMock } from './mock-websocket.js'

export { MockError, MAX_MOCK_BYTES, MAX_MOCK_STEPS } from './mock-script.js'

export const MIN_SPEED = 0.01
export const MAX_SPEED = 1000

export interface MockServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number
  host?: string
  /** 2 replays twice as fast. */
  speed?: number
  /** WebSocket: each server message waits for the client message recorded before it. */
  afterClientMessage?: boolean
  /** Origins (`scheme://host[:port]`, or `null`) of pages allowed besides loopback ones. */
  allowOrigins?: readonly string[]
}

export interface MockServer {
  /** Where to connect: the mock's address with the recorded path and query. */
  url: string
  technique: TechniqueName
  header: RecordingHeader
  /** Lines of the recording that could not be read (the rest is served). */
  problems: RecordingProblem[]
  /** Origins allowed besides loopback ones, normalised. */
  allowOrigins: readonly string[]
  close(): Promise<void>
}

export async function startMockServer(recordingPath: string, options: MockServerOptions = {}): Promise<MockServer> {
  const speed = options.speed ?? 1
  if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) throw new RangeError(`speed must be from ${MIN_SPEED} to ${MAX_SPEED}`)
  const host = options.host ?? '127.0.0.1'
  const access = createMockAccess(host, options.allowOrigins)
  const recording = await loadMockRecording(recordingPath)
  const playback = { speed, afterClientMessage: options.afterClientMessage === true }
  const { script } = recording

  let http: HttpMock | undefined
  let ws: WebSocketMock | undefined
  if (script.kind === 'exchanges') http = createPollingMock(script, playback)
  else if (script.technique === 'websocket') ws = createWebSocketMock(script, playback)
  else if (script.technique === 'sse') http = createSseMock(script, playback)
  else http = createStreamingMock(script, playback)

  const sockets = new Set<Socket>()
  const server: Server = createServer((req, res) => {
    // Refused before anything is served: a polling mock's answers are used up by
    // whoever asks, so a foreign page must not even take its turn.
    if (!access.hostAllowed(req)) return refuse(res, 'unexpected Host header: connect to the address the mock printed')
    if (!access.originAllowed(req)) return refuse(res, `pages from ${req.headers.origin} may not use this mock: allow that origin (--allow-origin) to let them`)
    for (const [name, value] of Object.entries(access.corsHeaders(req))) res.setHeader(name, value!)
    if (answerPreflight(req, res)) return
    if (http) return http.handle(req, res)
    res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' })
    res.end('This mock serves a WebSocket recording: connect with a WebSocket client.\n')
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('upgrade', (req, socket: Socket, head) => {
    if (!access.hostAllowed(req) || !access.originAllowed(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
      return
    }
    if (ws) return ws.upgrade(req, socket, head)
    socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })

  const { port } = server.address() as AddressInfo
  const recorded = safeUrl(recording.header.spec.url)
  const scheme = recording.technique === 'websocket' ? 'ws' : 'http'
  const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
  const url = `${scheme}://${authority}${recorded ? recorded.pathname + recorded.search : '/'}`

  let closing: Promise<void> | undefined
  return {
    url,
    technique: recording.technique,
    header: recording.header,
    problems: recording.problems,
    allowOrigins: access.allowOrigins,
    close() {
      closing ??= new Promise<void>((resolve) => {
        http?.close()
        ws?.close()
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
      return closing
    },
  }
}

function refuse(res: ServerResponse, text: string): void {
  res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end(text + '\n')
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}
