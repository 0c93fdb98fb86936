// The whole loop with the engine's own recorder: a session recorded to disk by the
// session manager is served back by the mock, and a client sees what it saw.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame, FrameOf } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { startMockServer } from '../../main/replay/mock-server.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'
import { expectTiming, offsets } from './recorded-session.js'

let dir: string
let playground: Playground

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-mock-recorder-'))
  playground = await startPlayground({})
})
afterAll(async () => {
  await playground.close()
  await rm(dir, { recursive: true, force: true })
})

describe('mock server over a file the recorder wrote', () => {
  it.each([
    ['sse', '/sse/ticker?interval=60&count=4', (f: Frame) => (f.kind === 'event' ? `${f.event}#${f.id}:${f.data}` : undefined)],
    ['streaming', '/stream?format=ndjson&interval=60&count=4', (f: Frame) => (f.kind === 'chunk' ? f.data : undefined)],
    ['websocket', '/ws/ticker?interval=60&count=4', (f: Frame) => (f.kind === 'message' && f.direction === 'in' ? f.data : undefined)],
  ] as const)('%s: the recorded frames again, in order and on time', async (technique, path, payload) => {
    const recorder = new SessionManager({ net: {}, recordingsDir: dir })
    const base = technique === 'websocket' ? playground.baseUrl.replace(/^http/, 'ws') : playground.baseUrl
    const live = openSession(recorder, { technique, url: base + path, reconnect: { enabled: false } })
    await live.waitFor('close')
    const file = live.session.info().recording!.path
    await recorder.dispose()

    const server = await startMockServer(file)
    const client = new SessionManager({ net: {} })
    try {
      const h = openSession(client, { technique, url: server.url, reconnect: { enabled: false } })
      const close = await h.waitFor('close')
      const served = (frames: Frame[]) => frames.map(payload).filter((p) => p !== undefined)
      expect(served(h.frames)).toHaveLength(4)
      expect(served(h.frames)).toEqual(served(live.frames))
      expect(close.cause).toBe((live.ofKind('close')[0] as FrameOf<'close'>).cause)
      const timed = (f: Frame) => payload(f) !== undefined
      expectTiming(offsets(h.frames, timed), offsets(live.frames, timed))
    } finally {
      client.dispose()
      await server.close()
    }
  })
})
