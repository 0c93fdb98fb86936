import { describe, expect, it } from 'vitest'
import { IPC_FRAMES_CHANNEL, IPC_OPEN_RECORDING_CHANNEL, type ApiMethod, type FrameBatch } from '../../main/contract/index.js'
import { createPreloadApi } from '../../electron/preload-api.js'
import { FakeIpcRenderer } from './stand-ins.js'

const batch: FrameBatch = {
  sessionId: 's1',
  frames: [],
  skipped: 0,
  lastSeq: 0,
  state: 'open',
  stats: { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 },
}

describe('the preload API', () => {
  it('names a dropped file’s path only when given the means (the desktop app), and exposes nothing else for it', () => {
    const file = new File(['{}'], 'r.rti.jsonl')
    const api = createPreloadApi(new FakeIpcRenderer(), (f) => `/home/me/${f.name}`)
    expect(api.pathForFile?.(file)).toBe('/home/me/r.rti.jsonl')
    expect(createPreloadApi(new FakeIpcRenderer()).pathForFile).toBeUndefined()
  })

  it('refuses a method outside the API without touching IPC', async () => {
    const ipc = new FakeIpcRenderer()
    const api = createPreloadApi(ipc)
    for (const method of ['frames', 'constructor', '__proto__', 'dispose', 'openSession ']) {
      expect(await api.invoke(method as ApiMethod)).toMatchObject({ ok: false, error: { code: 'E_IPC_UNKNOWN_CHANNEL' } })
    }
    expect(ipc.invoked).toEqual([])
  })

  it('invokes the method’s own channel with the argument, and none when there is no argument', async () => {
    const ipc = new FakeIpcRenderer()
    ipc.reply = async (channel) => ({ ok: true, value: channel })
    const api = createPreloadApi(ipc)
    expect(await api.invoke('closeSession', 'abc')).toEqual({ ok: true, value: 'rti:closeSession' })
    expect(await api.invoke('listSessions')).toEqual({ ok: true, value: 'rti:listSessions' })
    expect(ipc.invoked).toEqual([
      { channel: 'rti:closeSession', args: ['abc'] },
      { channel: 'rti:listSessions', args: [] },
    ])
  })

  it('answers a failed invoke with a Result instead of throwing', async () => {
    const ipc = new FakeIpcRenderer()
    ipc.reply = () => Promise.reject(new Error("No handler registered for 'rti:listSessions'"))
    expect(await createPreloadApi(ipc).invoke('listSessions')).toMatchObject({ ok: false, error: { code: 'E_IPC_FAILED' } })
  })

  it('hands frame listeners only the batch, never the Electron event, until unsubscribed', () => {
    const ipc = new FakeIpcRenderer()
    const api = createPreloadApi(ipc)
    const received: unknown[][] = []
    const stop = api.onFrames((...args: unknown[]) => received.push(args))
    ipc.emit(IPC_FRAMES_CHANNEL, batch)
    expect(received).toEqual([[batch]])

    stop()
    ipc.emit(IPC_FRAMES_CHANNEL, batch)
    expect(received).toHaveLength(1)
    expect(ipc.listeners.get(IPC_FRAMES_CHANNEL)?.size).toBe(0)
  })

  it('passes recordings to open (File › Open Recording…) as plain paths, nothing else, until unsubscribed', () => {
    const ipc = new FakeIpcRenderer()
    const api = createPreloadApi(ipc)
    const received: unknown[][] = []
    const stop = api.onOpenRecording!((...args: unknown[]) => received.push(args))
    ipc.emit(IPC_OPEN_RECORDING_CHANNEL, '/home/me/a.rti.jsonl')
    ipc.emit(IPC_OPEN_RECORDING_CHANNEL, { not: 'a path' })
    expect(received).toEqual([['/home/me/a.rti.jsonl']])
    stop()
    expect(ipc.listeners.get(IPC_OPEN_RECORDING_CHANNEL)?.size).toBe(0)
  })
})
