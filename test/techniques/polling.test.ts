// The polling technique against the built-in playground: the cadence (interval,
// jitter, no overlap), conditional requests and unchanged answers, the headers a
// cache leaves, and how an attempt ends.
import { createServer } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionSpecInput } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'

let playground: Playground
let manager: SessionManager
beforeAll(async () => {
  // The polled state stays put unless a test asks for `every`.
  playground = await startPlayground({ pollEveryMs: 600_000, longPollEveryMs: 600_000 })
})
afterAll(() => playground.close())
afterEach(() => manager?.dispose())

const open = (path: string, polling: Record<string, unknown> = {}, extra: Partial<ConnectionSpecInput> = {}) => {
  manager = new SessionManager()
  return openSession(manager, { technique: 'polling', url: playground.baseUrl + path, polling: { intervalMs: 20, ...polling }, ...extra })
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!)

describe('polling: conditional requests and unchanged answers', () => {
  it('sends If-None-Match and If-Modified-Since from the last answer and marks a 304 unchanged', async () => {
    const h = open('/poll')
    await h.waitFor('response', () => h.ofKind('response').length >= 3)
    const [first, second, third] = h.ofKind('response')
    expect(first).toMatchObject({ status: 200 })
    expect(first!.unchanged).toBeUndefined()
    expect(second).toMatchObject({ status: 304, unchanged: true })
    expect(third).toMatchObject({ status: 304, unchanged: true })
    const [plain, conditional] = h.ofKind('request')
    expect(plain!.headers['If-None-Match']).toBeUndefined()
    expect(conditional!.headers).toMatchObject({ 'If-None-Match': first!.headers.etag, 'If-Modified-Since': first!.headers['last-modified'] })
    // Only the first answer had news.
    expect(h.ofKind('message').map((m) => m.data)).toEqual([first!.body])
    expect(h.session.state).toBe('open')
  })

  it('marks a 200 whose body is byte-identical to the last one unchanged', async () => {
    const h = open('/poll?etag=0&lastModified=0')
    await h.waitFor('response', () => h.ofKind('response').length >= 3)
    const responses = h.ofKind('response').slice(0, 3)
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200])
    expect(responses.map((r) => r.unchanged ?? false)).toEqual([false, true, true])
    expect(h.ofKind('request')[1]!.headers['If-None-Match']).toBeUndefined()
    expect(h.ofKind('message')).toHaveLength(1)
  })

  it('sends no validators when conditional is off, and still tells identical answers', async () => {
    const h = open('/poll', { conditional: false })
    await h.waitFor('response', () => h.ofKind('response').length >= 2)
    expect(h.ofKind('request').map((r) => r.headers['If-None-Match'] ?? r.headers['If-Modified-Since'])).not.toContain(expect.any(String))
    expect(h.ofKind('response').slice(0, 2).map((r) => [r.status, r.unchanged ?? false])).toEqual([[200, false], [200, true]])
  })

  it('shows a changed state as a new message', async () => {
    // A change every 60 ms, a poll every 20 ms: between two changes, some polls see none.
    const h = open('/poll?every=60')
    await h.waitFor('message', () => h.ofKind('message').length >= 3)
    const counters = h.ofKind('message').map((m) => (JSON.parse(m.data!) as { counter: number }).counter)
    expect(counters[1]).toBeGreaterThan(counters[0]!)
    expect(counters[2]).toBeGreaterThan(counters[1]!)
    expect(h.ofKind('response').some((r) => r.unchanged)).toBe(true)
  })

  it('keeps every response header, the ones a cache adds included', async () => {
    const h = open('/poll?age=30&cacheControl=' + encodeURIComponent('public, max-age=60'))
    const response = await h.waitFor('response')
    expect(response.headers).toMatchObject({ age: '30', 'x-cache': 'HIT from playground-cache', 'cache-control': 'public, max-age=60', etag: expect.any(String) })
  })
})

