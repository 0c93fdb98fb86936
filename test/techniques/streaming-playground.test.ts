// The Comet / HTTP streaming technique against the playground's /stream endpoint:
// raw chunks with their arrival times, the framings, awkward splits, and every way
// a streamed body can end.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionSpecInput, FrameOf } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { UTF8_SAMPLE } from '../../main/playground/stream-records.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession, type Harness } from '../helpers/session-harness.js'

let playground: Playground
let manager: SessionManager
beforeAll(async () => {
  playground = await startPlayground()
})
afterAll(() => playground.close())
afterEach(() => manager?.dispose())

type StreamingOptions = NonNullable<ConnectionSpecInput['streaming']>
const open = (path: string, streaming: StreamingOptions = {}, extra: Partial<ConnectionSpecInput> = {}): Harness => {
  manager = new SessionManager()
  return openSession(manager, { technique: 'streaming', url: playground.baseUrl + path, streaming, ...extra })
}

const seqs = (h: Harness) => h.ofKind('message').map((m) => (JSON.parse(m.data!) as { seq: number }).seq)
const kinds = (h: Harness) => h.frames.map((f) => f.kind)
/** The body bytes the chunk frames carried, joined. */
const chunkBytes = (h: Harness) => Buffer.concat(h.ofKind('chunk').map((c) => (c.data !== undefined ? Buffer.from(c.data) : Buffer.from(c.dataBase64!, 'base64'))))

describe('HTTP streaming: what arrives', () => {
  it('shows the request, the answer, open, then chunks with arrival times; a proper end is a clean remote close', async () => {
    const h = open('/stream?interval=40&count=3', { framing: 'none' })
    const close = await h.waitFor('close')
    expect(kinds(h)).toEqual(['connecting', 'request', 'response', 'open', 'chunk', 'chunk', 'chunk', 'close'])
    expect(h.ofKind('response')[0]).toMatchObject({ status: 200, headers: { 'transfer-encoding': 'chunked', 'content-type': 'application/x-ndjson' } })
    const chunks = h.ofKind('chunk')
    // One record every 40 ms: the chunk times show it. Measured over the whole span, as
    // one late timer on a busy machine makes the gap after it short.
    expect(chunks.at(-1)!.time - chunks[0]!.time).toBeGreaterThan(60)
    expect(chunks.every((c) => c.size === Buffer.byteLength(c.data!))).toBe(true)
    expect(close).toMatchObject({ code: 0, cause: 'remote-close', wasClean: true, reason: 'body ended', bytesIn: chunkBytes(h).length })
    expect(h.ofKind('message')).toHaveLength(0)
    await expect(h.session.ended).resolves.toBe('closed')
  })

  it('never takes a chunk for a message: a record cut in two chunks is one message, after its second chunk', async () => {
    const h = open('/stream?interval=10&count=3&split=delimiter')
    await h.waitFor('close')
    expect(h.ofKind('chunk')).toHaveLength(6)
    expect(seqs(h)).toEqual([1, 2, 3])
    // chunk (record), chunk ("\n"), then the message it completed.
    expect(kinds(h).slice(4, 7)).toEqual(['chunk', 'chunk', 'message'])
    await h.session.flush()
    expect(h.session.info().stats.messagesIn).toBe(3)
  })

  it('frames NDJSON one byte per chunk into the same messages', async () => {
    const h = open('/stream?interval=10&count=3&split=byte')
    await h.waitFor('close')
    expect(h.ofKind('chunk').every((c) => c.size === 1)).toBe(true)
    expect(seqs(h)).toEqual([1, 2, 3])
  })

  it('keeps characters whole when a write boundary falls inside them: the chunks are bytes, the messages text', async () => {
    const h = open('/stream?interval=10&count=2&split=utf8')
    await h.waitFor('close')
    // A chunk that ends inside a character is not valid UTF-8 on its own: shown as base64.
    expect(h.ofKind('chunk').some((c) => c.binary === true && c.dataBase64 !== undefined)).toBe(true)
    const messages = h.ofKind('message')
    expect(messages.map((m) => (JSON.parse(m.data!) as { text: string }).text)).toEqual([UTF8_SAMPLE, UTF8_SAMPLE])
    expect(messages.every((m) => m.binary === undefined && m.size === Buffer.byteLength(m.data!))).toBe(true)
  })
})

