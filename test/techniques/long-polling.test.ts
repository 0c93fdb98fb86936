// The long-polling technique against the built-in playground: the request loop,
// the cursor from each source, messages out of the answers, and every way an
// attempt can end (timeouts that do not end it, gateway errors, cuts, refusals).
import { createServer as createHttpServer } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionSpecInput } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'
import { freePort } from '../helpers/free-port.js'

let playground: Playground
let manager: SessionManager
beforeAll(async () => {
  playground = await startPlayground({ longPollEveryMs: 10 })
})
afterAll(() => playground.close())
afterEach(() => manager?.dispose())

const open = (path: string, extra: Partial<ConnectionSpecInput> = {}) => {
  manager = new SessionManager()
  return openSession(manager, { technique: 'long-polling', url: playground.baseUrl + path, ...extra })
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const cursorOf = (url: string) => new URL(url).searchParams.get('cursor')
const seqs = (data: (string | undefined)[]) => data.map((d) => (JSON.parse(d!) as { seq: number }).seq)


describe('long-polling: the cursor', () => {
  it('follows a cursor from a header, sending it back as the query parameter', async () => {
    const h = open('/longpoll?hold=2000&cursorIn=header', { longPolling: { cursor: { from: 'header', name: 'X-Cursor' }, messagesPath: 'messages' } })
    await h.waitFor('request', () => h.ofKind('request').length >= 4)
    const requests = h.ofKind('request')
    const responses = h.ofKind('response')
    expect(cursorOf(requests[0]!.url)).toBeNull()
    for (let i = 1; i < 4; i++) expect(cursorOf(requests[i]!.url)).toBe(responses[i - 1]!.headers['x-cursor'])
    expect(Number(cursorOf(requests[3]!.url))).toBeGreaterThan(Number(cursorOf(requests[1]!.url)))
    // Every message once, in order: the cursor neither skips nor repeats.
    const got = seqs(h.ofKind('message').map((m) => m.data))
    expect(got).toEqual(got.map((_, i) => got[0]! + i))
  })

  it('follows a cursor from a dot path in the JSON body', async () => {
    const h = open('/longpoll?hold=2000&cursorIn=json', { longPolling: { cursor: { from: 'json', name: 'cursor', param: 'cursor' }, messagesPath: 'messages' } })
    await h.waitFor('request', () => h.ofKind('request').length >= 3)
    const [first, second] = h.ofKind('response')
    expect(first!.headers['x-cursor']).toBeUndefined()
    const requests = h.ofKind('request')
    expect(cursorOf(requests[1]!.url)).toBe(String((JSON.parse(first!.body!) as { cursor: number }).cursor))
    expect(cursorOf(requests[2]!.url)).toBe(String((JSON.parse(second!.body!) as { cursor: number }).cursor))
    expect(h.session.state).toBe('open')
  })

  it('says once when the answer has no cursor, and asks again with the previous one', async () => {
    const h = open('/longpoll?hold=2000&cursorIn=header', { longPolling: { cursor: { from: 'json', name: 'meta.next' } } })
    await h.waitFor('request', () => h.ofKind('request').length >= 3)
    expect(h.ofKind('error').filter((e) => e.code === 'E_CURSOR_MISSING')).toHaveLength(1)
    expect(h.ofKind('request').slice(0, 3).map((r) => cursorOf(r.url))).toEqual([null, null, null])
  })

  it('reads the cursor from the query of a Link rel="next" URL, and follows a redirect that only points onward', async () => {
    let served = 0
    const server = createHttpServer((req, res) => {
      const cursor = Number(new URL(req.url!, 'http://x').searchParams.get('after') ?? 0)
      served++
      // Every other answer is a 303 that only says where to resume.
      if (served % 2 === 0) {
        res.writeHead(303, { Location: `/feed?after=${cursor + 1}` })
        return res.end()
      }
      res.writeHead(200, { 'Content-Type': 'application/json', Link: `</feed?after=${cursor + 1}>; rel="next", </feed>; rel="first"` })
      res.end(JSON.stringify([{ n: cursor }]))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      manager = new SessionManager()
      const h = openSession(manager, {
        technique: 'long-polling',
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}/feed`,
        longPolling: { cursor: { from: 'query', name: 'Link', param: 'after' } },
      })
      await h.waitFor('request', () => h.ofKind('request').length >= 3)
      h.session.close()
      expect(h.ofKind('request').slice(0, 3).map((r) => new URL(r.url).searchParams.get('after'))).toEqual([null, '1', '2'])
      expect(h.ofKind('response').slice(0, 2).map((r) => r.status)).toEqual([200, 303])
      expect(h.ofKind('error')).toEqual([])
    } finally {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    }
  })
})

describe('long-polling: messages', () => {
  it('takes each element of the array at messagesPath as a message, as its JSON text', async () => {
    const h = open('/longpoll?hold=2000&every=5&batch=3', { longPolling: { cursor: { from: 'json', name: 'cursor' }, messagesPath: 'messages' } })
    await h.waitFor('message', () => h.ofKind('message').length >= 6)
    const response = h.ofKind('response')[0]!
    const inBody = (JSON.parse(response.body!) as { messages: unknown[] }).messages
    const messages = h.ofKind('message').slice(0, inBody.length)
    expect(messages.map((m) => m.data)).toEqual(inBody.map((m) => JSON.stringify(m)))
    expect(messages.every((m) => m.direction === 'in' && m.size === Buffer.byteLength(m.data!))).toBe(true)
    expect(h.session.info().stats.messagesIn).toBe(h.ofKind('message').length)
  })

  it('cuts a body that is a JSON array into its elements when messagesPath is empty', async () => {
    const h = open('/longpoll?hold=2000&every=5&batch=2&shape=array', { longPolling: { cursor: { from: 'header', name: 'x-cursor' } } })
    await h.waitFor('message', () => h.ofKind('message').length >= 4)
    expect(seqs(h.ofKind('message').slice(0, 4).map((m) => m.data))).toHaveLength(4)
  })

  it('takes a body that is not an array as one message, byte for byte', async () => {
    const h = open('/longpoll?hold=2000', { longPolling: { cursor: { from: 'json', name: 'cursor' } } })
    await h.waitFor('message', () => h.ofKind('message').length >= 2)
    const [first] = h.ofKind('response')
    const [message] = h.ofKind('message')
    expect(message!.data).toBe(first!.body)
    expect(message!.size).toBe(Buffer.byteLength(first!.body!))
  })

  it('refuses an answer over limits.maxMessageBytes and ends the attempt', async () => {
    const h = open('/longpoll?hold=2000&size=500', { longPolling: { messagesPath: 'messages' }, limits: { maxMessageBytes: 200 }, reconnect: { enabled: false } })
    expect((await h.waitFor('error')).code).toBe('E_MESSAGE_TOO_BIG')
    await expect(h.session.ended).resolves.toBe('failed')
    expect(h.ofKind('response')[0]).toMatchObject({ status: 200, bodyTruncated: true })
    expect(h.ofKind('message')).toEqual([])
  })
})

describe('long-polling: timeouts and failures', () => {
  it('abandons a request held past requestTimeoutMs with E_TIMEOUT and asks again, without failing', async () => {
    // A feed that produces nothing for a minute: every request is held.
    const h = open('/longpoll?hold=5000&every=60000', { longPolling: { requestTimeoutMs: 300 } })
    const timeout = await h.waitFor('error', (e) => e.code === 'E_TIMEOUT')
    await h.waitFor('request', () => h.ofKind('request').length >= 2)
    const [first, second] = h.ofKind('request')
    expect(timeout.time - first!.time).toBeGreaterThanOrEqual(295)
    expect(timeout.time - first!.time).toBeLessThan(1500)
    expect(second!.time).toBeGreaterThanOrEqual(timeout.time)
    expect(h.ofKind('reconnect')).toEqual([])
    expect(h.ofKind('close')).toEqual([])
    expect(['connecting', 'open']).toContain(h.session.state)
  })

  it('keeps a 504 from a gateway as evidence, backs off with growing delays, and opens again', async () => {
    const h = open('/longpoll?hold=10&status=504&failAfter=2&failFor=3&client=lp-504', {
      longPolling: { cursor: { from: 'json', name: 'cursor' }, messagesPath: 'messages' },
      reconnect: { initialDelayMs: 300, multiplier: 2, jitter: 0 },
    })
    await h.waitFor('open', () => h.ofKind('open').length >= 2, 8000)
    const gatewayAnswers = h.ofKind('response').filter((r) => r.status === 504)
    expect(gatewayAnswers).toHaveLength(3)
    expect(gatewayAnswers[0]!.headers.server).toBe('playground-gateway')
    expect(gatewayAnswers[0]!.body).toContain('504 Gateway Timeout')
    expect(h.ofKind('error').filter((e) => e.code === 'E_HTTP_STATUS')).toHaveLength(3)
    expect(h.ofKind('close').map((c) => c.cause)).toEqual(['remote-close', 'remote-close', 'remote-close'])
    // The first failure follows an attempt that had opened, so the backoff starts over.
    // The policy's reconnects (to a new attempt), not the waits between answers that came at once.
    const policy = h.ofKind('reconnect').filter((r) => r.attempt > h.ofKind('connecting').findLast((c) => c.seq < r.seq)!.attempt)
    expect(policy.map((r) => r.delayMs)).toEqual([300, 300, 600])
    // The attempt after the failures resumes from the last cursor, not from the start.
    const lastGood = h.ofKind('response').filter((r) => r.status === 200)[1]!
    const resumedAt = String((JSON.parse(lastGood.body!) as { cursor: number }).cursor)
    expect(policy.map((r) => r.lastEventId)).toEqual([resumedAt, resumedAt, resumedAt])
    const lastConnecting = h.ofKind('connecting').at(-1)!
    expect(cursorOf(h.ofKind('request').find((r) => r.seq > lastConnecting.seq)!.url)).toBe(resumedAt)
  })

  it('tells a connection closed without an answer (fin) from a reset', async () => {
    const fin = open('/longpoll?hold=10&fin=1&failAfter=1&client=lp-fin', { reconnect: { enabled: false } })
    await expect(fin.session.ended).resolves.toBe('failed')
    expect(fin.ofKind('close')[0]).toMatchObject({ code: 0, cause: 'fin', wasClean: false })
    expect(fin.ofKind('error')[0]!.code).toBe('E_CONNECTION_CLOSED')

    const reset = open('/longpoll?hold=10&reset=1&failAfter=1&client=lp-reset', { reconnect: { enabled: false } })
    await expect(reset.session.ended).resolves.toBe('failed')
    expect(reset.ofKind('close')[0]).toMatchObject({ cause: 'reset', wasClean: false })
    expect(reset.ofKind('error')[0]!.code).toBe('E_CONNECTION_RESET')
  })

  it('backs off on a refused connection and gives up after maxAttempts', async () => {
    manager = new SessionManager()
    const h = openSession(manager, {
      technique: 'long-polling',
      url: `http://127.0.0.1:${await freePort()}/longpoll`,
      reconnect: { initialDelayMs: 300, multiplier: 2, jitter: 0, maxAttempts: 3 },
    })
    await expect(h.session.ended).resolves.toBe('failed')
    expect(h.ofKind('connecting').map((f) => f.attempt)).toEqual([1, 2, 3])
    expect(h.ofKind('reconnect').map((f) => f.delayMs)).toEqual([300, 600])
    expect(h.ofKind('error').map((f) => f.code)).toEqual(['E_CONNECT_REFUSED', 'E_CONNECT_REFUSED', 'E_CONNECT_REFUSED', 'E_RECONNECT_GAVE_UP'])
    // Never connected, so there was no connection to close.
    expect(h.ofKind('close')).toEqual([])
  })
})

describe('long-polling: the request and its end', () => {
  it('sends the spec query, headers and auth on every request', async () => {
    const h = open('/longpoll?hold=2000', {
      query: [{ name: 'topic', value: 'a b' }],
      headers: [{ name: 'X-Trace', value: 't1' }],
      auth: { type: 'bearer', token: 'secret-token' },
      longPolling: { cursor: { from: 'json', name: 'cursor' } },
    })
    await h.waitFor('request', () => h.ofKind('request').length >= 2)
    for (const request of h.ofKind('request').slice(0, 2)) {
      expect(new URL(request.url).searchParams.get('topic')).toBe('a b')
      expect(request.headers).toMatchObject({ 'X-Trace': 't1', Authorization: 'Bearer secret-token' })
    }
  })

  it('closes at once when the user closes, aborting the held request and leaving nothing running', async () => {
    const h = open('/longpoll?hold=5000&every=60000', { longPolling: { requestTimeoutMs: 100 } })
    await h.waitFor('request')
    h.session.close()
    await expect(h.session.ended).resolves.toBe('closed')
    const close = h.ofKind('close')[0]!
    expect(close).toMatchObject({ code: 0, cause: 'local', reason: 'closed by the user' })
    // Longer than the request timeout: a timer left behind would have asked again by now.
    await sleep(150)
    expect(h.frames.filter((f) => f.seq > close.seq)).toEqual([])
  })
})