describe('polling: cadence', () => {
  it('starts a request every intervalMs, measured from the start of the last one', async () => {
    const h = open('/poll', { intervalMs: 40 })
    await h.waitFor('request', () => h.ofKind('request').length >= 6)
    for (const gap of gaps(h.ofKind('request').map((r) => r.time))) {
      // Frames are stamped when the request goes out, a little after the timer fired.
      expect(gap).toBeGreaterThanOrEqual(35)
      // Generous above: timers fire late on a loaded machine, never early.
      expect(gap).toBeLessThan(40 + 150)
    }
  })

  it('adds a random jitter of up to jitterMs', async () => {
    const h = open('/poll', { intervalMs: 20, jitterMs: 30 })
    await h.waitFor('request', () => h.ofKind('request').length >= 11, 10_000)
    const spaced = gaps(h.ofKind('request').map((r) => r.time))
    for (const gap of spaced) {
      // A request stamped late on a busy machine makes the gap after it look shorter.
      expect(gap).toBeGreaterThanOrEqual(15)
      expect(gap).toBeLessThan(20 + 30 + 150)
    }
    // Ten uniform draws from 0..30 ms spread over more than 5 ms all but always.
    expect(Math.max(...spaced) - Math.min(...spaced)).toBeGreaterThan(5)
  })

  it('never overlaps requests: a slow answer delays the next one', async () => {
    // The long-poll endpoint holds 80 ms: longer than the interval.
    const h = open('/longpoll?hold=80', { intervalMs: 20 })
    await h.waitFor('response', () => h.ofKind('response').length >= 3)
    const requests = h.ofKind('request')
    const responses = h.ofKind('response')
    for (let i = 1; i < 3; i++) expect(requests[i]!.time).toBeGreaterThanOrEqual(responses[i - 1]!.time)
  })
})

describe('polling: timeouts and failures', () => {
  it('abandons a request past requestTimeoutMs with E_TIMEOUT and keeps polling', async () => {
    const h = open('/longpoll?hold=5000', { intervalMs: 20, requestTimeoutMs: 100 })
    await h.waitFor('error', (e) => e.code === 'E_TIMEOUT')
    await h.waitFor('request', () => h.ofKind('request').length >= 2)
    expect(h.ofKind('reconnect')).toEqual([])
    expect(h.session.state).not.toBe('failed')
  })

  it('keeps an error answer as evidence and backs off', async () => {
    const h = open('/poll?status=503', { intervalMs: 300 }, { reconnect: { initialDelayMs: 300, multiplier: 2, jitter: 0, maxAttempts: 3 } })
    await expect(h.session.ended).resolves.toBe('failed')
    const [response] = h.ofKind('response')
    expect(response!.status).toBe(503)
    expect(response!.body).toContain('503')
    expect(h.ofKind('reconnect').map((r) => r.delayMs)).toEqual([300, 600])
    expect(h.ofKind('error').map((e) => e.code)).toEqual(['E_HTTP_STATUS', 'E_HTTP_STATUS', 'E_HTTP_STATUS', 'E_RECONNECT_GAVE_UP'])
  })

  it('does not retry an answer that will not change, like a 404', async () => {
    const h = open('/nothing-here')
    await expect(h.session.ended).resolves.toBe('failed')
    expect(h.ofKind('response')[0]!.status).toBe(404)
    expect(h.ofKind('reconnect')).toEqual([])
  })

  it('backs off on a refused connection and gives up after maxAttempts', async () => {
    const server = createServer().listen(0, '127.0.0.1')
    await new Promise((r) => server.once('listening', r))
    const port = (server.address() as { port: number }).port
    await new Promise((r) => server.close(r))
    manager = new SessionManager()
    const h = openSession(manager, { technique: 'polling', url: `http://127.0.0.1:${port}/poll`, polling: { intervalMs: 300 }, reconnect: { initialDelayMs: 300, jitter: 0, maxAttempts: 2 } })
    await expect(h.session.ended).resolves.toBe('failed')
    expect(h.ofKind('error').map((e) => e.code)).toEqual(['E_CONNECT_REFUSED', 'E_CONNECT_REFUSED', 'E_RECONNECT_GAVE_UP'])
  })

  it('reports an answer over limits.maxMessageBytes and polls on', async () => {
    const h = open('/poll?size=1000', {}, { limits: { maxMessageBytes: 100 } })
    await h.waitFor('error', () => h.ofKind('error').filter((e) => e.code === 'E_MESSAGE_TOO_BIG').length >= 2)
    expect(h.ofKind('message')).toEqual([])
    expect(h.ofKind('response')[0]).toMatchObject({ status: 200, bodyTruncated: true })
  })
})

describe('polling: closing', () => {
  it('leaves nothing running after close: no request after the close frame', async () => {
    const h = open('/poll', { intervalMs: 20 })
    await h.waitFor('response', () => h.ofKind('response').length >= 2)
    h.session.close()
    await expect(h.session.ended).resolves.toBe('closed')
    const close = h.ofKind('close')[0]!
    expect(close).toMatchObject({ code: 0, cause: 'local' })
    await sleep(60)
    expect(h.frames.filter((f) => f.seq > close.seq)).toEqual([])
  })
})
