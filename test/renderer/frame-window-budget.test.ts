// One memory budget for every tab: the tab in view holds up to the full cap (a million
// frames), the tabs in the background share a small pool, each keeping its counters and
// a short tail (their full history is in the recording). Fifty tabs no longer hold
// fifty caps.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ConnectionSpecSchema, ok, type Frame, type FrameBatch, type SessionInfo } from '@contract'
import type { ApiClient } from '../../renderer/src/api'
import { FrameWindow } from '../../renderer/src/stores/frame-window'
import { BACKGROUND_POOL_FRAMES, BACKGROUND_POOL_TEXT, BACKGROUND_TAIL_FRAMES, backgroundTail, useSessionsStore } from '../../renderer/src/stores/sessions'

const spec = ConnectionSpecSchema.parse({ technique: 'websocket', url: 'ws://127.0.0.1:1/feed' })
const stats = (frames: number) => ({ frames, messagesIn: frames, messagesOut: 0, bytesIn: frames, bytesOut: 0, reconnects: 0 })

function messages(from: number, to: number, data = 'x'): Frame[] {
  const frames: Frame[] = []
  for (let seq = from; seq <= to; seq++) frames.push({ seq, time: 1000 + seq, direction: 'in', kind: 'message', data, size: data.length })
  return frames
}
const batch = (sessionId: string, frames: Frame[]): FrameBatch => ({ sessionId, frames, skipped: 0, lastSeq: frames.at(-1)?.seq ?? 0, state: 'open', stats: stats(frames.at(-1)?.seq ?? 0) })

/** Just enough of the engine for the sessions store: sessions open, batches are pushed by the test. */
function fakeApi() {
  let deliver: (batch: FrameBatch) => void = () => {}
  let nextId = 1
  const client = {
    getEnvironment: vi.fn(async () => ok({ version: '9.9.9', transport: 'bridge' as const })),
    listSessions: vi.fn(async () => ok([])),
    openSession: vi.fn(async () => ok({ id: `s${nextId++}`, spec, state: 'connecting', startedAt: 1000, stats: stats(0) } satisfies SessionInfo)),
    closeSession: vi.fn(async () => ok(undefined)),
    subscribe: vi.fn(async () => ok(undefined)),
    unsubscribe: vi.fn(async () => ok(undefined)),
    onFrames: (listener: (batch: FrameBatch) => void) => {
      deliver = listener
      return () => {}
    },
    onTransportLost: () => () => {},
  }
  return { client: client as unknown as ApiClient, push: (b: FrameBatch) => deliver(b) }
}

async function openTabs(count: number, options: { frameCap?: number } = {}) {
  const { client, push } = fakeApi()
  const store = useSessionsStore()
  await store.init(client, options)
  for (let i = 0; i < count; i++) await store.connect({ technique: 'websocket', url: 'ws://127.0.0.1:1/feed' })
  return { store, push }
}

describe('FrameWindow bounds that move', () => {
  it('lets the oldest go at once when its bounds shrink, counting them as trimmed in the background', () => {
    const held = new FrameWindow(10_000)
    held.append(messages(1, 5000), 0, 5000)
    held.setLimits(100, 1_000_000, true)
    expect(held.length).toBe(100)
    expect(held.get(0)!.seq).toBe(4901)
    expect(held.dropped).toBe(4900)
    expect(held.trimmedInBackground).toBe(4900)
    // In view again: the whole cap for what comes next; what was let go stays gone.
    held.setLimits(10_000, 1_000_000)
    held.append(messages(5001, 8000), 0, 8000)
    expect(held.length).toBe(3100)
    expect(held.trimmedInBackground).toBe(4900)
    expect(held.indexOfSeq(7000)).toBe(2099)
  })

  it('keeps its text within a shrunk text budget too, one frame at least', () => {
    const held = new FrameWindow(1000)
    held.append(messages(1, 100, 'y'.repeat(1000)), 0, 100)
    held.setLimits(1000, 5 * (1000 + 64), true)
    expect(held.length).toBe(5)
    expect(held.textHeld).toBeLessThanOrEqual(5 * 1064)
    held.setLimits(1000, 10, true)
    expect(held.length).toBe(1)
    expect(held.last()!.seq).toBe(100)
  })
})

