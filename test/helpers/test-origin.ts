// A small origin server for the proxy and TLS tests (plain or TLS): a WebSocket
// echo on every path, a few HTTP routes, and a record of what reached it, so a
// test can tell what the origin saw from what a proxy answered.
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer, type ServerOptions } from 'node:https'
import type { TLSSocket } from 'node:tls'
import { WebSocketServer } from 'ws'

export interface SeenRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  /** The client certificate's CN, when a TLS client presented one. */
  clientCertCN?: string
}

export interface TestOrigin {
  readonly port: number
  url(path: string, scheme?: 'http' | 'ws'): string
  /** WebSocket handshakes that reached the origin. */
  readonly upgrades: SeenRequest[]
  /** Plain HTTP requests that reached the origin. */
  readonly requests: SeenRequest[]
  close(): Promise<void>
}

export async function startOrigin(tls?: ServerOptions): Promise<TestOrigin> {
  const upgrades: SeenRequest[] = []
  const requests: SeenRequest[] = []
  const server: Server = tls ? createHttpsServer(tls, (req, res) => route(req, res)) : createHttpServer((req, res) => route(req, res))
  const seen = (req: IncomingMessage): SeenRequest => {
    const cert = (req.socket as TLSSocket).getPeerCertificate?.()
    return { method: req.method ?? '', url: req.url ?? '', headers: req.headers, ...(cert?.subject?.CN ? { clientCertCN: String(cert.subject.CN) } : {}) }
  }
  const route = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(seen(req))
    const path = new URL(req.url ?? '/', 'http://origin').pathname
    if (path === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
      res.write('retry: 60000\n\n')
      res.write('id: 1\ndata: one\n\n')
      setTimeout(() => res.end('id: 2\ndata: two\n\n'), 20)
      return
    }
    if (path === '/ndjson') {
      res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' })
      res.write('{"n":1}\n')
      setTimeout(() => res.end('{"n":2}\n'), 20)
      return
    }
    if (path === '/poll') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      setTimeout(() => res.end(JSON.stringify({ messages: ['polled'] })), 20)
      return
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' })
    res.end('hello from the origin')
  }
  const wss = new WebSocketServer({ server })
  wss.on('connection', (socket, req) => {
    upgrades.push(seen(req))
    socket.on('message', (data, binary) => socket.send(data, { binary }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  const secure = Boolean(tls)
  return {
    port,
    url: (path, scheme = 'http') => `${scheme}${secure ? 's' : ''}://127.0.0.1:${port}${path}`,
    upgrades,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
