// What an exported HAR looks like for each technique, what is hidden in it, and the
// two plain exports (the messages as NDJSON, a copy of the recording).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from '../../main/contract/index.js'
import { exportHar } from '../../main/recording/har-export.js'
import { copyRecording, exportMessagesNdjson } from '../../main/recording/ndjson-export.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { recordSession, writeRecording } from './har-helpers.js'

let playground: Playground
let dir: string
beforeAll(async () => {
  playground = await startPlayground()
  dir = await mkdtemp(join(tmpdir(), 'rti-har-export-'))
})
afterAll(async () => {
  await playground?.close()
  await rm(dir, { recursive: true, force: true })
})

const T0 = Date.parse('2026-03-02T09:00:00.000Z')
let seq = 0
const at = (ms: number) => ({ seq: ++seq, time: T0 + ms })
const f = (frame: object) => frame as Frame

async function exported(name: string, spec: { technique: string; url: string }, frames: Frame[], options = {}) {
  const recording = join(dir, `${name}.rti.jsonl`)
  await writeRecording(recording, spec, frames)
  const path = join(dir, `${name}.har`)
  const summary = await exportHar(recording, path, options)
  return { summary, har: JSON.parse(await readFile(path, 'utf8')), text: await readFile(path, 'utf8') }
}

const sseFrames = (): Frame[] => {
  seq = 0
  const url = 'http://127.0.0.1:1/events'
  return [
    f({ ...at(0), kind: 'connecting', direction: 'system', url, attempt: 1 }),
    f({ ...at(1), kind: 'request', direction: 'out', method: 'GET', url, headers: { Accept: 'text/event-stream' } }),
    f({ ...at(21), kind: 'response', direction: 'in', status: 200, headers: { 'content-type': 'text/event-stream' }, httpVersion: '1.1', durationMs: 20 }),
    f({ ...at(21), kind: 'open', direction: 'system', protocol: '' }),
    f({ ...at(30), kind: 'chunk', direction: 'in', size: 20, data: 'id: 7\ndata: hello\n\n' }),
    f({ ...at(30), kind: 'event', direction: 'in', event: 'message', data: 'hello', id: '7' }),
    f({ ...at(45.5), kind: 'event', direction: 'in', event: 'price', data: '{"p":1}', id: '8', retry: 1500 }),
    f({ ...at(60), kind: 'close', direction: 'system', code: 0, reason: 'the server ended the event stream', wasClean: true, idleMs: 14.5, bytesIn: 60, bytesOut: 0, cause: 'remote-close' }),
  ]
}

describe('HAR export shapes', () => {
  it('SSE: one eventsource entry with every event in _eventSourceMessages, times in seconds', async () => {
    const { har, summary } = await exported('sse', { technique: 'sse', url: 'http://127.0.0.1:1/events' }, sseFrames())
    expect(summary).toMatchObject({ entries: 1, messages: 2, problems: [] })
    expect(har.log).toMatchObject({ version: '1.2', creator: { name: 'Realtime Inspector' }, _rtiRecording: { technique: 'sse' } })
    const [entry] = har.log.entries
    expect(entry).toMatchObject({
      startedDateTime: new Date(T0 + 1).toISOString(),
      time: 20,
      _resourceType: 'eventsource',
      request: { method: 'GET', url: 'http://127.0.0.1:1/events', httpVersion: 'HTTP/1.1', headers: [{ name: 'Accept', value: 'text/event-stream' }] },
      response: { status: 200, httpVersion: 'HTTP/1.1', content: { mimeType: 'text/event-stream' } },
      timings: { wait: 20 },
    })
    expect(entry._eventSourceMessages).toEqual([
      { time: (T0 + 30) / 1000, eventName: 'message', eventId: '7', data: 'hello' },
      { time: (T0 + 45.5) / 1000, eventName: 'price', eventId: '8', data: '{"p":1}', retry: 1500 },
    ])
    expect(entry._rtiClose).toMatchObject({ code: 0, cause: 'remote-close', time: (T0 + 60) / 1000 })
  })

  it('polling: a normal entry per request/response, body as text or base64, 304s marked', async () => {
    seq = 0
    const url = 'http://127.0.0.1:1/poll'
    const frames = [
      f({ ...at(0), kind: 'connecting', direction: 'system', url, attempt: 1 }),
      f({ ...at(1), kind: 'request', direction: 'out', method: 'GET', url, headers: { host: '127.0.0.1:1' } }),
      f({ ...at(6), kind: 'response', direction: 'in', status: 200, headers: { 'content-type': 'application/json', etag: '"1"', 'set-cookie': ['a=1', 'b=2'] }, httpVersion: '1.1', durationMs: 5, body: '{"n":1}' }),
      f({ ...at(6), kind: 'open', direction: 'system', protocol: 'HTTP/1.1' }),
      f({ ...at(6), kind: 'message', direction: 'in', data: '{"n":1}', size: 7 }),
      f({ ...at(1001), kind: 'request', direction: 'out', method: 'GET', url, headers: { 'If-None-Match': '"1"' } }),
      f({ ...at(1004), kind: 'response', direction: 'in', status: 304, headers: {}, httpVersion: '1.1', durationMs: 3, unchanged: true }),
      f({ ...at(2001), kind: 'request', direction: 'out', method: 'GET', url, headers: {} }),
      f({ ...at(2009), kind: 'response', direction: 'in', status: 200, headers: { 'content-type': 'application/octet-stream' }, httpVersion: '1.1', durationMs: 8, bodyBase64: 'AP8=' }),
      f({ ...at(2009), kind: 'message', direction: 'in', dataBase64: 'AP8=', binary: true, size: 2 }),
    ]
    const { har, summary } = await exported('poll', { technique: 'polling', url }, frames)
    expect(summary).toMatchObject({ entries: 3, messages: 2, redacted: 2 })
    const [first, second, third] = har.log.entries
    expect(first).toMatchObject({ startedDateTime: new Date(T0 + 1).toISOString(), time: 5, _resourceType: 'xhr', response: { status: 200, content: { size: 7, mimeType: 'application/json', text: '{"n":1}' } } })
    expect(first.response.headers).toEqual([
      { name: 'content-type', value: 'application/json' },
      { name: 'etag', value: '"1"' },
      { name: 'set-cookie', value: '[redacted]' },
      { name: 'set-cookie', value: '[redacted]' },
    ])
    expect(first._rtiMessages).toEqual([{ type: 'receive', time: (T0 + 6) / 1000, opcode: 1, data: '{"n":1}' }])
    expect(second).toMatchObject({ _rtiUnchanged: true, response: { status: 304 }, _rtiMessages: [] })
    expect(third.response.content).toEqual({ size: 2, mimeType: 'application/octet-stream', text: 'AP8=', encoding: 'base64' })
  })

  it('streaming: the body cut at the cap says so, in the entry and the summary', async () => {
    seq = 0
    const url = 'http://127.0.0.1:1/stream'
    const frames = [
      f({ ...at(0), kind: 'request', direction: 'out', method: 'GET', url, headers: {} }),
      f({ ...at(2), kind: 'response', direction: 'in', status: 200, headers: { 'content-type': 'application/x-ndjson' }, httpVersion: '1.1', durationMs: 2 }),
      f({ ...at(5), kind: 'chunk', direction: 'in', size: 6, data: '{"a"}\n' }),
      f({ ...at(9), kind: 'chunk', direction: 'in', size: 6, data: '{"b"}\n' }),
    ]
    const { har, summary } = await exported('stream-cut', { technique: 'streaming', url }, frames, { maxContentBytes: 8 })
    expect(har.log.entries[0].response.content).toMatchObject({ size: 8, text: '{"a"}\n{"' })
    expect(har.log.entries[0]._chunks).toEqual([{ time: (T0 + 5) / 1000, size: 6 }, { time: (T0 + 9) / 1000, size: 6 }])
    expect(summary.truncated).toEqual([expect.stringMatching(/^4 bytes of body .* over the export caps were left out$/)])
  })
})

