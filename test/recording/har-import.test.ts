// Importing HAR files other tools wrote: Chrome DevTools (WebSocket messages in
// `_webSocketMessages`), Firefox and API tools (plain entries, imported as polling),
// and the bad files people will feed it — each refused with one clear error.
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FrameSchema, type Frame } from '../../main/contract/index.js'
import { HarImportError, importHar, readHar } from '../../main/recording/har-import.js'
import { readFrames } from './har-helpers.js'

const CHROME_FIXTURE = fileURLToPath(new URL('./fixtures/chrome-websocket.har', import.meta.url))

let dir: string
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'rti-har-import-'))))
afterAll(async () => rm(dir, { recursive: true, force: true }))

let counter = 0
async function harFile(value: unknown): Promise<string> {
  const path = join(dir, `in-${++counter}.har`)
  await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value))
  return path
}

/** A plain HAR entry as Firefox, Postman, Insomnia or mitmproxy write them. */
function plainEntry(url: string, at: string, body: string, extra: { status?: number; headers?: { name: string; value: string }[] } = {}) {
  return {
    startedDateTime: at,
    time: 25,
    request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: [{ name: 'Accept', value: 'application/json' }], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
    response: {
      status: extra.status ?? 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Content-Type', value: 'application/json' }, ...(extra.headers ?? [])],
      cookies: [],
      content: { size: body.length, mimeType: 'application/json', text: body },
      redirectURL: '',
      headersSize: -1,
      bodySize: body.length,
    },
    cache: {},
    timings: { send: 0, wait: 25, receive: 0 },
  }
}
const log = (entries: unknown[], creator = 'Firefox') => ({ log: { version: '1.2', creator: { name: creator, version: '128.0' }, entries } })

describe('importing a HAR saved by Chrome DevTools', () => {
  it('makes one WebSocket recording with the handshake, every message at its time, text and binary', async () => {
    const result = await importHar(CHROME_FIXTURE, join(dir, 'chrome.rti.jsonl'))
    // The page's own document is one-off traffic, not a realtime session.
    expect(result).toMatchObject({ skippedEntries: 1, created: [{ technique: 'websocket', frames: 10, messages: 5 }] })
    const { header, frames, problems } = await readFrames(result.created[0]!.path)
    expect(problems).toEqual([])
    frames.forEach((f) => FrameSchema.parse(f))
    expect(header).toMatchObject({ format: 'rti-session', version: 1, source: 'har-import', spec: { technique: 'websocket' }, startedAt: Date.parse('2026-03-02T10:15:30.400Z') })
    expect(frames.map((f) => f.kind)).toEqual(['connecting', 'request', 'response', 'open', 'message', 'message', 'message', 'message', 'message', 'close'])
    const byKind = <K extends Frame['kind']>(kind: K) => frames.filter((f): f is Extract<Frame, { kind: K }> => f.kind === kind)
    expect(byKind('response')[0]).toMatchObject({ status: 101, statusText: 'Switching Protocols', httpVersion: '1.1', durationMs: 12.6, time: Date.parse('2026-03-02T10:15:30.400Z') + 12.6 })
    expect(byKind('open')[0]).toMatchObject({ protocol: 'chat.v2', extensions: 'permessage-deflate' })
    const messages = byKind('message')
    expect(messages.map((m) => [m.direction, m.data ?? m.dataBase64, m.binary ?? false, m.size])).toEqual([
      ['out', '{"op":"join","room":"lobby"}', false, 28],
      ['in', '{"op":"joined","members":3}', false, 27],
      ['in', 'AAECA/7/', true, 6],
      ['out', 'héllo ✓', false, 10],
      ['in', 'héllo ✓', false, 10],
    ])
    expect(messages[2]!.time).toBeCloseTo(1772446531001.7, 3)
    expect(byKind('close')[0]).toMatchObject({ code: 1005, bytesIn: 27 + 6 + 10, bytesOut: 28 + 10, reason: expect.stringMatching(/HAR/) })
  })

  it('redacts the cookie and the token in the URL unless asked to keep them', async () => {
    const { created } = await importHar(CHROME_FIXTURE, join(dir, 'chrome-redacted.rti.jsonl'))
    const request = (await readFrames(created[0]!.path)).frames.find((f) => f.kind === 'request')!
    expect(request).toMatchObject({ headers: { Cookie: '[redacted]', Origin: 'https://chat.example.com' } })
    expect(request.kind === 'request' && request.url).toBe('wss://chat.example.com/socket?room=lobby&access_token=%5Bredacted%5D')

    const kept = await importHar(CHROME_FIXTURE, join(dir, 'chrome-kept.rti.jsonl'), { includeSecrets: true })
    const keptRequest = (await readFrames(kept.created[0]!.path)).frames.find((f) => f.kind === 'request')!
    expect(keptRequest).toMatchObject({ headers: { Cookie: 'session=abc123' }, url: 'wss://chat.example.com/socket?room=lobby&access_token=s3cr3t' })
  })
})

