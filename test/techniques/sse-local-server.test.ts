// The SSE technique against small hand-written servers, for what the playground
// does not do: other methods with a body, redirects that change the method, and a
// session that goes away mid-stream.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { brotliCompressSync, deflateRawSync, gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'

let server: Server | undefined
let manager: SessionManager | undefined
afterEach(async () => {
  manager?.dispose()
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => handler(req, res, body))
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const stream = (res: ServerResponse, text: string, end = true) => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' })
  if (end) res.end(text)
  else res.write(text)
}

describe('SSE against hand-written servers', () => {
  it('sends another method with its body', async () => {
    const base = await serve((req, res, body) => stream(res, `data: ${req.method} ${req.headers['content-type'] ?? '-'} ${body}\n\n`))
    manager = new SessionManager()
    const h = openSession(manager, {
      technique: 'sse',
      url: `${base}/events`,
      method: 'POST',
      body: '{"topic":"a"}',
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      reconnect: { enabled: false },
    })
    await h.session.ended
    expect(h.ofKind('request')[0]).toMatchObject({ method: 'POST' })
    expect(h.ofKind('event').map((e) => e.data)).toEqual(['POST application/json {"topic":"a"}'])
    expect(h.ofKind('close')[0]!.bytesOut).toBe(13)
  })

  it('turns a POST into a GET without its body on 303, as fetch does', async () => {
    const base = await serve((req, res, body) => {
      if (req.url === '/start') {
        res.writeHead(303, { Location: '/events' })
        return res.end()
      }
      stream(res, `data: ${req.method} ${req.headers['content-type'] ?? '-'} [${body}]\n\n`)
    })
    manager = new SessionManager()
    const h = openSession(manager, { technique: 'sse', url: `${base}/start`, method: 'POST', body: 'x=1', headers: [{ name: 'Content-Type', value: 'text/plain' }], reconnect: { enabled: false } })
    await h.session.ended
    expect(h.ofKind('request').map((r) => r.method)).toEqual(['POST', 'GET'])
    expect(h.ofKind('event').map((e) => e.data)).toEqual(['GET - []'])
  })

  it('keeps the method on 307, and drops credentials on a redirect to another origin', async () => {
    const other = await serve((req, res, body) => stream(res, `data: ${req.method} ${req.headers.authorization ?? 'none'} ${body}\n\n`))
    const otherServer = server!
    const seenAuth: (string | undefined)[] = []
    const first = createServer((req, res) => {
      seenAuth.push(req.headers.authorization)
      res.writeHead(307, { Location: other.replace('127.0.0.1', 'localhost') + '/events' })
      res.end()
    })
    await new Promise<void>((resolve) => first.listen(0, '127.0.0.1', resolve))
    try {
      manager = new SessionManager()
      const h = openSession(manager, {
        technique: 'sse',
        url: `http://127.0.0.1:${(first.address() as AddressInfo).port}/`,
        method: 'PUT',
        body: 'b',
        auth: { type: 'bearer', token: 'secret' },
        reconnect: { enabled: false },
      })
      await h.session.ended
      expect(seenAuth).toEqual(['Bearer secret'])
      expect(h.ofKind('event').map((e) => e.data)).toEqual(['PUT none b'])
    } finally {
      first.closeAllConnections()
      await new Promise((resolve) => first.close(resolve))
      server = otherServer
    }
  })

  it.each([
    ['br', brotliCompressSync],
    ['deflate', deflateRawSync],
  ] as const)('decodes a %s stream (raw deflate too, as browsers do)', async (coding, compress) => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Content-Encoding': coding })
      res.end(compress(Buffer.from('id: 1\ndata: packed\n\n')))
    })
    manager = new SessionManager()
    const h = openSession(manager, { technique: 'sse', url: `${base}/`, reconnect: { enabled: false } })
    await h.session.ended
    expect(h.ofKind('event').map((e) => [e.id, e.data])).toEqual([['1', 'packed']])
    expect(h.ofKind('close')[0]).toMatchObject({ cause: 'remote-close' })
  })

  it('shows a compressed error page decoded', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html', 'Content-Encoding': 'gzip' })
      res.end(gzipSync('<h1>Bad Gateway</h1>'))
    })
    manager = new SessionManager()
    const h = openSession(manager, { technique: 'sse', url: `${base}/`, reconnect: { enabled: false } })
    await expect(h.session.ended).resolves.toBe('failed')
    expect(h.ofKind('response')[0]).toMatchObject({ status: 502, body: '<h1>Bad Gateway</h1>' })
  })

  it('fails, keeping what came, when a compressed stream is corrupt', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Content-Encoding': 'gzip' })
      const good = gzipSync('data: fine\n\n')
      res.end(Buffer.concat([good.subarray(0, 10), Buffer.from('not gzip at all')]))
    })
    manager = new SessionManager()
    const h = openSession(manager, { technique: 'sse', url: `${base}/`, reconnect: { enabled: false } })
    await expect(h.session.ended).resolves.toBe('failed')
    expect(h.ofKind('error')[0]).toMatchObject({ code: 'E_SSE_DECODE' })
  })

  it('releases the connection at once when the session is disposed mid-stream', async () => {
    let socket: Socket | undefined
    const closed = new Promise<void>((resolve) => {
      void serve((req, res) => {
        socket = req.socket
        req.socket.once('close', () => resolve())
        stream(res, 'data: first\n\n', false)
      }).then((base) => {
        manager = new SessionManager()
        const h = openSession(manager, { technique: 'sse', url: `${base}/`, reconnect: { enabled: false } })
        void h.waitFor('event').then(() => manager!.dispose())
      })
    })
    await closed
    expect(socket?.destroyed).toBe(true)
  })
})
