// The WebSocket technique against the built-in playground: every way a connection
// can end, and the limits a user sets.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SessionManager } from '../../main/session/session-manager.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { openSession } from '../helpers/session-harness.js'

let playground: Playground
let manager: SessionManager
beforeAll(async () => {
  playground = await startPlayground()
})
afterAll(() => playground.close())
afterEach(() => manager?.dispose())

const ws = (path: string) => playground.baseUrl.replace('http', 'ws') + path
const open = (path: string, extra: object = {}) => {
  manager = new SessionManager()
  return openSession(manager, { technique: 'websocket', url: ws(path), ...extra })
}

describe('WebSocket against the playground', () => {
  it('sends and receives, with counters', async () => {
    const h = open('/ws/echo')
    await h.waitFor('open')
    h.session.send({ type: 'text', data: 'ping-1' })
    await h.waitFor('message', (f) => f.direction === 'in' && f.data === 'ping-1')
    await h.session.flush()
    expect(h.session.info().stats).toMatchObject({ messagesIn: 1, messagesOut: 1, bytesIn: 6, bytesOut: 6 })
  })

  it.each([
    [1000, 'done'],
    [1001, 'going away'],
    [4000, 'bye'],
  ])('reports a server close %i with its reason as a remote close', async (code, reason) => {
    const h = open(`/ws/close?code=${code}&reason=${encodeURIComponent(reason)}&after=10`)
    const close = await h.waitFor('close')
    expect(close).toMatchObject({ code, reason, cause: 'remote-close', wasClean: true })
    expect(close.bytesIn).toBeGreaterThan(0)
    await expect(h.session.ended).resolves.toBe('closed')
  })

  it('tells a FIN without a close frame: 1006, cause fin', async () => {
    const h = open('/ws/drop?after=10')
    const close = await h.waitFor('close')
    expect(close).toMatchObject({ code: 1006, cause: 'fin', wasClean: false })
    expect(close.meaning).toMatch(/without a close frame/)
  })

  it('tells a TCP reset: 1006, cause reset', async () => {
    const h = open('/ws/reset?after=10')
    const close = await h.waitFor('close')
    expect(close).toMatchObject({ code: 1006, cause: 'reset', wasClean: false })
  })

  it('measures the idle time before a cut', async () => {
    const h = open('/ws/drop?after=150')
    const close = await h.waitFor('close')
    // Silent after the handshake, then cut after 150 ms (generous upper bound for a busy machine).
    expect(close.idleMs).toBeGreaterThanOrEqual(140)
    expect(close.idleMs).toBeLessThan(1000)
  })

  it('closes locally with a chosen code and reason', async () => {
    const h = open('/ws/echo')
    await h.waitFor('open')
    h.session.send({ type: 'close', code: 4001, reason: 'user closed' })
    const close = await h.waitFor('close')
    expect(close).toMatchObject({ code: 4001, reason: 'user closed', cause: 'local', wasClean: true })
  })

  it('keeps a non-101 answer as evidence and fails the session', async () => {
    const h = open('/ws/reject?status=403')
    const response = await h.waitFor('response')
    expect(response.status).toBe(403)
    expect(response.headers['X-Playground-Reason']).toBe('rejected')
    expect(response.body?.length).toBeGreaterThan(0)
    expect(await h.waitFor('error')).toMatchObject({ code: 'E_HANDSHAKE', message: expect.stringContaining('403') })
    await expect(h.session.ended).resolves.toBe('failed')
  })

  it('closes with 1009 when a message exceeds maxPayload', async () => {
    const h = open('/ws/echo', { websocket: { maxPayload: 16 } })
    await h.waitFor('open')
    h.session.send({ type: 'text', data: 'x'.repeat(64) })
    const close = await h.waitFor('close')
    expect(close).toMatchObject({ code: 1009, cause: 'local' })
    expect(h.ofKind('error').map((e) => e.code)).toContain('E_MESSAGE_TOO_BIG')
  })

  it('negotiates permessage-deflate when asked, and not otherwise', async () => {
    const on = open('/ws/echo', { websocket: { perMessageDeflate: true } })
    expect((await on.waitFor('open')).extensions).toMatch(/permessage-deflate/)
    manager.dispose()
    const off = open('/ws/echo')
    expect((await off.waitFor('open')).extensions ?? '').toBe('')
  })

  it('reports a refused connection as a failed session with E_CONNECT_REFUSED', async () => {
    const { createServer } = await import('node:net')
    const server = createServer().listen(0, '127.0.0.1')
    await new Promise((r) => server.once('listening', r))
    const port = (server.address() as { port: number }).port
    await new Promise((r) => server.close(r))
    manager = new SessionManager()
    const h = openSession(manager, { technique: 'websocket', url: `ws://127.0.0.1:${port}/` })
    expect((await h.waitFor('error')).code).toBe('E_CONNECT_REFUSED')
    await expect(h.session.ended).resolves.toBe('failed')
  })

  it('batches a burst of messages instead of delivering them one by one', async () => {
    manager = new SessionManager()
    const opened = manager.open({ technique: 'websocket', url: ws('/ws/ticker?interval=0&count=5000') })
    if (!opened.ok) throw new Error(opened.error.message)
    const sizes: number[] = []
    opened.value.subscribe((batch) => sizes.push(batch.frames.length + batch.skipped), 100_000)
    await opened.value.ended
    const total = sizes.reduce((a, b) => a + b, 0)
    expect(opened.value.info().stats.messagesIn).toBe(5000)
    expect(total).toBe(opened.value.info().stats.frames)
    expect(sizes.length).toBeLessThan(500)
  })
})

describe('spec validation', () => {
  it.each([
    ['http://example.com/', /needs a ws:\/\/ or wss:\/\/ URL/],
    ['not a url', /not a valid URL/],
  ])('refuses %s with a clear message', (url, message) => {
    manager = new SessionManager()
    const opened = manager.open({ technique: 'websocket', url })
    expect(opened.ok).toBe(false)
    if (!opened.ok) {
      expect(opened.error.code).toBe('E_SPEC_INVALID')
      expect(opened.error.message).toMatch(message)
    }
  })
})