describe('HTTP streaming: framings', () => {
  it('delimiter: the playground default \\x1e, written as an escape', async () => {
    const h = open('/stream?format=delimiter&interval=10&count=3', { framing: 'delimiter', delimiter: '\\x1e' })
    await h.waitFor('close')
    expect(seqs(h)).toEqual([1, 2, 3])
  })

  it('delimiter: a multi-byte delimiter split across chunks', async () => {
    const h = open(`/stream?delimiter=${encodeURIComponent('<|>')}&interval=10&count=3&split=delimiter`, { framing: 'delimiter', delimiter: '<|>' })
    await h.waitFor('close')
    expect(h.ofKind('chunk').filter((c) => c.size === 1).length).toBeGreaterThanOrEqual(6)
    expect(seqs(h)).toEqual([1, 2, 3])
  })

  it('script: the payload of each parent.push(...), with the padding and a split inside </script> ignored', async () => {
    const h = open('/stream?format=script&interval=10&count=3&split=delimiter', { framing: 'script' })
    await h.waitFor('close')
    expect(h.ofKind('chunk').some((c) => c.data === '/')).toBe(true)
    expect(seqs(h)).toEqual([1, 2, 3])
    expect(h.ofKind('error')).toEqual([])
  })

  it('says once when NDJSON lines are not JSON, and keeps them as text messages', async () => {
    const h = open('/stream?format=script&interval=10&count=2', { framing: 'ndjson' })
    await h.waitFor('close')
    const notJson = h.ofKind('error').filter((e) => e.code === 'E_STREAM_NOT_JSON')
    expect(notJson).toHaveLength(1)
    expect(h.ofKind('message').length).toBeGreaterThan(3)
    expect(h.ofKind('message').some((m) => m.data?.startsWith('<script>parent.push('))).toBe(true)
  })

  it('reports a message left unfinished at the end of the body, without making it a message', async () => {
    // Records end with \x1e, so to an NDJSON reader the whole body is one unfinished line.
    const h = open('/stream?format=delimiter&interval=10&count=2')
    const close = await h.waitFor('close')
    expect(close).toMatchObject({ cause: 'remote-close', wasClean: true })
    const partial = h.ofKind('error').find((e) => e.code === 'E_PARTIAL_MESSAGE')
    expect(partial?.message).toContain(`${chunkBytes(h).length} bytes`)
    expect(h.ofKind('message')).toHaveLength(0)
  })

  it('refuses a delimiter it cannot decode', async () => {
    const h = open('/stream?interval=10&count=1', { framing: 'delimiter', delimiter: '\\q' })
    expect((await h.waitFor('error')).code).toBe('E_STREAM_DELIMITER')
    await expect(h.session.ended).resolves.toBe('failed')
  })
})

