// Record a real session → export it as HAR → import the HAR: the same messages come
// back (data, direction, order, times within 1 ms), for every technique.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FrameSchema, type ConnectionSpecInput, type Frame } from '../../main/contract/index.js'
import { exportHar } from '../../main/recording/har-export.js'
import { importHar } from '../../main/recording/har-import.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { messagesOf, readFrames, recordSession, writeRecording } from './har-helpers.js'

let playground: Playground
let dir: string
beforeAll(async () => {
  playground = await startPlayground({ pollEveryMs: 40, longPollEveryMs: 40 })
  dir = await mkdtemp(join(tmpdir(), 'rti-har-roundtrip-'))
})
afterAll(async () => {
  await playground?.close()
  await rm(dir, { recursive: true, force: true })
})

async function roundTrip(name: string, spec: ConnectionSpecInput & { url: string }, frames: Frame[]) {
  const recording = join(dir, `${name}.rti.jsonl`)
  await writeRecording(recording, { technique: spec.technique, url: spec.url }, frames)
  const har = join(dir, `${name}.har`)
  const summary = await exportHar(recording, har)
  const imported = join(dir, `${name}-imported.rti.jsonl`)
  const result = await importHar(har, imported)
  expect(result.created).toEqual([expect.objectContaining({ path: imported, technique: spec.technique })])
  const back = await readFrames(imported)
  expect(back.problems).toEqual([])
  expect(back.header).toMatchObject({ source: 'har-import', spec: { technique: spec.technique } })
  // Every imported frame is a contract frame, seq strictly increasing from 1.
  for (const frame of back.frames) FrameSchema.parse(frame)
  expect(back.frames.map((f) => f.seq)).toEqual(back.frames.map((_, i) => i + 1))
  return { summary, har: JSON.parse(await readFile(har, 'utf8')), frames: back.frames }
}

function expectSameMessages(actual: Frame[], expected: Frame[]) {
  const a = messagesOf(actual)
  const e = messagesOf(expected)
  expect(e.length).toBeGreaterThan(0)
  expect(a.map(({ time: _t, ...rest }) => rest)).toEqual(e.map(({ time: _t, ...rest }) => rest))
  a.forEach((m, i) => expect(Math.abs(m.time - e[i]!.time)).toBeLessThan(1))
}

