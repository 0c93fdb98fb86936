import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { API_METHOD_NAMES, IPC_FRAMES_CHANNEL, ipcChannelFor, type FrameBatch, type Result, type SessionInfo } from '../../main/contract/index.js'
import { createEngine, type Engine } from '../../main/engine.js'
import { registerIpcRouter, type ClientApi } from '../../electron/ipc-router.js'
import { isRendererUrl, rendererLocation } from '../../electron/renderer-location.js'
import { eventFrom, FakeIpcMain, FakeWebContents } from './stand-ins.js'

const RENDERER_DIR = '/app/out/renderer'
const TRUSTED_URL = 'app://renderer/index.html'

let engine: Engine
beforeAll(async () => {
  engine = await createEngine({ playground: true })
})
afterAll(async () => {
  await engine.close()
})

/** A router over the real engine, with every created client recorded. */
function setup() {
  const ipcMain = new FakeIpcMain()
  const clients: { client: ClientApi; disposed: boolean }[] = []
  const stop = registerIpcRouter(ipcMain, {
    createClient: () => {
      const client = engine.createClient('ipc')
      const entry = { client, disposed: false }
      clients.push(entry)
      return {
        ...client,
        dispose: () => {
          entry.disposed = true
          client.dispose()
        },
      }
    },
    isTrustedSender: isRendererUrl(rendererLocation(undefined, RENDERER_DIR)),
  })
  const call = (contents: FakeWebContents, method: string, argument?: unknown, url: string | null = TRUSTED_URL) =>
    ipcMain.invoke(eventFrom(contents, url), `rti:${method}`, argument) as Promise<Result<unknown>>
  return { ipcMain, clients, stop, call }
}

let stopCurrent: (() => void) | undefined
afterEach(() => {
  stopCurrent?.()
  stopCurrent = undefined
  engine.sessions.dispose()
})
const router = () => {
  const r = setup()
  stopCurrent = r.stop
  return r
}

const batchesSentTo = (contents: FakeWebContents): FrameBatch[] =>
  contents.sent.filter((s) => s.channel === IPC_FRAMES_CHANNEL).map((s) => s.args[0] as FrameBatch)
const framesSentTo = (contents: FakeWebContents) => batchesSentTo(contents).flatMap((b) => b.frames)

function echoUrl(): string {
  const echo = engine.playground?.endpoints.find((e) => e.technique === 'websocket' && new URL(e.url).pathname === '/ws/echo')
  if (!echo) throw new Error('the playground has no WebSocket echo endpoint')
  return echo.url
}

