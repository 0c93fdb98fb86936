// A running mock is not open to every web page: its WebSocket and its HTTP answers
// refuse a foreign Host (DNS rebinding) and a foreign Origin, let pages on loopback
// origins in, answer CORS with the caller's own origin (never `*`), and serve the
// origins the user names with `rti mock --allow-origin` or the API's allowOrigins.
import { request } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Frame } from '../../main/contract/index.js'
import { createEngine, type Engine } from '../../main/engine.js'
import { normaliseOrigin } from '../../main/replay/mock-access.js'
import { startMockServer, type MockServer } from '../../main/replay/mock-server.js'
import { linesOf, runRti, spawnRti, waitForOutput } from '../cli/run-rti.js'
import { writeRecording } from './recorded-session.js'

const T = 1_700_000_000_000
const wsFrames: Frame[] = [
  { seq: 1, time: T, direction: 'system', kind: 'connecting', url: 'ws://127.0.0.1:1/chat', attempt: 1 },
  { seq: 2, time: T + 5, direction: 'system', kind: 'open', protocol: '' },
  { seq: 3, time: T + 10, direction: 'in', kind: 'message', data: 'secret', size: 6 },
  { seq: 4, time: T + 20, direction: 'system', kind: 'close', code: 1000, reason: 'bye', wasClean: true, idleMs: 10, bytesIn: 6, bytesOut: 0, cause: 'remote-close' },
]
const pollFrames: Frame[] = [
  { seq: 1, time: T, direction: 'system', kind: 'connecting', url: 'http://127.0.0.1:1/poll', attempt: 1 },
  { seq: 2, time: T + 1, direction: 'out', kind: 'request', method: 'GET', url: 'http://127.0.0.1:1/poll', headers: {} },
  { seq: 3, time: T + 5, direction: 'in', kind: 'response', status: 200, headers: { 'content-type': 'text/plain', 'access-control-allow-origin': '*' }, httpVersion: '1.1', durationMs: 4, body: 'first' },
  { seq: 4, time: T + 10, direction: 'out', kind: 'request', method: 'GET', url: 'http://127.0.0.1:1/poll', headers: {} },
  { seq: 5, time: T + 15, direction: 'in', kind: 'response', status: 200, headers: { 'content-type': 'text/plain' }, httpVersion: '1.1', durationMs: 5, body: 'second' },
]

let dir: string
let wsRecording: string
let pollRecording: string
const mocks: MockServer[] = []
const mock = async (path: string, options: Parameters<typeof startMockServer>[1] = {}) => {
  const server = await startMockServer(path, options)
  mocks.push(server)
  return server
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-mock-access-'))
  wsRecording = join(dir, 'chat.rti.jsonl')
  pollRecording = join(dir, 'poll.rti.jsonl')
  await writeRecording(wsRecording, { technique: 'websocket', url: 'ws://127.0.0.1:1/chat' }, wsFrames)
  await writeRecording(pollRecording, { technique: 'polling', url: 'http://127.0.0.1:1/poll' }, pollFrames)
})
afterAll(async () => {
  await Promise.all(mocks.map((m) => m.close()))
  await rm(dir, { recursive: true, force: true })
})

/** The handshake's outcome: 101 and the first message, or the refusal's status. */
function handshake(url: string, headers: Record<string, string> = {}): Promise<{ status: number; message?: string }> {
  return new Promise((resolve, reject) => {
    const { origin, ...rest } = headers
    const ws = new WebSocket(url, { headers: rest, ...(origin ? { origin } : {}) })
    ws.once('message', (data) => {
      resolve({ status: 101, message: data.toString() })
      ws.terminate()
    })
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 })
      res.resume()
      ws.terminate()
    })
    ws.once('error', reject)
  })
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('WebSocket mock', () => {
  it('serves clients without an Origin and pages on loopback origins', async () => {
    const server = await mock(wsRecording)
    expect(await handshake(server.url)).toEqual({ status: 101, message: 'secret' })
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'http://[::1]:8080', 'https://app.localhost'])
      expect(await handshake(server.url, { origin }), origin).toEqual({ status: 101, message: 'secret' })
  })

  it('refuses a foreign page, an opaque (null) origin and a rebound Host name', async () => {
    const server = await mock(wsRecording)
    const port = new URL(server.url).port
    expect(await handshake(server.url, { origin: 'http://evil.example' })).toEqual({ status: 403 })
    expect(await handshake(server.url, { origin: 'null' })).toEqual({ status: 403 })
    // A page on rebind.example whose name now resolves to 127.0.0.1: same origin for the browser, foreign Host here.
    expect(await handshake(server.url, { host: `rebind.example:${port}`, origin: `http://rebind.example:${port}` })).toEqual({ status: 403 })
    expect(await handshake(server.url, { host: `rebind.example:${port}` })).toEqual({ status: 403 })
    expect(await handshake(server.url, { host: `localhost:${port}` })).toEqual({ status: 101, message: 'secret' })
  })

  it('serves the origins the user named, and still no other', async () => {
    const server = await mock(wsRecording, { allowOrigins: ['https://App.Example.com:443/', 'null'] })
    expect(server.allowOrigins).toEqual(['https://app.example.com', 'null'])
    expect(await handshake(server.url, { origin: 'https://app.example.com' })).toEqual({ status: 101, message: 'secret' })
    expect(await handshake(server.url, { origin: 'null' })).toEqual({ status: 101, message: 'secret' })
    expect(await handshake(server.url, { origin: 'https://other.example.com' })).toEqual({ status: 403 })
  })
})