describe('HTTP streaming: how a body ends', () => {
  it('a chunked body without its terminating chunk is incomplete: cause fin, E_INCOMPLETE_BODY', async () => {
    const h = open('/stream?interval=20&count=5&fin=2')
    const close = await h.waitFor('close')
    expect(close).toMatchObject({ cause: 'fin', wasClean: false, reason: expect.stringContaining('terminating chunk') })
    expect(h.ofKind('error').map((e) => e.code)).toEqual(['E_INCOMPLETE_BODY'])
    expect(seqs(h)).toEqual([1, 2])
    // Cut when the third record was due, 20 ms after the second.
    expect(close.idleMs).toBeGreaterThanOrEqual(10)
    await expect(h.session.ended).resolves.toBe('closed')
  })

  it('a Content-Length body cut short is incomplete too, and says how much came', async () => {
    const h = open('/stream?interval=10&count=4&length=1&fin=2')
    const close = await h.waitFor('close')
    expect(h.ofKind('response')[0]!.headers['content-length']).toBe('404')
    expect(close).toMatchObject({ cause: 'fin', wasClean: false, bytesIn: 202, reason: expect.stringContaining('202 of 404 bytes') })
    expect(seqs(h)).toEqual([1, 2])
  })

  it('a Content-Length body that arrives whole ends cleanly', async () => {
    const h = open('/stream?interval=10&count=2&length=1')
    expect(await h.waitFor('close')).toMatchObject({ cause: 'remote-close', wasClean: true, bytesIn: 202 })
  })

  it('a TCP reset: cause reset, E_CONNECTION_RESET, the records before it kept', async () => {
    const h = open('/stream?interval=20&count=5&reset=2')
    const close = await h.waitFor('close')
    expect(close).toMatchObject({ cause: 'reset', wasClean: false })
    expect(h.ofKind('error').map((e) => e.code)).toContain('E_CONNECTION_RESET')
    expect(seqs(h)).toEqual([1, 2])
  })

  it('an incomplete body also reports the message it cut', async () => {
    const h = open('/stream?format=delimiter&interval=10&count=3&fin=1')
    await h.waitFor('close')
    expect(h.ofKind('error').map((e) => e.code)).toEqual(['E_INCOMPLETE_BODY', 'E_PARTIAL_MESSAGE'])
  })

  it('gives up after streaming.idleTimeoutMs without a byte: cause timeout', async () => {
    // Long enough that the answer's headers come first even on a loaded machine (else it
    // is the "no answer" case below, with no close frame).
    const h = open('/stream?silence=5000&interval=1000', { idleTimeoutMs: 800 })
    const close = await h.waitFor('close')
    expect(close).toMatchObject({ cause: 'timeout', wasClean: false })
    expect(close.idleMs).toBeGreaterThanOrEqual(790)
    expect(close.idleMs).toBeLessThan(1300)
    expect(h.ofKind('error').map((e) => e.code)).toEqual(['E_TIMEOUT'])
  })

  it('the idle timeout also covers waiting for the answer', async () => {
    const h = open('/stream?headerDelay=5000', { idleTimeoutMs: 100 })
    expect(await h.waitFor('error')).toMatchObject({ code: 'E_TIMEOUT', message: expect.stringContaining('no answer') })
    await expect(h.session.ended).resolves.toBe('failed')
  })

  it('decodes a gzip body chunk by chunk; the answer still shows the encoding it came with', async () => {
    const h = open('/stream?interval=20&count=3&gzip=1')
    const close = await h.waitFor('close')
    expect(h.ofKind('response')[0]!.headers['content-encoding']).toBe('gzip')
    expect(chunkBytes(h).toString()).toMatch(/^(\{"seq":\d+,"sentAt":[\d.]+\}\n){3}$/)
    expect(seqs(h)).toEqual([1, 2, 3])
    // Flushed per record: the messages came apart, not in one burst at the end.
    const messages = h.ofKind('message')
    expect(messages[2]!.time - messages[0]!.time).toBeGreaterThan(25)
    // bytesIn counts what came over the wire: compressed.
    expect(close.bytesIn).not.toBe(chunkBytes(h).length)
    expect(close).toMatchObject({ cause: 'remote-close', wasClean: true })
  })

  it('keeps a non-2xx answer with its (decoded) body as evidence and fails', async () => {
    const h = open('/stream?status=500&gzip=1')
    const response = await h.waitFor('response')
    expect(response).toMatchObject({ status: 500, headers: { 'content-encoding': 'gzip' }, body: expect.stringContaining('answered 500') })
    expect(await h.waitFor('error')).toMatchObject({ code: 'E_HTTP_STATUS', message: 'the server answered 500 Internal Server Error' })
    await expect(h.session.ended).resolves.toBe('failed')
    expect(h.ofKind('open')).toHaveLength(0)
  })

  it('waits for headers held back by the server, and times the answer', async () => {
    const h = open('/stream?headerDelay=150&interval=10&count=1')
    const response = await h.waitFor('response')
    expect(response.durationMs).toBeGreaterThanOrEqual(140)
    await h.waitFor('close')
  })
})

