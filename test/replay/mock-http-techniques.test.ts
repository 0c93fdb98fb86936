// The HTTP mocks (SSE, polling, long-polling, streaming) serve what a real session
// against the playground recorded; our own client connected to them sees the same
// events, responses and chunks, in order and at the recorded times.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame, FrameOf } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { startMockServer, type MockServer } from '../../main/replay/mock-server.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'
import { expectTiming, offsets, recordSession } from './recorded-session.js'

let dir: string
let playground: Playground
let manager: SessionManager
const mocks: MockServer[] = []
const mock = async (path: string, options: Parameters<typeof startMockServer>[1] = {}) => {
  const server = await startMockServer(path, options)
  mocks.push(server)
  return server
}
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-mock-http-'))
  playground = await startPlayground({})
  manager = new SessionManager({ net: {} })
})

afterAll(async () => {
  await Promise.all(mocks.map((m) => m.close()))
  manager.dispose()
  await playground.close()
  await rm(dir, { recursive: true, force: true })
})

describe('SSE mock', () => {
  const eventOf = (f: FrameOf<'event'>) => ({ event: f.event, id: f.id, data: f.data })
  let path: string
  let recorded: Frame[]
  beforeAll(async () => {
    const spec = { technique: 'sse' as const, url: `${playground.baseUrl}/sse/ticker?interval=80&count=5`, reconnect: { enabled: false } }
    ;({ path, frames: recorded } = await recordSession(manager, spec, join(dir, 'sse.rti.jsonl'), (h) => h.waitFor('close').then(() => {})))
  })

  it('replays event types, ids, data, comments and retry at the recorded times, then ends the stream', async () => {
    const server = await mock(path)
    const h = openSession(manager, { technique: 'sse', url: server.url, reconnect: { enabled: false } })
    const close = await h.waitFor('close')
    const recordedEvents = recorded.filter((f): f is FrameOf<'event'> => f.kind === 'event')
    expect(h.ofKind('event').map(eventOf)).toEqual(recordedEvents.map(eventOf))
    expect(new Set(recordedEvents.map((e) => e.event))).toEqual(new Set(['tick', 'message']))
    expect(h.ofKind('comment').map((c) => c.text)).toEqual(recorded.filter((f) => f.kind === 'comment').map((f) => (f as FrameOf<'comment'>).text))
    expect(h.ofKind('chunk').some((c) => c.data?.includes('retry: 2000'))).toBe(true)
    expect(h.ofKind('response')[0]!.headers['content-type']).toMatch(/^text\/event-stream/)
    expect(close.cause).toBe('remote-close')
    const timed = (f: Frame) => f.kind === 'event' || f.kind === 'comment'
    expectTiming(offsets(h.frames, timed), offsets(recorded, timed))
  })

  it('resumes after the event named by Last-Event-ID: a reconnect gets only the events after it', async () => {
    const server = await mock(path)
    const h = openSession(manager, { technique: 'sse', url: server.url, reconnect: { enabled: false }, sse: { lastEventId: '3' } })
    await h.waitFor('close')
    expect(h.ofKind('event').map((e) => e.id)).toEqual(['4', '5'])
    // The first event after the resume point keeps its recorded distance to event 3.
    const gap = (frames: Frame[], from: string | undefined, to: string) => frames.find((f) => f.kind === 'event' && f.id === to)!.time - (from ? frames.find((f) => f.kind === 'event' && f.id === from)!.time : frames.find((f) => f.kind === 'open')!.time)
    expectTiming([gap(h.frames, undefined, '4')], [gap(recorded, '3', '4')])
  })

  it('a client that reconnects after a cut resumes where it was', async () => {
    const cut = await recordSession(manager, { technique: 'sse', url: `${playground.baseUrl}/sse/ticker?interval=60&count=6&fin=3`, reconnect: { enabled: false } }, join(dir, 'sse-fin.rti.jsonl'), (h) => h.waitFor('close').then(() => {}))
    expect(cut.frames.find((f) => f.kind === 'close')).toMatchObject({ cause: 'fin' })
    const server = await mock(cut.path)
    const first = openSession(manager, { technique: 'sse', url: server.url, reconnect: { enabled: false } })
    expect((await first.waitFor('close')).cause).toBe('fin')
    expect(first.ofKind('event').map((e) => e.id)).toEqual(['1', '2', '3'])
    const again = openSession(manager, { technique: 'sse', url: server.url, reconnect: { enabled: false }, sse: { lastEventId: '2' } })
    await again.waitFor('close')
    expect(again.ofKind('event').map((e) => e.id)).toEqual(['3'])
  })
})

