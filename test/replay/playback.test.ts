// Timeline playback: a recording the engine made of a real session, played back as a
// read-only session — every frame with its recorded seq and time, at the recorded
// pace times the speed, paused, stepped, sought (a seek back says `restart`), and
// 'closed' at its end.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatchApiCall, type Frame, type FrameBatch, type InspectorApi, type SessionInfo } from '../../main/contract/index.js'
import { createEngine, type Engine } from '../../main/engine.js'
import { openRecording } from '../../main/recording/read-recording.js'

let dataDir: string
let engine: Engine
let api: InspectorApi & { dispose(): void }
/** A WebSocket ticker recorded live: 8 messages 200 ms apart, then the server's close. */
let recorded: { name: string; frames: Frame[]; stats: SessionInfo['stats'] }

interface Received {
  batches: { at: number; batch: FrameBatch }[]
  frames: Frame[]
  /** Arrival time (performance.now()) of each frame. */
  arrivals: number[]
}

/** Subscribes through the API and keeps what arrives, with when it arrived. */
async function receive(sessionId: string, maxFramesPerBatch?: number): Promise<Received & { until(test: (r: Received) => boolean, ms?: number): Promise<void> }> {
  const got: Received = { batches: [], frames: [], arrivals: [] }
  const waiters = new Set<() => void>()
  api.onFrames((batch) => {
    if (batch.sessionId !== sessionId) return
    const at = performance.now()
    got.batches.push({ at, batch })
    if (batch.restart) {
      got.frames.length = 0
      got.arrivals.length = 0
    }
    for (const frame of batch.frames) {
      got.frames.push(frame)
      got.arrivals.push(at)
    }
    for (const wake of waiters) wake()
  })
  const subscribed = await api.subscribe({ sessionId, ...(maxFramesPerBatch ? { maxFramesPerBatch } : {}) })
  expect(subscribed).toEqual({ ok: true, value: undefined })
  return Object.assign(got, {
    until: (test: (r: Received) => boolean, ms = 5000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!test(got)) return
          waiters.delete(check)
          clearTimeout(timer)
          resolve()
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`not within ${ms} ms; got ${got.frames.length} frames, last batch ${JSON.stringify(got.batches.at(-1)?.batch.state)}`))
        }, ms)
        waiters.add(check)
        check()
      }),
  })
}

const ended = (r: Received) => r.batches.at(-1)?.batch.state === 'closed'
const messages = (frames: Frame[]) => frames.filter((f) => f.kind === 'message')

