// Re-send and diff through the engine's InspectorApi, as the UI calls them: a
// recording named in the data folder comes back as a new live session, listed and
// subscribable like any other, recorded into the same folder; the diff compares them.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame, FrameBatch } from '../../main/contract/index.js'
import { createEngine, type Engine } from '../../main/engine.js'
import { recordEcho } from './resend-helpers.js'

let dataDir: string
let engine: Engine
let recorded: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'rti-resend-api-'))
  engine = await createEngine({ playground: true, dataDir })
  const echo = engine.playground!.baseUrl.replace(/^http/, 'ws') + '/ws/echo'
  recorded = await recordEcho(join(dataDir, 'recordings'), echo, ['ping?', 'pong!'], [30, 250])
})
afterAll(async () => {
  await engine.close()
  await rm(dataDir, { recursive: true, force: true })
})

describe('resendRecording and diffRecordings', () => {
  it('a recording by name re-sent as a live session: listed, subscribed, recorded; then diffed with the original', async () => {
    const api = engine.createClient('bridge')
    try {
      const started = await api.resendRecording({ recording: { name: basename(recorded) }, speed: 1 })
      if (!started.ok) throw new Error(started.error.message)
      const info = started.value
      expect(info.spec.url).toMatch(/\/ws\/echo$/)
      expect(await api.listSessions()).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ id: info.id })]) })

      const frames: Frame[] = []
      const ended = new Promise<void>((resolve) =>
        api.onFrames((batch: FrameBatch) => {
          frames.push(...batch.frames)
          if (batch.state === 'closed') resolve()
        }),
      )
      expect((await api.subscribe({ sessionId: info.id })).ok).toBe(true)
      await ended
      expect(frames.filter((f) => f.kind === 'message').map((f) => `${f.direction} ${(f as { data: string }).data}`)).toEqual(['out ping?', 'in ping?', 'out pong!', 'in pong!'])

      await engine.sessions.get(info.id)!.recordingClosed()
      const newName = basename(engine.sessions.get(info.id)!.info().recording!.path)
      expect(newName).not.toBe(basename(recorded))
      const diff = await api.diffRecordings({ a: { name: basename(recorded) }, b: { name: newName } })
      if (!diff.ok) throw new Error(diff.error.message)
      expect(diff.value.summary).toMatchObject({ same: 5, changed: 0, onlyA: 0, onlyB: 0 })
    } finally {
      api.dispose()
    }
  })

  it('bad input answers one clear error with a stable code', async () => {
    const api = engine.createClient('bridge')
    try {
      const missing = await api.resendRecording({ recording: { name: 'nope.rti.jsonl' } })
      expect(missing).toMatchObject({ ok: false, error: { code: 'E_RECORDING_UNREADABLE' } })
      const wrongUrl = await api.resendRecording({ recording: { path: recorded }, to: 'http://127.0.0.1:1/' })
      expect(wrongUrl).toMatchObject({ ok: false, error: { code: 'E_RESEND_URL' } })
      const diff = await api.diffRecordings({ a: { path: recorded }, b: { path: join(dataDir, 'missing.rti.jsonl') } })
      expect(diff).toMatchObject({ ok: false, error: { code: 'E_RECORDING_UNREADABLE' } })
    } finally {
      api.dispose()
    }
  })
})