describe('HAR round trip of real sessions', () => {
  it('WebSocket: text and binary, both directions, and how it closed', async () => {
    const spec = { technique: 'websocket' as const, url: playground.baseUrl.replace('http', 'ws') + '/ws/echo' }
    const frames = await recordSession(spec, async (h) => {
      await h.waitFor('open')
      h.session.send({ type: 'text', data: 'hello ✓' })
      h.session.send({ type: 'binary', base64: Buffer.from([0, 1, 2, 255]).toString('base64') })
      h.session.send({ type: 'text', data: '{"n":3}' })
      await h.waitFor('message', (f) => f.direction === 'in' && f.data === '{"n":3}')
      h.session.send({ type: 'close', code: 4001, reason: 'done' })
      await h.waitFor('close')
    })
    const { har, frames: back } = await roundTrip('ws', spec, frames)
    expectSameMessages(back, frames)
    const entry = har.log.entries[0]
    expect(entry._resourceType).toBe('websocket')
    expect(entry.response.status).toBe(101)
    expect(entry._webSocketMessages[1]).toEqual({ type: 'send', time: expect.any(Number), opcode: 2, data: 'AAEC/w==' })
    expect(back.map((f) => f.kind)).toEqual(['connecting', 'request', 'response', 'open', 'message', 'message', 'message', 'message', 'message', 'message', 'close'])
    expect(back.at(-1)).toMatchObject({ kind: 'close', code: 4001, reason: 'done', cause: 'local', bytesOut: 4 + 9 + 7 })
  })

  it('WebSocket refused with 403: the answer and its body kept as evidence, the error back on import', async () => {
    const spec = { technique: 'websocket' as const, url: playground.baseUrl.replace('http', 'ws') + '/ws/reject?status=403' }
    const frames = await recordSession(spec, async (h) => {
      await h.waitFor('error')
    })
    const recording = join(dir, 'ws-refused.rti.jsonl')
    await writeRecording(recording, spec, frames)
    await exportHar(recording, join(dir, 'ws-refused.har'))
    const har = JSON.parse(await readFile(join(dir, 'ws-refused.har'), 'utf8'))
    const original = frames.find((f) => f.kind === 'response')!
    expect(har.log.entries[0]).toMatchObject({ response: { status: 403, content: { text: original.kind === 'response' && original.body } }, _webSocketMessages: [], _rtiError: { code: 'E_HANDSHAKE' } })
    await importHar(join(dir, 'ws-refused.har'), join(dir, 'ws-refused-imported.rti.jsonl'))
    const back = (await readFrames(join(dir, 'ws-refused-imported.rti.jsonl'))).frames
    expect(back.map((f) => f.kind)).toEqual(['connecting', 'request', 'response', 'error'])
    expect(back[2]).toMatchObject({ status: 403, body: original.kind === 'response' && original.body })
    expect(back[3]).toMatchObject({ code: 'E_HANDSHAKE', message: expect.stringContaining('403') })
  })

  it('SSE: named and unnamed events with their ids', async () => {
    const spec = { technique: 'sse' as const, url: `${playground.baseUrl}/sse/ticker?interval=20&count=4` }
    const frames = await recordSession({ ...spec, reconnect: { enabled: false } }, async (h) => {
      await h.waitFor('close')
    })
    const { har, frames: back } = await roundTrip('sse', spec, frames)
    expectSameMessages(back, frames)
    expect(messagesOf(back).map((m) => 'event' in m && m.event)).toEqual(['tick', 'message', 'tick', 'message'])
    expect(har.log.entries[0]._eventSourceMessages[0]).toEqual({ time: expect.any(Number), eventName: 'tick', eventId: '1', data: expect.stringContaining('"seq":1') })
  })

  it('SSE that is cut and reconnects: one entry per connection, imported back as one session', async () => {
    const spec = { technique: 'sse' as const, url: `${playground.baseUrl}/sse/ticker?interval=20&count=4&fin=2&retry=30` }
    const frames = await recordSession({ ...spec, reconnect: { initialDelayMs: 30, jitter: 0 } }, async (h) => {
      await h.waitFor('event', (e) => e.id === '4', 5000)
    })
    expect(frames.filter((f) => f.kind === 'connecting').length).toBeGreaterThanOrEqual(2)
    const { har, frames: back } = await roundTrip('sse-reconnect', spec, frames)
    expectSameMessages(back, frames)
    expect(har.log.entries.length).toBe(frames.filter((f) => f.kind === 'request').length)
    expect(back.filter((f) => f.kind === 'connecting').map((f) => f.kind === 'connecting' && f.attempt)).toEqual(har.log.entries.map((_: unknown, i: number) => i + 1))
  })

  it('polling: one entry per request, the messages framed from each body', async () => {
    const spec = { technique: 'polling' as const, url: `${playground.baseUrl}/poll?every=30` }
    const frames = await recordSession({ ...spec, polling: { intervalMs: 40 } }, async (h) => {
      await h.waitFor('message', () => h.ofKind('message').length >= 4, 5000)
    })
    const { har, frames: back } = await roundTrip('polling', spec, frames)
    expectSameMessages(back, frames)
    const requests = frames.filter((f) => f.kind === 'request').length
    expect(har.log.entries).toHaveLength(requests)
    expect(back.filter((f) => f.kind === 'response').map((f) => f.kind === 'response' && f.status)).toEqual(frames.filter((f) => f.kind === 'response').map((f) => f.kind === 'response' && f.status))
  })

  it('long-polling: held requests and their answers', async () => {
    const spec = { technique: 'long-polling' as const, url: `${playground.baseUrl}/longpoll?cursor=0&hold=300` }
    const frames = await recordSession({ ...spec, longPolling: { cursor: { from: 'header', name: 'X-Cursor' } } }, async (h) => {
      await h.waitFor('message', () => h.ofKind('message').length >= 3, 5000)
    })
    const { frames: back } = await roundTrip('long-polling', spec, frames)
    expectSameMessages(back, frames)
  })

  it('streaming: the body rebuilt from its chunks, the framed messages kept', async () => {
    const spec = { technique: 'streaming' as const, url: `${playground.baseUrl}/stream?format=ndjson&interval=15&count=5` }
    const frames = await recordSession(spec, async (h) => {
      await h.waitFor('close')
    })
    const { har, frames: back } = await roundTrip('streaming', spec, frames)
    expectSameMessages(back, frames)
    const chunks = (list: Frame[]) => list.filter((f) => f.kind === 'chunk').map((f) => f.kind === 'chunk' && [f.data, f.size])
    expect(chunks(back)).toEqual(chunks(frames))
    expect(har.log.entries[0].response.content.text.split('\n')).toHaveLength(6)
    expect(har.log.entries[0]._chunks).toHaveLength(chunks(frames).length)
  })
})