async function open(params: Parameters<InspectorApi['openPlayback']>[0]): Promise<SessionInfo> {
  const opened = await dispatchApiCall(api, 'openPlayback', params)
  if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`)
  return opened.value as SessionInfo
}

async function control(params: Parameters<InspectorApi['controlPlayback']>[0]): Promise<SessionInfo> {
  const done = await dispatchApiCall(api, 'controlPlayback', params)
  if (!done.ok) throw new Error(`${done.error.code}: ${done.error.message}`)
  return done.value as SessionInfo
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'rti-playback-'))
  engine = await createEngine({ dataDir, playground: true })
  api = engine.createClient('bridge')
  const ws = engine.playground!.baseUrl.replace(/^http/, 'ws')
  const live = await api.openSession({ technique: 'websocket', url: `${ws}/ws/ticker?interval=200&count=8` })
  if (!live.ok) throw new Error(live.error.message)
  const watch = await receive(live.value.id)
  await watch.until(ended, 10_000)
  const session = engine.sessions.get(live.value.id)!
  await session.recordingClosed()
  const path = session.info().recording!.path
  const reader = await openRecording(path)
  const frames: Frame[] = []
  for await (const frame of reader.frames) frames.push(frame)
  recorded = { name: basename(path), frames, stats: session.info().stats }
  expect(messages(frames)).toHaveLength(8)
}, 20_000)

afterAll(async () => {
  api?.dispose()
  await engine?.close()
  await rm(dataDir, { recursive: true, force: true })
})

describe('a recording played back', () => {
  it('instantly: every frame with its recorded seq and time, the live stats, listed as a read-only session that ends closed', async () => {
    const info = await open({ name: recorded.name })
    expect(info).toMatchObject({
      state: 'open',
      startedAt: expect.any(Number),
      spec: { technique: 'websocket' },
      playback: { name: recorded.name, position: 0, count: recorded.frames.length, speed: 'instant', paused: false },
    })
    const got = await receive(info.id)
    await got.until(ended)
    expect(got.frames).toEqual(recorded.frames)
    expect(got.batches.at(-1)!.batch.stats).toEqual(recorded.stats)
    expect(got.batches.at(-1)!.batch.lastSeq).toBe(recorded.frames.at(-1)!.seq)

    const listed = (await api.listSessions()) as { ok: true; value: SessionInfo[] }
    expect(listed.value.find((s) => s.id === info.id)).toMatchObject({ state: 'closed', playback: { position: recorded.frames.length, atTime: recorded.frames.at(-1)!.time } })
    expect(await api.send({ sessionId: info.id, message: { type: 'text', data: 'hi' } })).toMatchObject({ ok: false, error: { code: 'E_SESSION_READ_ONLY' } })
    await api.closeSession(info.id)
  })

  it('at 4x: the frames come at a quarter of their recorded intervals', async () => {
    const info = await open({ name: recorded.name, speed: 4 })
    const got = await receive(info.id)
    await got.until(ended)
    expect(got.frames).toEqual(recorded.frames)
    const recordedMessages = recorded.frames.map((f, i) => ({ f, i })).filter(({ f }) => f.kind === 'message')
    const first = recordedMessages[0]!
    for (const { f, i } of recordedMessages.slice(1)) {
      const want = (f.time - first.f.time) / 4
      const actual = got.arrivals[i]! - got.arrivals[first.i]!
      expect(Math.abs(actual - want), `message seq ${f.seq}: ${actual.toFixed(1)} ms after the first, recorded ${(f.time - first.f.time).toFixed(1)} ms / 4`).toBeLessThan(15 + 0.1 * want)
    }
    await api.closeSession(info.id)
  })

  it('paused holds; step emits exactly one frame; a seek back says restart and plays on from there', async () => {
    const info = await open({ name: recorded.name, paused: true, speed: 1 })
    expect(info.playback).toMatchObject({ paused: true, position: 0 })
    const got = await receive(info.id)
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(got.frames).toEqual([])

    for (let i = 0; i < 3; i++) {
      const before = got.batches.length
      const after = await control({ sessionId: info.id, action: 'step' })
      expect(after.playback).toMatchObject({ position: i + 1, paused: true, atTime: recorded.frames[i]!.time })
      await got.until((r) => r.batches.length > before)
      expect(got.batches.slice(before).flatMap(({ batch }) => batch.frames)).toEqual([recorded.frames[i]])
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(got.frames).toEqual(recorded.frames.slice(0, 3))

    const before = got.batches.length
    const sought = await control({ sessionId: info.id, action: 'seek', position: 1 })
    expect(sought.playback).toMatchObject({ position: 1, atTime: recorded.frames[0]!.time })
    await got.until((r) => r.batches.length > before)
    expect(got.batches[before]!.batch).toMatchObject({ restart: true, frames: [], stats: { frames: 0 } })
    await control({ sessionId: info.id, action: 'step' })
    await got.until((r) => r.frames.length === 1)
    expect(got.frames).toEqual([recorded.frames[1]])

    // By time: the first frame at or after it, here the fifth message.
    const fifth = messages(recorded.frames)[4]!
    const byTime = await control({ sessionId: info.id, action: 'seek', time: fifth.time })
    expect(byTime.playback!.position).toBe(recorded.frames.indexOf(fifth))
    await control({ sessionId: info.id, action: 'speed', speed: 'instant' })
    await control({ sessionId: info.id, action: 'play' })
    await got.until(ended)
    expect(got.frames).toEqual(recorded.frames.slice(recorded.frames.indexOf(fifth)))
    await api.closeSession(info.id)
  })

  it('changes speed mid-way: 1x, then 20x for the rest', async () => {
    const info = await open({ name: recorded.name, speed: 1 })
    const got = await receive(info.id)
    await got.until((r) => messages(r.frames).length >= 2)
    const switched = performance.now()
    expect((await control({ sessionId: info.id, action: 'speed', speed: 20 })).playback!.speed).toBe(20)
    await got.until(ended)
    const recordedMessages = messages(recorded.frames)
    const restRecorded = recordedMessages.at(-1)!.time - recordedMessages[1]!.time
    const restTook = got.arrivals.at(-1)! - switched
    // The rest took a twentieth of its recorded span (plus timer slack), far below its 1x length.
    expect(restTook).toBeLessThan(restRecorded / 20 + 60)
    expect(got.frames).toEqual(recorded.frames)
    await api.closeSession(info.id)
  })

  it('ends closed, opens again on a seek back, and once closed refuses controls and lets the file go', async () => {
    const info = await open({ name: recorded.name })
    const got = await receive(info.id)
    await got.until(ended)
    const back = await control({ sessionId: info.id, action: 'seek', position: 0 })
    expect(back.state).toBe('open')
    await got.until((r) => r.batches.some(({ batch }) => batch.restart) && ended(r))
    expect(got.frames).toEqual(recorded.frames)
    // Play at the end starts over.
    await control({ sessionId: info.id, action: 'play' })
    await got.until((r) => r.batches.filter(({ batch }) => batch.restart).length === 2 && ended(r))
    expect(got.frames).toEqual(recorded.frames)

    expect(await api.closeSession(info.id)).toEqual({ ok: true, value: undefined })
    expect(await dispatchApiCall(api, 'controlPlayback', { sessionId: info.id, action: 'play' })).toMatchObject({ ok: false, error: { code: 'E_SESSION_CLOSED' } })
    expect(await dispatchApiCall(api, 'controlPlayback', { sessionId: info.id, action: 'seek' })).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
  })

  it('refuses what is not a playback or not a recording, with clear errors', async () => {
    const ws = engine.playground!.baseUrl.replace(/^http/, 'ws')
    const live = await api.openSession({ technique: 'websocket', url: `${ws}/ws/echo` })
    if (!live.ok) throw new Error(live.error.message)
    expect(await dispatchApiCall(api, 'controlPlayback', { sessionId: live.value.id, action: 'pause' })).toMatchObject({ ok: false, error: { code: 'E_PLAYBACK_NOT_PLAYBACK' } })
    await api.closeSession(live.value.id)
    expect(await dispatchApiCall(api, 'openPlayback', { name: 'missing.rti.jsonl' })).toMatchObject({ ok: false, error: { code: 'E_RECORDING_UNREADABLE' } })
    expect(await dispatchApiCall(api, 'openPlayback', { name: '../x.rti.jsonl' })).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
    expect(await dispatchApiCall(api, 'openPlayback', { name: recorded.name, speed: 50 })).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
  })
})
