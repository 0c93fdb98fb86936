// The SSE technique against the built-in playground: what goes out, what comes back,
// every way a stream ends, and the reconnects the spec asks for.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionSpecInput, FrameOf } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'

let playground: Playground
let manager: SessionManager
beforeAll(async () => {
  playground = await startPlayground()
})
afterAll(() => playground.close())
afterEach(() => manager?.dispose())

const open = (path: string, extra: Partial<ConnectionSpecInput> = {}) => {
  manager = new SessionManager()
  return openSession(manager, { technique: 'sse', url: playground.baseUrl + path, ...extra })
}
const once = { reconnect: { enabled: false } }
const header = (frame: FrameOf<'request'>, name: string) => Object.entries(frame.headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]

describe('SSE against the playground', () => {
  it('asks for an event stream, opens, and shows chunks and events in arrival order', async () => {
    const h = open('/sse/ticker?interval=10&count=4', once)
    await expect(h.session.ended).resolves.toBe('closed')
    const kinds = h.frames.map((f) => f.kind)
    expect(kinds.slice(0, 4)).toEqual(['connecting', 'request', 'response', 'open'])
    const [request] = h.ofKind('request')
    expect(header(request!, 'accept')).toBe('text/event-stream')
    expect(header(request!, 'cache-control')).toBe('no-cache')
    expect(header(request!, 'last-event-id')).toBeUndefined()
    expect(h.ofKind('response')[0]).toMatchObject({ status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } })
    expect(h.ofKind('open')[0]).toMatchObject({ protocol: '' })
    // Every event comes after the chunk that completed it.
    const firstEvent = kinds.indexOf('event')
    expect(kinds.slice(4, firstEvent)).toContain('chunk')
    const chunks = h.ofKind('chunk')
    expect(chunks.map((c) => c.data).join('')).toContain('id: 4\n')
    expect(chunks.every((c, i) => i === 0 || c.time >= chunks[i - 1]!.time)).toBe(true)
    expect(h.ofKind('close')[0]).toMatchObject({ code: 0, cause: 'remote-close', wasClean: true, bytesIn: chunks.reduce((n, c) => n + c.size, 0) })
  })

  it('shows named and unnamed events with their ids, and heartbeat comments', async () => {
    const h = open('/sse/ticker?interval=10&count=4', once)
    await h.session.ended
    expect(h.ofKind('event').map((e) => [e.event, e.id])).toEqual([
      ['tick', '1'],
      ['message', '2'],
      ['tick', '3'],
      ['message', '4'],
    ])
    expect(JSON.parse(h.ofKind('event')[0]!.data)).toMatchObject({ seq: 1 })
    expect(h.ofKind('comment').map((c) => c.text)).toEqual(['heartbeat'])
    expect(h.ofKind('event').find((e) => e.retry !== undefined)).toBeUndefined()
  })

  it('marks the event of a block that set retry', async () => {
    const h = open('/sse/raw?b64=' + encodeURIComponent(Buffer.from('retry: 70\ndata: a\n\ndata: b\n\n').toString('base64')), once)
    await h.session.ended
    expect(h.ofKind('event').map((e) => e.retry)).toEqual([70, undefined])
  })

  it('reconnects after the server\'s retry, sending the last event ID, which the server sees', async () => {
    const h = open('/sse/ticker?interval=10&count=4&fin=2&retry=300&echo=1', { reconnect: { jitter: 0 } })
    await expect(h.session.ended).resolves.toBe('closed')
    const [cut, finished] = h.ofKind('close')
    expect(cut).toMatchObject({ cause: 'fin', wasClean: false })
    expect(h.ofKind('reconnect')[0]).toMatchObject({ attempt: 2, delayMs: 300, lastEventId: '2' })
    const second = h.ofKind('connecting').find((c) => c.attempt === 2)!
    expect(second.time - cut!.time).toBeGreaterThanOrEqual(290)
    expect(second.time - cut!.time).toBeLessThan(1500)
    expect(header(h.ofKind('request')[1]!, 'last-event-id')).toBe('2')
    const events = h.ofKind('event')
    expect(events.map((e) => e.id)).toEqual(['1', '2', '3', '4'])
    expect(events.map((e) => (JSON.parse(e.data) as { lastEventId: string | null }).lastEventId)).toEqual([null, null, '2', '2'])
    // The third attempt finds the count reached: 204, and no more attempts.
    expect(finished).toMatchObject({ cause: 'remote-close' })
    expect(h.ofKind('response').at(-1)!.status).toBe(204)
    expect(h.ofKind('connecting').length).toBe(3)
  })

  it('waits 3 s before reconnecting until the server sends retry, unless the policy sets a delay', async () => {
    const h = open('/sse/ticker?interval=10&count=1&retry=none', { reconnect: { jitter: 0 } })
    expect(await h.waitFor('reconnect')).toMatchObject({ delayMs: 3000 })
    h.session.close()
    const fast = open('/sse/ticker?interval=10&count=1&retry=none', { reconnect: { jitter: 0, initialDelayMs: 400 } })
    expect(await fast.waitFor('reconnect')).toMatchObject({ delayMs: 400 })
  })

  it('sends the configured Last-Event-ID on the first connection', async () => {
    const h = open('/sse/ticker?interval=10&count=5&echo=1', { ...once, sse: { lastEventId: '3' } })
    await h.session.ended
    expect(header(h.ofKind('request')[0]!, 'last-event-id')).toBe('3')
    expect(h.ofKind('event').map((e) => e.id)).toEqual(['4', '5'])
  })

  it('stops for good on 204', async () => {
    const h = open('/sse/ticker?status=204', { reconnect: { initialDelayMs: 10 } })
    await expect(h.session.ended).resolves.toBe('closed')
    expect(h.ofKind('response')[0]!.status).toBe(204)
    expect(h.ofKind('close')[0]).toMatchObject({ cause: 'remote-close', reason: expect.stringContaining('204') })
    expect(h.ofKind('reconnect')).toEqual([])
  })

  it('fails without reconnecting on a wrong Content-Type, keeping the body as evidence', async () => {
    const h = open('/sse/ticker?interval=10&count=2&type=text/plain', { reconnect: { initialDelayMs: 10 } })
    await expect(h.session.ended).resolves.toBe('failed')
    const response = h.ofKind('response')[0]!
    expect(response.headers['content-type']).toBe('text/plain')
    expect(response.body).toContain('id: 2\n')
    expect(h.ofKind('error')[0]).toMatchObject({ code: 'E_SSE_BAD_CONTENT_TYPE', message: expect.stringContaining('text/plain') })
    expect(h.ofKind('reconnect')).toEqual([])
    expect(h.ofKind('event')).toEqual([])
  })

  it('fails without reconnecting on 500, keeping the error page', async () => {
    const h = open('/sse/ticker?status=500', { reconnect: { initialDelayMs: 10 } })
    await expect(h.session.ended).resolves.toBe('failed')
    expect(h.ofKind('response')[0]).toMatchObject({ status: 500, body: expect.stringContaining('500') })
    expect(h.ofKind('error')[0]).toMatchObject({ code: 'E_SSE_BAD_STATUS' })
    expect(h.ofKind('connecting').length).toBe(1)
  })

  it('follows redirects, showing every answer', async () => {
    const h = open('/sse/ticker?interval=10&count=1&redirect=2&redirectStatus=307', once)
    await expect(h.session.ended).resolves.toBe('closed')
    expect(h.ofKind('response').map((r) => r.status)).toEqual([307, 307, 200])
    expect(h.ofKind('request').map((r) => new URL(r.url).searchParams.get('redirect'))).toEqual(['2', '1', null])
    expect(h.ofKind('event').length).toBe(1)
  })

  it('gives up after 10 redirects', async () => {
    const h = open('/sse/ticker?redirect=12', once)
    await expect(h.session.ended).resolves.toBe('failed')
    expect(h.ofKind('error')[0]).toMatchObject({ code: 'E_SSE_TOO_MANY_REDIRECTS' })
    expect(h.ofKind('request').length).toBe(11)
  })

  it('tells a TCP reset from a FIN', async () => {
    const h = open('/sse/ticker?interval=10&reset=1', once)
    expect(await h.waitFor('close')).toMatchObject({ cause: 'reset', wasClean: false })
    expect(h.ofKind('event').length).toBe(1)
  })

  it('decodes a gzip stream, counting the compressed bytes as bytesIn', async () => {
    const h = open('/sse/ticker?interval=10&count=3&gzip=1', once)
    await h.session.ended
    expect(h.ofKind('response')[0]!.headers['content-encoding']).toBe('gzip')
    expect(h.ofKind('event').map((e) => e.id)).toEqual(['1', '2', '3'])
    expect(h.ofKind('chunk').map((c) => c.data).join('')).toContain('id: 3\n')
    const close = h.ofKind('close')[0]!
    expect(close.bytesIn).toBeGreaterThan(0)
    expect(close.bytesIn).not.toBe(h.ofKind('chunk').reduce((n, c) => n + c.size, 0))
  })

  it('leaves compression off when the user asks for identity', async () => {
    const h = open('/sse/ticker?interval=10&count=1&gzip=1', { ...once, headers: [{ name: 'accept-encoding', value: 'identity' }] })
    await h.session.ended
    expect(header(h.ofKind('request')[0]!, 'accept-encoding')).toBe('identity')
    expect(h.ofKind('response')[0]!.headers['content-encoding']).toBeUndefined()
    expect(h.ofKind('event').length).toBe(1)
  })

  it('refuses an event larger than limits.maxMessageBytes', async () => {
    const h = open('/sse/ticker?interval=10&count=3&size=5000', { ...once, limits: { maxMessageBytes: 1000 } })
    await expect(h.session.ended).resolves.toBe('failed')
    expect(h.ofKind('error')[0]).toMatchObject({ code: 'E_MESSAGE_TOO_BIG' })
    expect(h.ofKind('close')[0]).toMatchObject({ cause: 'local' })
    expect(h.ofKind('event')).toEqual([])
  })

  it.each(['crlf', 'utf8', 'byte'])('sees the same events when the server splits at awkward places (split=%s)', async (split) => {
    const h = open(`/sse/ticker?interval=5&count=2&split=${split}&gap=1&lines=2&event=a`, once)
    await h.session.ended
    expect(h.ofKind('event').map((e) => [e.event, e.id, e.data.split('\n')[1]])).toEqual([
      ['a', '1', 'line 2'],
      ['a', '2', 'line 2'],
    ])
    if (split === 'utf8') {
      expect(h.ofKind('event')[0]!.data.split('\n')[0]).toMatch(/ é€😀$/)
      expect(h.ofKind('chunk').some((c) => c.dataBase64 !== undefined && c.binary)).toBe(true)
    }
  })

  it('ends lines at a lone CR', async () => {
    const h = open('/sse/ticker?interval=5&count=2&eol=cr', once)
    await h.session.ended
    expect(h.ofKind('event').map((e) => e.id)).toEqual(['1', '2'])
  })

  it('closes on request, as a local close', async () => {
    const h = open('/sse/ticker?interval=10')
    await h.waitFor('event')
    h.session.close()
    await expect(h.session.ended).resolves.toBe('closed')
    expect(h.ofKind('close')[0]).toMatchObject({ cause: 'local', wasClean: false })
    expect(h.ofKind('reconnect')).toEqual([])
  })

  it('measures the silence before a cut', async () => {
    const h = open('/sse/ticker?interval=200&fin=0&retry=none', once)
    const close = await h.waitFor('close')
    expect(close.cause).toBe('fin')
    expect(close.idleMs).toBeGreaterThanOrEqual(150)
    expect(close.idleMs).toBeLessThan(1000)
  })

  it('sends a last event ID with non-ASCII characters as UTF-8', async () => {
    const h = open('/sse/ticker?interval=10&count=1&echo=1', { ...once, sse: { lastEventId: 'é€' } })
    await h.session.ended
    const echoed = (JSON.parse(h.ofKind('event')[0]!.data) as { lastEventId: string }).lastEventId
    // Node's server reads header bytes as Latin-1.
    expect(Buffer.from(echoed, 'latin1').toString('utf8')).toBe('é€')
  })

  it('says so, and reconnects without Last-Event-ID, when the ID cannot go in a header', async () => {
    const stream = Buffer.from('retry: 300\nid: a\u0001b\ndata: x\n\n').toString('base64')
    const h = open(`/sse/raw?b64=${encodeURIComponent(stream)}`, { reconnect: { jitter: 0, maxAttempts: 1 } })
    await h.waitFor('connecting', (c) => c.attempt === 2)
    expect(await h.waitFor('error')).toMatchObject({ code: 'E_SSE_LAST_EVENT_ID' })
    await h.waitFor('request', (r) => r !== h.ofKind('request')[0])
    expect(header(h.ofKind('request')[1]!, 'last-event-id')).toBeUndefined()
  })

  it('fails an attempt that cannot connect, and the policy retries it', async () => {
    const h = open('/sse/ticker', { url: 'http://127.0.0.1:1/sse', reconnect: { initialDelayMs: 300, jitter: 0, maxAttempts: 2 } })
    await expect(h.session.ended).resolves.toBe('failed')
    expect(h.ofKind('connecting').map((c) => c.attempt)).toEqual([1, 2])
    expect(h.ofKind('error').map((e) => e.code)).toEqual(['E_CONNECT_REFUSED', 'E_CONNECT_REFUSED', 'E_RECONNECT_GAVE_UP'])
  })

  it('names the proxy in the connecting frame', async () => {
    const h = open('/sse/ticker', { ...once, proxy: { mode: 'url', url: 'http://user:secret@127.0.0.1:1' } })
    await expect(h.session.ended).resolves.toBe('failed')
    expect(h.ofKind('connecting')[0]!.proxy).toMatch(/^http:\/\/user:\*\*\*@127\.0\.0\.1:1/)
  })
})