describe('importing HAR files from other tools', () => {
  it('Firefox (no WebSocket messages): requests to one URL become one polling recording, a message per body', async () => {
    const base = Date.parse('2026-03-02T11:00:00.000Z')
    const at = (ms: number) => new Date(base + ms).toISOString()
    const path = await harFile(
      log([
        plainEntry('https://api.example.com/status?n=1', at(0), '{"v":1}'),
        plainEntry('https://api.example.com/status?n=2', at(1000), '', { status: 304 }),
        plainEntry('https://api.example.com/status?n=3', at(2000), '{"v":2}'),
        plainEntry('https://cdn.example.com/logo.png', at(10), ''),
      ]),
    )
    const result = await importHar(path, join(dir, 'firefox.rti.jsonl'))
    expect(result).toMatchObject({ skippedEntries: 1, created: [{ technique: 'polling', url: 'https://api.example.com/status?n=1', messages: 2 }] })
    const { frames } = await readFrames(result.created[0]!.path)
    frames.forEach((f) => FrameSchema.parse(f))
    expect(frames.map((f) => f.kind)).toEqual(['connecting', 'request', 'response', 'open', 'message', 'request', 'response', 'request', 'response', 'message', 'close'])
    expect(frames.filter((f) => f.kind === 'response').map((f) => f.kind === 'response' && [f.status, f.unchanged ?? false])).toEqual([
      [200, false],
      [304, true],
      [200, false],
    ])
    expect(frames.filter((f) => f.kind === 'message').map((f) => [f.time - base, f.kind === 'message' && f.data])).toEqual([
      [25, '{"v":1}'],
      [2025, '{"v":2}'],
    ])
  })

  it('an API tool (Postman, Insomnia, mitmproxy style): a single plain request is still imported', async () => {
    const path = await harFile(log([plainEntry('http://127.0.0.1:8080/items', '2026-03-02T12:00:00.000Z', '[1,2,3]', { headers: [{ name: 'Set-Cookie', value: 'sid=xyz' }] })], 'Insomnia'))
    const { created } = await importHar(path, dir + '/')
    expect(created).toEqual([expect.objectContaining({ path: join(dir, `in-${counter}.rti.jsonl`), technique: 'polling', messages: 1 })])
    const response = (await readFrames(created[0]!.path)).frames.find((f) => f.kind === 'response')
    expect(response).toMatchObject({ body: '[1,2,3]', headers: { 'Set-Cookie': '[redacted]' } })
  })

  it('an SSE response saved with its body but no _eventSourceMessages: the events parsed from the body, at the response time', async () => {
    const body = 'retry: 2000\n\nid: 1\nevent: tick\ndata: a\n\n: heartbeat\n\ndata: b\ndata: c\n\n'
    const entry = plainEntry('https://api.example.com/events', '2026-03-02T13:00:00.000Z', body)
    entry.response.content.mimeType = 'text/event-stream'
    const { created } = await importHar(await harFile(log([entry])), join(dir, 'sse-body.rti.jsonl'))
    expect(created).toEqual([expect.objectContaining({ technique: 'sse', messages: 2 })])
    const { frames } = await readFrames(created[0]!.path)
    frames.forEach((f) => FrameSchema.parse(f))
    expect(frames.map((f) => f.kind)).toEqual(['connecting', 'request', 'response', 'open', 'event', 'comment', 'event', 'close'])
    expect(frames.filter((f) => f.kind === 'event').map((f) => f.kind === 'event' && [f.event, f.id, f.data, f.time])).toEqual([
      ['tick', '1', 'a', Date.parse('2026-03-02T13:00:00.000Z') + 25],
      ['message', '1', 'b\nc', Date.parse('2026-03-02T13:00:00.000Z') + 25],
    ])
  })

  it('several realtime entries give one numbered recording each, never over an existing file', async () => {
    const fixture = (await readHar(CHROME_FIXTURE)).log.entries[1]!
    const second = { ...fixture, startedDateTime: '2026-03-02T10:16:00.000Z', _webSocketMessages: [] }
    const path = await harFile(log([fixture, second]))
    const out = join(dir, 'two.rti.jsonl')
    const { created } = await importHar(path, out)
    expect(created.map((c) => c.path)).toEqual([join(dir, 'two-1.rti.jsonl'), join(dir, 'two-2.rti.jsonl')])
    await expect(importHar(path, out)).rejects.toMatchObject({ code: 'E_EXPORT_EXISTS', message: expect.stringContaining('two-1.rti.jsonl already exists') })
  })
})