describe('polling mock', () => {
  it('answers successive requests with the recorded responses in order, then keeps answering the last (304 when it matches)', async () => {
    const spec = { technique: 'polling' as const, url: `${playground.baseUrl}/poll?every=120`, polling: { intervalMs: 50 } }
    const { path, frames: recorded } = await recordSession(manager, spec, join(dir, 'poll.rti.jsonl'), () => wait(600).then(() => {}))
    const answers = recorded.filter((f): f is FrameOf<'response'> => f.kind === 'response')
    expect(answers.map((a) => a.status)).toContain(304)

    const server = await mock(path)
    const h = openSession(manager, { ...spec, url: server.url })
    await h.waitFor('response', () => h.ofKind('response').length >= answers.length + 2, 5000)
    manager.close(h.session.info().id)
    const got = h.ofKind('response')
    const view = (r: FrameOf<'response'>) => ({ status: r.status, etag: r.headers.etag, lastModified: r.headers['last-modified'], cacheControl: r.headers['cache-control'], contentType: r.headers['content-type'], body: r.body })
    expect(got.slice(0, answers.length).map(view)).toEqual(answers.map(view))
    expect(h.ofKind('message').slice(0, 3).map((m) => m.data)).toEqual(recorded.filter((f) => f.kind === 'message').slice(0, 3).map((m) => (m as FrameOf<'message'>).data))
    // Past the end: the resource stays as it was last seen, so the conditional request gets 304.
    expect(got.slice(answers.length).map((r) => r.status)).toEqual([304, 304])
  })
})

describe('long-polling mock', () => {
  it('holds each recorded answer until its recorded time, in order, with its cursor header; then answers 204', async () => {
    const spec = { technique: 'long-polling' as const, url: `${playground.baseUrl}/longpoll?cursor=0&hold=2000&every=150`, longPolling: { cursor: { from: 'header' as const, name: 'X-Cursor' } } }
    const { path, frames: recorded } = await recordSession(manager, spec, join(dir, 'longpoll.rti.jsonl'), (h) => h.waitFor('message', () => h.ofKind('message').length >= 4).then(() => {}))
    const recordedMessages = recorded.filter((f): f is FrameOf<'message'> => f.kind === 'message')

    const server = await mock(path, { speed: 1 })
    const h = openSession(manager, { ...spec, url: server.url })
    await h.waitFor('response', (r) => r.status === 204, 5000)
    manager.close(h.session.info().id)
    expect(h.ofKind('message').map((m) => m.data)).toEqual(recordedMessages.map((m) => m.data))
    expect(h.ofKind('response').map((r) => r.headers['x-cursor'])).toEqual([...recorded.filter((f): f is FrameOf<'response'> => f.kind === 'response').map((r) => r.headers['x-cursor']), undefined])
    const since = (frames: Frame[]) => frames.filter((f) => f.kind === 'message').map((f) => f.time - frames.find((r) => r.kind === 'request')!.time)
    expectTiming(since(h.frames), since(recorded))
  })
})

describe('streaming mock', () => {
  const bytes = (frames: Frame[]) => frames.filter((f): f is FrameOf<'chunk'> => f.kind === 'chunk').map((c) => c.data)

  it('replays the recorded chunks byte for byte at their times and cuts the body where the recording was cut', async () => {
    const { path, frames: recorded } = await recordSession(manager, { technique: 'streaming', url: `${playground.baseUrl}/stream?format=ndjson&interval=80&fin=4` }, join(dir, 'stream-fin.rti.jsonl'), (h) => h.waitFor('close').then(() => {}))
    const server = await mock(path)
    const h = openSession(manager, { technique: 'streaming', url: server.url })
    const close = await h.waitFor('close')
    expect(bytes(h.frames)).toEqual(bytes(recorded))
    expect(bytes(h.frames)).toHaveLength(4)
    expect(h.ofKind('message').map((m) => m.data)).toEqual(recorded.filter((f) => f.kind === 'message').map((m) => (m as FrameOf<'message'>).data))
    expect(h.ofKind('response')[0]!.headers['content-type']).toBe('application/x-ndjson')
    expect(close.cause).toBe('fin')
    expect(h.ofKind('error').map((e) => e.code)).toEqual(['E_INCOMPLETE_BODY'])
    const timed = (f: Frame) => f.kind === 'chunk' || f.kind === 'close'
    expectTiming(offsets(h.frames, timed), offsets(recorded, timed))
  })

  it('ends cleanly with the terminating chunk when the recording ended cleanly', async () => {
    const { path, frames: recorded } = await recordSession(manager, { technique: 'streaming', url: `${playground.baseUrl}/stream?format=ndjson&interval=50&count=3` }, join(dir, 'stream-end.rti.jsonl'), (h) => h.waitFor('close').then(() => {}))
    expect(recorded.find((f) => f.kind === 'close')).toMatchObject({ cause: 'remote-close' })
    const server = await mock(path)
    const h = openSession(manager, { technique: 'streaming', url: server.url })
    const close = await h.waitFor('close')
    expect(bytes(h.frames)).toEqual(bytes(recorded))
    expect({ cause: close.cause, wasClean: close.wasClean }).toEqual({ cause: 'remote-close', wasClean: true })
    expect(h.ofKind('error')).toEqual([])
  })
})
