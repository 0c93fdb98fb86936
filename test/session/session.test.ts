// A session stamps, counts and batches; a slow consumer gets a tail, never a backlog.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FrameBatch } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { SessionManager } from '../../main/session/session-manager.js'

let playground: Playground
beforeAll(async () => {
  playground = await startPlayground()
})
afterAll(() => playground.close())
const ws = (path: string) => playground.baseUrl.replace('http', 'ws') + path

function openTicker(manager: SessionManager, path: string) {
  const opened = manager.open({ technique: 'websocket', url: ws(path) })
  if (!opened.ok) throw new Error(opened.error.message)
  return opened.value
}

describe('session', () => {
  it('stamps seq strictly increasing from 1 and time monotonic near now', async () => {
    const manager = new SessionManager()
    const session = openTicker(manager, '/ws/ticker?interval=1&count=50')
    const batches: FrameBatch[] = []
    session.subscribe((b) => batches.push(b), 100_000)
    await session.ended
    const frames = batches.flatMap((b) => b.frames)
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1))
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.time).toBeGreaterThanOrEqual(frames[i - 1]!.time)
    expect(Math.abs(frames[0]!.time - Date.now())).toBeLessThan(10_000)
    manager.dispose()
  })

  it('gives a capped subscriber the tail and counts what it skipped, keeping control frames', async () => {
    const manager = new SessionManager()
    const session = openTicker(manager, '/ws/ticker?interval=0&count=3000')
    const batches: FrameBatch[] = []
    session.subscribe((b) => batches.push(b), 10)
    await session.ended
    const delivered = batches.reduce((n, b) => n + b.frames.length + b.skipped, 0)
    expect(delivered).toBe(session.info().stats.frames)
    for (const b of batches) expect(b.frames.filter((f) => f.kind === 'message').length).toBeLessThanOrEqual(10)
    const kinds = new Set(batches.flatMap((b) => b.frames.map((f) => f.kind)))
    for (const kind of ['connecting', 'request', 'response', 'open', 'close']) expect(kinds).toContain(kind)
    expect(batches.at(-1)!.lastSeq).toBe(session.info().stats.frames)
    manager.dispose()
  })

  it('replays recent history to a late subscriber', async () => {
    const manager = new SessionManager()
    const session = openTicker(manager, '/ws/ticker?interval=1&count=5')
    await session.ended
    const batches: FrameBatch[] = []
    session.subscribe((b) => batches.push(b))
    expect(batches).toHaveLength(1)
    expect(batches[0]!.state).toBe('closed')
    expect(batches[0]!.frames.filter((f) => f.kind === 'message')).toHaveLength(5)
    manager.dispose()
  })

  it('dispose ends the session and stops its connection', async () => {
    const manager = new SessionManager()
    const session = openTicker(manager, '/ws/ticker?interval=5')
    const batches: FrameBatch[] = []
    session.subscribe((b) => batches.push(b))
    await expect.poll(() => session.state).toBe('open')
    manager.dispose()
    await expect(session.ended).resolves.toBe('closed')
    const count = session.info().stats.frames
    await new Promise((r) => setTimeout(r, 50))
    expect(session.info().stats.frames).toBe(count)
    expect(manager.list()).toEqual([])
  })
})

describe('session counters', () => {
  it('counts SSE events as messages and the raw chunks as bytes', async () => {
    const manager = new SessionManager()
    const opened = manager.open({ technique: 'sse', url: `${playground.baseUrl}/sse/ticker?interval=5&count=4`, reconnect: { enabled: false } })
    if (!opened.ok) throw new Error(opened.error.message)
    const batches: FrameBatch[] = []
    opened.value.subscribe((b) => batches.push(b), 100_000)
    await opened.value.ended
    const frames = batches.flatMap((b) => b.frames)
    const { stats } = opened.value.info()
    expect(stats.messagesIn).toBe(frames.filter((f) => f.kind === 'event').length)
    expect(stats.messagesIn).toBe(4)
    expect(stats.bytesIn).toBe(frames.reduce((n, f) => n + (f.kind === 'chunk' ? f.size : 0), 0))
    manager.dispose()
  })
})