describe('one budget for all tabs', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('50 tabs with 5,000 frames each: the one in view keeps all of its own, the others a tail within the shared pool', async () => {
    const { store, push } = await openTabs(50)
    const ids = store.sessions.map((s) => s.id)
    for (const id of ids) push(batch(id, messages(1, 5000)))
    store.applyPending()
    const active = store.activeId!
    expect(store.activeWindow!.length).toBe(5000)
    const held = store.held()
    expect(held.sessions).toBe(50)
    expect(held.frames).toBeLessThanOrEqual(5000 + BACKGROUND_POOL_FRAMES)
    expect(held.frames).toBeLessThan(50 * 5000)
    // Counters stay whole in the background: the engine's stats for every tab.
    for (const view of store.sessions) expect(view.stats.frames).toBe(5000)

    // Each background tab, brought into view, shows its tail: the newest frames it got.
    const tail = backgroundTail(49).frames
    for (const id of ids.filter((id) => id !== active)) {
      store.activate(id)
      expect(store.activeWindow!.length, id).toBe(tail)
      expect(store.activeWindow!.last()!.seq).toBe(5000)
      expect(store.activeWindow!.trimmedInBackground).toBe(5000 - tail)
    }
  })

  it('the background pool holds however many tabs there are, and by text as well as by count', async () => {
    const { store, push } = await openTabs(200)
    const big = 'z'.repeat(64 * 1024)
    for (const view of store.sessions) push(batch(view.id, messages(1, 400, big)))
    store.applyPending()
    const held = store.held()
    const active = store.activeWindow!
    expect(held.frames - active.length).toBeLessThanOrEqual(BACKGROUND_POOL_FRAMES)
    expect(held.text - active.textHeld).toBeLessThanOrEqual(BACKGROUND_POOL_TEXT + 199 * (big.length + 64))
    expect(backgroundTail(1).frames).toBe(BACKGROUND_TAIL_FRAMES)
    expect(backgroundTail(100_000).frames).toBe(1)
  })

  it('a tab brought into view gets the whole cap again; the one it replaced is cut to its tail', async () => {
    const { store, push } = await openTabs(3, { frameCap: 100_000 })
    const [a, b, c] = store.sessions.map((s) => s.id) as [string, string, string]
    push(batch(c, messages(1, 50_000)))
    store.applyPending()
    expect(store.activeWindow!.length).toBe(50_000)
    store.activate(a)
    push(batch(a, messages(1, 80_000)))
    push(batch(c, messages(50_001, 60_000)))
    store.applyPending()
    expect(store.activeWindow!.length).toBe(80_000)
    store.activate(c)
    expect(store.activeWindow!.length).toBe(backgroundTail(2).frames)
    expect(store.activeWindow!.last()!.seq).toBe(60_000)
    // Closing a tab gives its share back to the others still in the background.
    await store.dismiss(b)
    expect(backgroundTail(1).frames).toBeGreaterThanOrEqual(backgroundTail(2).frames)
    expect(store.held().sessions).toBe(2)
  })

  it('the tab in view still holds a million frames while 49 others run', async () => {
    const { store, push } = await openTabs(50)
    const active = store.activeId!
    const others = store.sessions.map((s) => s.id).filter((id) => id !== active)
    for (let from = 1; from <= 1_000_000; from += 50_000) {
      push(batch(active, messages(from, from + 49_999)))
      for (const id of others) push(batch(id, messages(from / 50 + 1, from / 50 + 1000)))
      store.applyPending()
    }
    expect(store.activeWindow!.length).toBe(1_000_000)
    expect(store.activeWindow!.dropped).toBe(0)
    expect(store.held().frames).toBeLessThanOrEqual(1_000_000 + BACKGROUND_POOL_FRAMES)
  }, 60_000)
})