describe('bad HAR files: one clear error each', () => {
  const expectError = async (path: string, code: string, message: RegExp) => {
    const error = await importHar(path, join(dir, `never-${counter}.rti.jsonl`)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HarImportError)
    expect(error).toMatchObject({ code, message: expect.stringMatching(message) })
    expect((error as Error).message).not.toMatch(/\n/)
  }

  it('not JSON', async () => expectError(await harFile('<html>not a har</html>'), 'E_HAR_NOT_JSON', /is not a HAR file: not JSON/))

  it('a version that is not HAR 1.1 or 1.2', async () => {
    await expectError(await harFile({ log: { version: '2.0', entries: [] } }), 'E_HAR_VERSION', /log\.version is "2\.0"; only HAR 1\.1 and 1\.2/)
  })

  it('missing fields, named by their path', async () => {
    const entry = plainEntry('http://x/', '2026-03-02T12:00:00.000Z', '1')
    const { url: _url, ...requestWithoutUrl } = entry.request
    await expectError(await harFile(log([entry, { ...entry, request: requestWithoutUrl }])), 'E_HAR_INVALID', /log\.entries\[1\]\.request\.url: missing$/)
    await expectError(await harFile({ nolog: true }), 'E_HAR_INVALID', /not a valid HAR: log: missing$/)
    await expectError(await harFile(log([{ ...entry, startedDateTime: 'yesterday' }])), 'E_HAR_INVALID', /log\.entries\[0\]\.startedDateTime: not an ISO 8601 date/)
    const badMessage = { ...entry, _webSocketMessages: [{ type: 'send', time: 1, opcode: 1 }] }
    await expectError(await harFile(log([badMessage])), 'E_HAR_INVALID', /log\.entries\[0\]\._webSocketMessages\[0\]\.data: /)
  })

  it('a 2 GB file is refused before it is read', async () => {
    const path = join(dir, 'huge.har')
    const handle = await open(path, 'w')
    await handle.truncate(2 * 1024 * 1024 * 1024) // sparse: no disk used, no memory either
    await handle.close()
    await expectError(path, 'E_HAR_TOO_BIG', /is 2\.0 GiB; HAR files over 256 MiB are not imported/)
  })

  it('a HAR with no entries, and a missing file', async () => {
    await expectError(await harFile(log([])), 'E_HAR_NOTHING_TO_IMPORT', /has no entries to import/)
    await expectError(join(dir, 'missing.har'), 'E_HAR_UNREADABLE', /cannot read .*missing\.har/)
  })
})