describe('HTTP mock', () => {
  it('answers CORS with the caller\'s loopback origin, never *, even when the recording said *', async () => {
    const server = await mock(pollRecording)
    const answer = await get(server.url, { origin: 'http://localhost:5173' })
    expect(answer.body).toBe('first')
    expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:5173')
    expect(answer.headers.vary).toMatch(/Origin/)
    const plain = await get(server.url)
    expect(plain.body).toBe('second')
    expect(plain.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('refuses a foreign page without using up a recorded answer, and a rebound Host', async () => {
    const server = await mock(pollRecording)
    const port = new URL(server.url).port
    const foreign = await get(server.url, { origin: 'http://evil.example' })
    expect(foreign.status).toBe(403)
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined()
    expect(foreign.body).not.toContain('first')
    const rebound = await get(server.url, { host: `rebind.example:${port}` })
    expect(rebound.status).toBe(403)
    expect(rebound.body).not.toContain('first')
    expect((await get(server.url, { origin: 'http://127.0.0.1:9999' })).body).toBe('first')
  })

  it('answers preflights only for allowed pages, with private-network consent for them alone', async () => {
    const server = await mock(pollRecording, { allowOrigins: ['https://app.example.com'] })
    const ask = { 'access-control-request-method': 'GET', 'access-control-request-private-network': 'true' }
    const allowed = await get(server.url, { ...ask, origin: 'https://app.example.com' }, 'OPTIONS')
    expect(allowed.status).toBe(204)
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com')
    expect(allowed.headers['access-control-allow-private-network']).toBe('true')
    const foreign = await get(server.url, { ...ask, origin: 'https://evil.example' }, 'OPTIONS')
    expect(foreign.status).toBe(403)
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined()
    expect(foreign.headers['access-control-allow-private-network']).toBeUndefined()
  })
})

describe('allowed origins', () => {
  it.each(['http://localhost:5173/app', 'https://*.example.com', 'ftp://files.example', 'localhost:5173', 'http://user:pw@x.example'])('refuses %s as an origin', (text) => {
    expect(() => normaliseOrigin(text)).toThrow(/origin|wildcard/)
  })

  it('rti mock --allow-origin (repeatable) lets those pages in; a bad one is a usage error', async () => {
    const child = spawnRti(['mock', wsRecording, '--allow-origin', 'https://app.example.com', '--allow-origin', 'http://10.0.0.5:3000'])
    try {
      const output = await waitForOutput(child.stdout, (text) => text.includes('\n'))
      const url = /(ws:\/\/\S+)$/m.exec(output)![1]!
      expect(await handshake(url, { origin: 'https://app.example.com' })).toEqual({ status: 101, message: 'secret' })
      expect(await handshake(url, { origin: 'http://10.0.0.5:3000' })).toEqual({ status: 101, message: 'secret' })
      expect(await handshake(url, { origin: 'http://evil.example' })).toEqual({ status: 403 })
    } finally {
      child.kill('SIGINT')
    }
    const bad = await runRti(['mock', wsRecording, '--allow-origin', 'http://localhost:5173/path'])
    expect(bad.code).toBe(2)
    expect(linesOf(bad.stderr)).toHaveLength(1)
    expect(bad.stderr).toMatch(/^rti: E_MOCK_ORIGIN: .*without a path/)
  })

  describe('through the API', () => {
    let engine: Engine
    beforeAll(async () => {
      engine = await createEngine({ playground: false })
    })
    afterAll(async () => {
      await engine.close()
    })

    it('startMock takes allowOrigins, shows them in the mock\'s info, and refuses a bad one', async () => {
      const api = engine.createClient('bridge')
      const started = await api.startMock({ recording: { path: wsRecording }, allowOrigins: ['https://app.example.com'] })
      if (!started.ok) throw new Error(started.error.message)
      expect(started.value.allowOrigins).toEqual(['https://app.example.com'])
      expect(await handshake(started.value.url, { origin: 'https://app.example.com' })).toEqual({ status: 101, message: 'secret' })
      expect(await handshake(started.value.url, { origin: 'https://evil.example' })).toEqual({ status: 403 })
      const bad = await api.startMock({ recording: { path: wsRecording }, allowOrigins: ['*'] })
      expect(bad.ok ? undefined : bad.error.code).toBe('E_MOCK_ORIGIN')
      api.dispose()
    })
  })
})