describe('secrets in an exported HAR', () => {
  it('are redacted by default in a real session, and kept with includeSecrets', async () => {
    const url = `${playground.baseUrl.replace('http', 'ws')}/ws/echo?api_key=k-123&room=1`
    const frames = await recordSession(
      { technique: 'websocket', url, headers: [{ name: 'Authorization', value: 'Bearer tok-456' }, { name: 'Cookie', value: 'sid=789' }, { name: 'Proxy-Authorization', value: 'Basic cHJveHk=' }] },
      async (h) => {
        await h.waitFor('open')
        h.session.send({ type: 'text', data: 'hi' })
        await h.waitFor('message', (m) => m.direction === 'in')
      },
    )
    const spec = { technique: 'websocket', url }
    const redacted = await exported('secret', spec, frames)
    for (const secret of ['tok-456', 'sid=789', 'cHJveHk=', 'k-123']) expect(redacted.text).not.toContain(secret)
    const headers = redacted.har.log.entries[0].request.headers as { name: string; value: string }[]
    expect(headers.filter((h) => /authorization|cookie/i.test(h.name)).map((h) => h.value)).toEqual(['[redacted]', '[redacted]', '[redacted]'])
    expect(redacted.har.log.entries[0].request.url).toContain('api_key=%5Bredacted%5D&room=1')
    // Three headers, the request URL and the recording's URL in log._rtiRecording.
    expect(redacted.summary.redacted).toBe(5)

    const kept = await exported('secret-kept', spec, frames, { includeSecrets: true })
    for (const secret of ['tok-456', 'sid=789', 'cHJveHk=', 'k-123']) expect(kept.text).toContain(secret)
    expect(kept.summary.redacted).toBe(0)
  })
})

describe('NDJSON of the messages, and a copy', () => {
  it('writes only the message and event frames, one per line', async () => {
    const recording = join(dir, 'nd.rti.jsonl')
    await writeRecording(recording, { technique: 'sse', url: 'http://127.0.0.1:1/events' }, sseFrames())
    const out = join(dir, 'nd.ndjson')
    expect(await exportMessagesNdjson(recording, out)).toEqual({ messages: 2, problems: [] })
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line))
    expect(lines).toEqual([expect.objectContaining({ kind: 'event', data: 'hello', seq: 6 }), expect.objectContaining({ kind: 'event', event: 'price', seq: 7 })])
    await expect(exportMessagesNdjson(recording, out)).rejects.toMatchObject({ code: 'E_EXPORT_EXISTS' })
  })

  it('copies a recording byte for byte, and refuses a file that is not one', async () => {
    const recording = join(dir, 'copy-src.rti.jsonl')
    await writeRecording(recording, { technique: 'sse', url: 'http://127.0.0.1:1/events' }, sseFrames())
    await copyRecording(recording, join(dir, 'copy.rti.jsonl'))
    expect(await readFile(join(dir, 'copy.rti.jsonl'), 'utf8')).toBe(await readFile(recording, 'utf8'))
    await writeFile(join(dir, 'not.txt'), 'hello\n')
    await expect(copyRecording(join(dir, 'not.txt'), join(dir, 'not-copy.rti.jsonl'))).rejects.toMatchObject({ code: 'E_RECORDING_NOT_RECORDING' })
  })
})