describe('the IPC router', () => {
  it('registers a handler for exactly the API methods, so any other channel has none', () => {
    const { ipcMain } = router()
    expect([...ipcMain.handlers.keys()].sort()).toEqual(API_METHOD_NAMES.map(ipcChannelFor).sort())
    expect(ipcMain.handlers.has(IPC_FRAMES_CHANNEL)).toBe(false)
  })

  it('refuses a channel that is not an API method the way Electron does: no handler answers', async () => {
    const { ipcMain } = router()
    await expect(ipcMain.invoke(eventFrom(new FakeWebContents(), TRUSTED_URL), 'rti:dispose')).rejects.toThrow(/No handler/)
  })

  it('refuses invalid arguments with E_API_INVALID_ARGUMENT before the engine sees them', async () => {
    const { call } = router()
    const contents = new FakeWebContents()
    const ftp = await call(contents, 'openSession', { technique: 'websocket', url: 'ftp://example.com/' })
    expect(ftp).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
    expect(ftp.ok || ftp.error.message).toMatch(/ws:\/\/ or wss:\/\//)
    const badMessage = await call(contents, 'send', { sessionId: 'abc', message: { type: 'shout', data: 'x' } })
    expect(badMessage).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
    const stray = await call(contents, 'getEnvironment', { surprise: true })
    expect(stray).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
    expect(engine.sessions.list()).toEqual([])
  })

  it('refuses calls from any frame but the app’s own page, without creating a client', async () => {
    const { call, clients } = router()
    const contents = new FakeWebContents()
    for (const url of ['https://evil.example/', 'file:///tmp/other.html', 'file:///app/out/renderer/index.html', 'app://renderer/index.html.evil', 'app://other/index.html', '', null]) {
      const result = await call(contents, 'getEnvironment', undefined, url)
      expect(result).toMatchObject({ ok: false, error: { code: 'E_IPC_UNTRUSTED_SENDER' } })
    }
    expect(clients).toHaveLength(0)
    expect(contents.listenerCount).toBe(0)
  })

  it('serves a real engine end to end: open the echo endpoint, subscribe, send, and see the echo pushed', async () => {
    const { call } = router()
    const contents = new FakeWebContents()

    const environment = await call(contents, `getEnvironment`, undefined, `${TRUSTED_URL}#/sessions`)
    expect(environment).toMatchObject({ ok: true, value: { transport: 'ipc' } })

    const opened = (await call(contents, 'openSession', { technique: 'websocket', url: echoUrl() })) as Result<SessionInfo>
    if (!opened.ok) throw new Error(opened.error.message)
    const sessionId = opened.value.id
    expect(await call(contents, 'subscribe', { sessionId })).toEqual({ ok: true, value: undefined })
    await vi.waitFor(() => expect(framesSentTo(contents).some((f) => f.kind === 'open')).toBe(true))

    expect(await call(contents, 'send', { sessionId, message: { type: 'text', data: 'hello through IPC' } })).toEqual({ ok: true, value: undefined })
    await vi.waitFor(() =>
      expect(framesSentTo(contents)).toContainEqual(expect.objectContaining({ kind: 'message', direction: 'in', data: 'hello through IPC' })),
    )
    expect(batchesSentTo(contents).every((b) => b.sessionId === sessionId)).toBe(true)
  })

  it('gives each window its own client, so batches reach only the window that subscribed', async () => {
    const { call, clients } = router()
    const subscriber = new FakeWebContents()
    const bystander = new FakeWebContents()
    const opened = (await call(subscriber, 'openSession', { technique: 'websocket', url: echoUrl() })) as Result<SessionInfo>
    if (!opened.ok) throw new Error(opened.error.message)
    await call(subscriber, 'subscribe', { sessionId: opened.value.id })
    const listed = (await call(bystander, 'listSessions')) as Result<SessionInfo[]>
    expect(listed.ok && listed.value.map((s: SessionInfo) => s.id)).toEqual([opened.value.id])
    await vi.waitFor(() => expect(framesSentTo(subscriber).some((f) => f.kind === 'open')).toBe(true))

    expect(clients).toHaveLength(2)
    expect(batchesSentTo(bystander)).toEqual([])
  })

  it('disposes a window’s client when its webContents is destroyed, and sends it nothing more', async () => {
    const { call, clients } = router()
    const contents = new FakeWebContents()
    const opened = (await call(contents, 'openSession', { technique: 'websocket', url: echoUrl() })) as Result<SessionInfo>
    if (!opened.ok) throw new Error(opened.error.message)
    const sessionId = opened.value.id
    await call(contents, 'subscribe', { sessionId })
    await vi.waitFor(() => expect(framesSentTo(contents).some((f) => f.kind === 'open')).toBe(true))

    contents.destroy()
    expect(clients[0]?.disposed).toBe(true)
    const sentBefore = contents.sent.length

    // The session lives on (it belongs to the engine); a second window can still use it.
    const other = new FakeWebContents()
    await call(other, 'subscribe', { sessionId })
    await call(other, 'send', { sessionId, message: { type: 'text', data: 'after the first window closed' } })
    await vi.waitFor(() => expect(framesSentTo(other)).toContainEqual(expect.objectContaining({ kind: 'message', direction: 'in', data: 'after the first window closed' })))
    expect(contents.sent.length).toBe(sentBefore)
  })

  it('removes every handler and disposes every client when stopped', async () => {
    const { ipcMain, call, clients, stop } = router()
    const contents = new FakeWebContents()
    await call(contents, 'listSessions')
    stop()
    stopCurrent = undefined
    expect(ipcMain.handlers.size).toBe(0)
    expect(clients.map((c) => c.disposed)).toEqual([true])
    expect(contents.listenerCount).toBe(0)
  })
})
