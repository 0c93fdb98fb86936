// The streaming technique against small servers written here for what the
// playground does not send: bytes that are not UTF-8, other content codings, a
// body ended by closing the connection, a redirect.
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { brotliCompressSync, deflateRawSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectionSpecInput } from '../../main/contract/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession, type Harness } from '../helpers/session-harness.js'

let server: Server | undefined
let manager: SessionManager | undefined
afterEach(async () => {
  manager?.dispose()
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
  server = undefined
})

async function serve(handler: (res: ServerResponse) => void, spec: Partial<ConnectionSpecInput> = {}): Promise<Harness> {
  server = createServer((_req, res) => handler(res))
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  manager = new SessionManager()
  return openSession(manager, { technique: 'streaming', url: `http://127.0.0.1:${port}/`, ...spec })
}

describe('HTTP streaming against hand-written servers', () => {
  it('shows bytes that are not UTF-8 as base64, in chunks and in messages', async () => {
    const h = await serve((res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' })
      res.end(Buffer.from([0xff, 0xfe, 0x0a, 0x6f, 0x6b, 0x0a]))
    })
    await h.waitFor('close')
    expect(h.ofKind('chunk')[0]).toMatchObject({ binary: true, dataBase64: Buffer.from([0xff, 0xfe, 0x0a, 0x6f, 0x6b, 0x0a]).toString('base64') })
    expect(h.ofKind('message').map((m) => m.data ?? `base64:${m.dataBase64}`)).toEqual([`base64:${Buffer.from([0xff, 0xfe]).toString('base64')}`, 'ok'])
  })

  it('checks a message put together from chunks even when its last chunk is valid UTF-8', async () => {
    const h = await serve((res) => {
      res.writeHead(200)
      res.write(Buffer.from([0xff]))
      setTimeout(() => res.end('a\nok\n'), 30)
    })
    await h.waitFor('close')
    expect(h.ofKind('chunk').map((c) => c.binary ?? false)).toEqual([true, false])
    expect(h.ofKind('message').map((m) => m.data ?? `base64:${m.dataBase64}`)).toEqual([`base64:${Buffer.from([0xff, 0x61]).toString('base64')}`, 'ok'])
  })

  it('checks each message again when the delimiter is not ASCII', async () => {
    // 0xa9 is a continuation byte: cutting "é" (c3 a9) there leaves broken halves.
    const h = await serve((res) => res.end(Buffer.from('aé|b', 'utf8')), { streaming: { framing: 'delimiter', delimiter: '\\xa9' } })
    await h.waitFor('close')
    expect(h.ofKind('message')[0]).toMatchObject({ binary: true, dataBase64: Buffer.from([0x61, 0xc3]).toString('base64') })
  })

  it.each([
    ['deflate (raw)', 'deflate', (text: string) => deflateRawSync(text)],
    ['br', 'br', (text: string) => brotliCompressSync(text)],
  ])('decodes %s', async (_name, coding, encode) => {
    const h = await serve((res) => {
      res.writeHead(200, { 'Content-Encoding': coding })
      res.end(encode('{"a":1}\n{"b":2}\n'))
    })
    await h.waitFor('close')
    expect(h.ofKind('message').map((m) => m.data)).toEqual(['{"a":1}', '{"b":2}'])
  })

  it('shows a body it cannot decode as it came, and says so', async () => {
    const h = await serve((res) => {
      res.writeHead(200, { 'Content-Encoding': 'zstd' })
      res.end('{"a":1}\n')
    })
    await h.waitFor('close')
    expect(h.ofKind('error').map((e) => e.code)).toEqual(['E_STREAM_ENCODING'])
    expect(h.ofKind('message').map((m) => m.data)).toEqual(['{"a":1}'])
  })

  it('fails on a body that does not decode as its coding says', async () => {
    const h = await serve((res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' })
      res.end('this is not gzip\n')
    })
    const close = await h.waitFor('close')
    expect(h.ofKind('error').map((e) => e.code)).toEqual(['E_CONTENT_DECODING'])
    expect(close).toMatchObject({ cause: 'local', wasClean: false })
    await expect(h.session.ended).resolves.toBe('failed')
  })

  it('takes a body without length or chunks, ended by closing the connection, as complete', async () => {
    const h = await serve((res) => {
      // HTTP/1.0 style: the end of the connection is the end of the body.
      res.socket!.end('HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nConnection: close\r\n\r\n{"a":1}\n')
    })
    const close = await h.waitFor('close')
    expect(close).toMatchObject({ cause: 'remote-close', wasClean: true })
    expect(h.ofKind('message').map((m) => m.data)).toEqual(['{"a":1}'])
  })

  it('does not follow a redirect, but says where it points', async () => {
    const h = await serve((res) => {
      res.writeHead(302, { Location: '/elsewhere' })
      res.end('moved')
    })
    const response = await h.waitFor('response')
    expect(response).toMatchObject({ status: 302, body: 'moved' })
    expect((await h.waitFor('error')).message).toContain('302 Found to /elsewhere')
    await expect(h.session.ended).resolves.toBe('failed')
  })

  it('sends the spec\'s method, body, headers and auth, offering compression like a browser', async () => {
    let seen: { method?: string; headers?: Record<string, unknown>; body?: string } = {}
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString()))
      req.on('end', () => {
        seen = { method: req.method, headers: req.headers, body }
        res.end()
      })
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    manager = new SessionManager()
    const h = openSession(manager, {
      technique: 'streaming',
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`,
      method: 'POST',
      body: '{"subscribe":"x"}',
      headers: [{ name: 'X-Test', value: '1' }],
      query: [{ name: 'q', value: 'v' }],
      auth: { type: 'bearer', token: 't0k' },
    })
    const close = await h.waitFor('close')
    expect(seen).toMatchObject({ method: 'POST', body: '{"subscribe":"x"}', headers: { 'x-test': '1', authorization: 'Bearer t0k', 'accept-encoding': 'gzip, deflate, br' } })
    expect(h.ofKind('request')[0]!.url).toContain('/feed?q=v')
    expect(close.bytesOut).toBe(17)
  })
})