describe('HTTP streaming: limits and closing', () => {
  it('stops at a message growing past limits.maxMessageBytes: E_MESSAGE_TOO_BIG, then the attempt fails', async () => {
    const h = open('/stream?interval=10&count=3&size=600&split=byte', {}, { limits: { maxMessageBytes: 256 } })
    const close = await h.waitFor('close')
    expect(h.ofKind('error').map((e) => e.code)).toEqual(['E_MESSAGE_TOO_BIG'])
    expect(close).toMatchObject({ cause: 'local', wasClean: false })
    // It stopped reading as soon as the partial message passed the limit.
    expect(chunkBytes(h).length).toBe(257)
    expect(h.ofKind('message')).toHaveLength(0)
    await expect(h.session.ended).resolves.toBe('failed')
  })

  it('also refuses a whole message over the limit that came in one chunk', async () => {
    const h = open('/stream?interval=10&count=3&size=600', {}, { limits: { maxMessageBytes: 256 } })
    await h.waitFor('close')
    expect(h.ofKind('error').map((e) => e.code)).toEqual(['E_MESSAGE_TOO_BIG'])
    await expect(h.session.ended).resolves.toBe('failed')
  })

  it('closes on request: cause local, and no socket or timer is left behind', async () => {
    const before = resources()
    const h = open('/stream?interval=20')
    await h.waitFor('message')
    h.session.close()
    const close = await h.waitFor('close')
    expect(close).toMatchObject({ cause: 'local', wasClean: false, reason: 'closed by the user' })
    await expect(h.session.ended).resolves.toBe('closed')
    // Both ends live in this process: the client's socket and the server's.
    await eventually(() => resources().sockets <= before.sockets && resources().timers <= before.timers)
  })

  it('closes while still connecting', async () => {
    const h = open('/stream?headerDelay=5000')
    await h.waitFor('request')
    h.session.close()
    expect(await h.waitFor('close')).toMatchObject({ cause: 'local', reason: expect.stringContaining('before the answer') })
    await expect(h.session.ended).resolves.toBe('closed')
  })

  it('refuses to send: a stream only receives', async () => {
    const h = open('/stream?interval=1000')
    await h.waitFor('open')
    expect(h.session.send({ type: 'text', data: 'x' })).toMatchObject({ ok: false, error: { code: 'E_NOT_SUPPORTED' } })
  })

  it('reports a refused connection as E_CONNECT_REFUSED', async () => {
    const { createServer } = await import('node:net')
    const server = createServer().listen(0, '127.0.0.1')
    await new Promise((r) => server.once('listening', r))
    const port = (server.address() as { port: number }).port
    await new Promise((r) => server.close(r))
    manager = new SessionManager()
    const h = openSession(manager, { technique: 'streaming', url: `http://127.0.0.1:${port}/` })
    expect((await h.waitFor('error')).code).toBe('E_CONNECT_REFUSED')
    await expect(h.session.ended).resolves.toBe('failed')
  })
})

describe('HTTP streaming: reconnects', () => {
  it('does not reconnect unless asked', async () => {
    const h = open('/stream?interval=10&count=3&fin=1')
    await h.waitFor('close')
    await expect(h.session.ended).resolves.toBe('closed')
    expect(h.ofKind('reconnect')).toHaveLength(0)
  })

  it('reconnects when the policy asks, with a new attempt', async () => {
    const h = open('/stream?interval=10&count=3&fin=1', {}, { reconnect: { enabled: true, initialDelayMs: 20, maxAttempts: 3 } })
    await h.waitFor('connecting', (f) => f.attempt === 2)
    expect(h.ofKind('reconnect')[0]).toMatchObject({ attempt: 2 })
    await h.waitFor('close', (f: FrameOf<'close'>) => f.seq > h.ofKind('connecting')[1]!.seq)
    h.session.close()
  })
})

function resources(): { sockets: number; timers: number } {
  const active = process.getActiveResourcesInfo()
  return { sockets: active.filter((r) => r === 'TCPSocketWrap').length, timers: active.filter((r) => r === 'Timeout').length }
}

async function eventually(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not reached in time: ${JSON.stringify(process.getActiveResourcesInfo())}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
