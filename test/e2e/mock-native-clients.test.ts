// Chromium's own WebSocket and EventSource against the mock server: a page on
// another 127.0.0.1 origin receives what the recorded session received, in order
// and at the recorded times (CORS lets EventSource in); an EventSource that
// reconnects after the stream ends sends its Last-Event-ID and gets no repeats.
import { createServer, type Server } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import type { Frame, FrameOf } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { startMockServer, type MockServer } from '../../main/replay/mock-server.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { expectTiming, offsets, recordSession } from '../replay/recorded-session.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

let dir: string
let playground: Playground
let manager: SessionManager
let scripted: WebSocketServer
let origin: Server
let browser: Browser
let page: Page
const mocks: MockServer[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-mock-e2e-'))
  playground = await startPlayground({})
  manager = new SessionManager({ net: {} })
  scripted = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (offered) => (offered.has('chat') ? 'chat' : false) })
  scripted.on('connection', (ws) => {
    setTimeout(() => ws.send('hello'), 50)
    setTimeout(() => ws.send(Buffer.from([0, 1, 254, 255]), { binary: true }), 120)
    setTimeout(() => ws.send('last'), 220)
    setTimeout(() => ws.close(4002, 'recorded end'), 260)
  })
  await new Promise((resolve) => scripted.once('listening', resolve))
  // The page's own origin: a blank page on a port of its own.
  origin = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>client</title>'))
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve))
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  page = await (await browser.newContext()).newPage()
  await page.goto(`http://127.0.0.1:${(origin.address() as AddressInfo).port}/`)
})

afterAll(async () => {
  await browser?.close()
  await Promise.all(mocks.map((m) => m.close()))
  manager?.dispose()
  await new Promise((resolve) => scripted?.close(resolve))
  await new Promise((resolve) => origin?.close(resolve))
  await playground?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('mock server with Chromium as the client', () => {
  it("native WebSocket: the recorded messages, text and binary, in order and on time, then the recorded close", async () => {
    const url = `ws://127.0.0.1:${(scripted.address() as AddressInfo).port}/socket`
    const recorded = await recordSession(manager, { technique: 'websocket', url, websocket: { subprotocols: ['chat'] } }, join(dir, 'ws.rti.jsonl'), (h) => h.waitFor('close').then(() => {}))
    const server = await startMockServer(recorded.path)
    mocks.push(server)

    const seen = await page.evaluate(
      (target) =>
        new Promise<{ protocol: string; messages: Array<{ data: string; at: number }>; code: number; reason: string }>((resolve, reject) => {
          const ws = new WebSocket(target, ['chat'])
          ws.binaryType = 'arraybuffer'
          let openedAt = 0
          const messages: Array<{ data: string; at: number }> = []
          ws.onopen = () => (openedAt = performance.now())
          ws.onmessage = (e) => {
            const data = typeof e.data === 'string' ? e.data : 'hex:' + Array.from(new Uint8Array(e.data as ArrayBuffer), (b) => b.toString(16).padStart(2, '0')).join('')
            messages.push({ data, at: performance.now() - openedAt })
          }
          ws.onclose = (e) => resolve({ protocol: ws.protocol, messages, code: e.code, reason: e.reason })
          setTimeout(() => reject(new Error('no close within 5 s')), 5000)
        }),
      server.url,
    )
    const served = (f: Frame) => f.kind === 'message' && f.direction === 'in'
    expect(seen.protocol).toBe('chat')
    expect(seen.messages.map((m) => m.data)).toEqual(['hello', 'hex:0001feff', 'last'])
    expect({ code: seen.code, reason: seen.reason }).toEqual({ code: 4002, reason: 'recorded end' })
    expectTiming(
      seen.messages.map((m) => m.at),
      offsets(recorded.frames, served),
    )
  })

  it('fetch from another origin: polling answers in order, the validators readable, a conditional request (preflighted) answered 304 past the end', async () => {
    const spec = { technique: 'polling' as const, url: `${playground.baseUrl}/poll?every=100000`, polling: { intervalMs: 40 } }
    const recorded = await recordSession(manager, spec, join(dir, 'poll.rti.jsonl'), (h) => h.waitFor('response', () => h.ofKind('response').length >= 2).then(() => {}))
    const answers = recorded.frames.filter((f): f is FrameOf<'response'> => f.kind === 'response')
    const server = await startMockServer(recorded.path)
    mocks.push(server)

    const seen = await page.evaluate(async ({ target, count }) => {
      const out: Array<{ status: number; etag: string | null; body: string }> = []
      let etag: string | null = null
      for (let i = 0; i < count + 1; i++) {
        const response = await fetch(target, etag ? { headers: { 'If-None-Match': etag } } : {})
        etag = response.headers.get('etag') ?? etag
        out.push({ status: response.status, etag: response.headers.get('etag'), body: await response.text() })
      }
      return out
    }, { target: server.url, count: answers.length })
    expect(seen.slice(0, answers.length).map((a) => ({ status: a.status, etag: a.etag }))).toEqual(answers.map((a) => ({ status: a.status, etag: a.headers.etag })))
    expect(seen[0]!.body).toBe(answers[0]!.body)
    expect(seen[answers.length]!.status).toBe(304)
  })

  it('native EventSource: the recorded events with types, ids and data, on time; its reconnect with Last-Event-ID gets no repeats', async () => {
    const spec = { technique: 'sse' as const, url: `${playground.baseUrl}/sse/ticker?interval=70&count=4&retry=150`, reconnect: { enabled: false } }
    const recorded = await recordSession(manager, spec, join(dir, 'sse.rti.jsonl'), (h) => h.waitFor('close').then(() => {}))
    const server = await startMockServer(recorded.path)
    mocks.push(server)

    const seen = await page.evaluate(
      (target) =>
        new Promise<{ events: Array<{ type: string; data: string; id: string; at: number }>; opens: number }>((resolve) => {
          const source = new EventSource(target)
          let openedAt = 0
          let opens = 0
          const events: Array<{ type: string; data: string; id: string; at: number }> = []
          source.onopen = () => {
            opens++
            if (opens === 1) openedAt = performance.now()
            // The recorded stream ended; the reconnect asked after its last id and got nothing new.
            if (opens === 2) setTimeout(() => (source.close(), resolve({ events, opens })), 300)
          }
          const onEvent = (e: Event) => {
            const message = e as MessageEvent
            events.push({ type: message.type, data: message.data as string, id: message.lastEventId, at: performance.now() - openedAt })
          }
          source.addEventListener('message', onEvent)
          source.addEventListener('tick', onEvent)
          setTimeout(() => (source.close(), resolve({ events, opens })), 5000)
        }),
      server.url,
    )
    const events = recorded.frames.filter((f): f is FrameOf<'event'> => f.kind === 'event')
    // Each reconnect (every 150 ms, the recorded retry) resumed after id 4: nothing is repeated.
    expect(seen.opens).toBeGreaterThanOrEqual(2)
    expect(seen.events.map(({ type, data, id }) => ({ type, data, id }))).toEqual(events.map((e) => ({ type: e.event, data: e.data, id: e.id })))
    expectTiming(
      seen.events.map((e) => e.at),
      offsets(recorded.frames, (f) => f.kind === 'event'),
    )
  })
})
