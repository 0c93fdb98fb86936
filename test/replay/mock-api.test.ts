// Mock servers through the engine's InspectorApi, as the app's "Serve as mock" calls
// them: a recording named in the data folder is served on 127.0.0.1, a real ws client
// receives what the recorded server sent, stop closes it; a few at most run at once,
// the engine's close stops them all, and bad input answers one clear error.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createEngine, type Engine } from '../../main/engine.js'
import { createMockRegistry } from '../../main/replay/mock-api.js'
import { recordEcho } from './resend-helpers.js'

const MESSAGES = ['first', 'second', 'third']

let dataDir: string
let engine: Engine
let recorded: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'rti-mock-api-'))
  engine = await createEngine({ playground: true, dataDir })
  const echo = engine.playground!.baseUrl.replace(/^http/, 'ws') + '/ws/echo'
  recorded = await recordEcho(join(dataDir, 'recordings'), echo, MESSAGES, [20, 120, 220])
})
afterAll(async () => {
  await engine.close()
  await rm(dataDir, { recursive: true, force: true })
})

/** Connects a plain ws client and collects text messages until `count` came (the recorded client closed first, so the mock waits for it). */
function receive(url: string, count: number): Promise<{ messages: string[]; times: number[] }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    const messages: string[] = []
    const times: number[] = []
    let opened = 0
    socket.on('open', () => (opened = performance.now()))
    socket.on('message', (data) => {
      messages.push(data.toString())
      times.push(performance.now() - opened)
      if (messages.length === count) {
        socket.close(1000)
        resolve({ messages, times })
      }
    })
    socket.on('error', reject)
  })
}

const refused = (url: string) =>
  new Promise<boolean>((resolve) => {
    const socket = new WebSocket(url)
    socket.on('open', () => {
      socket.close()
      resolve(false)
    })
    socket.on('error', () => resolve(true))
  })

describe('startMock, listMocks, stopMock', () => {
  it('serves a recording by name on 127.0.0.1: a ws client gets the recorded messages in order and in time; stop closes it', async () => {
    const api = engine.createClient('bridge')
    try {
      const started = await api.startMock({ recording: { name: basename(recorded) } })
      if (!started.ok) throw new Error(started.error.message)
      const mock = started.value
      expect(mock).toMatchObject({ technique: 'websocket', recording: { name: basename(recorded) }, speed: 1, afterClientMessage: false, problems: 0 })
      expect(mock.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws\/echo$/)
      // Every client of the engine sees it.
      const other = engine.createClient('ipc')
      expect(await other.listMocks()).toEqual({ ok: true, value: [mock] })
      other.dispose()

      const got = await receive(mock.url, MESSAGES.length)
      expect(got.messages).toEqual(MESSAGES)
      // Sent at 20, 120 and 220 ms after open: the echoes came about then.
      got.times.forEach((at, i) => expect(Math.abs(at - [20, 120, 220][i]!)).toBeLessThan(80))

      expect(await api.stopMock(mock.id)).toEqual({ ok: true, value: undefined })
      expect(await api.listMocks()).toEqual({ ok: true, value: [] })
      expect(await refused(mock.url)).toBe(true)
      expect(await api.stopMock(mock.id)).toMatchObject({ ok: false, error: { code: 'E_MOCK_UNKNOWN' } })
    } finally {
      api.dispose()
    }
  })

  it('replays faster when asked, on a chosen port', async () => {
    const api = engine.createClient('bridge')
    const port = await freePort()
    try {
      const started = await api.startMock({ recording: { path: recorded }, port, speed: 4 })
      if (!started.ok) throw new Error(started.error.message)
      expect(started.value.url).toBe(`ws://127.0.0.1:${port}/ws/echo`)
      const got = await receive(started.value.url, MESSAGES.length)
      expect(got.messages).toEqual(MESSAGES)
      expect(got.times.at(-1)!).toBeLessThan(220 / 4 + 80)

      // The same port again is taken.
      expect(await api.startMock({ recording: { path: recorded }, port })).toMatchObject({ ok: false, error: { code: 'E_MOCK_PORT' } })
      await api.stopMock(started.value.id)
    } finally {
      api.dispose()
    }
  })

  it('refuses what it cannot serve, with a stable code', async () => {
    const api = engine.createClient('bridge')
    try {
      expect(await api.startMock({ recording: { name: 'nope.rti.jsonl' } })).toMatchObject({ ok: false, error: { code: 'E_RECORDING_UNREADABLE' } })
      const notRecording = join(dataDir, 'notes.rti.jsonl')
      await writeFile(notRecording, 'hello\n')
      expect(await api.startMock({ recording: { path: notRecording } })).toMatchObject({ ok: false, error: { code: 'E_RECORDING_NOT_RECORDING' } })
      expect(await api.listMocks()).toEqual({ ok: true, value: [] })
    } finally {
      api.dispose()
    }
  })

  it('runs at most a few at once, and stops all of them when closed', async () => {
    const registry = createMockRegistry(undefined, { max: 2 })
    const start = () => registry.startMock({ recording: { path: recorded } })
    // Started together: the places are counted while the recordings load.
    const [a, b, c] = await Promise.all([start(), start(), start()])
    expect([a, b, c].filter((r) => r.ok)).toHaveLength(2)
    expect([a, b, c].find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'E_MOCK_LIMIT' } })
    const listed = await registry.listMocks()
    if (!listed.ok) throw new Error(listed.error.message)
    const urls = listed.value.map((m) => m.url)
    expect(urls).toHaveLength(2)

    await registry.closeAll()
    for (const url of urls) expect(await refused(url)).toBe(true)
    expect(await start()).toMatchObject({ ok: false, error: { code: 'E_MOCK_CLOSED' } })
  })

  it('recordings by name need a data folder', async () => {
    const registry = createMockRegistry(undefined)
    expect(await registry.startMock({ recording: { name: 'any.rti.jsonl' } })).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_NOT_FOUND' } })
  })

  it('the engine closing stops the mocks it runs', async () => {
    const own = await createEngine({ dataDir })
    const api = own.createClient('bridge')
    const started = await api.startMock({ recording: { path: recorded } })
    if (!started.ok) throw new Error(started.error.message)
    await own.close()
    expect(await refused(started.value.url)).toBe(true)
  })
})

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}
