import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ConnectionSpecSchema, fail, ok, type ConnectionSpec, type Frame, type FrameBatch, type SessionInfo, type SessionState, type SessionStats } from '@contract'
import type { ApiClient } from '../../renderer/src/api'
import { useSessionsStore } from '../../renderer/src/stores/sessions'

/** The recordings library is not used by the sessions store. */
const unused = async () => fail('E_TEST_UNUSED', 'not in this test')
const recordingsUnused = { listRecordings: unused, renameRecording: unused, deleteRecording: unused, searchRecordings: unused, openRecording: unused, recordingFrames: unused, filterRecording: unused, closeRecording: unused, openPlayback: unused, controlPlayback: unused, uploadRecording: unused, resendRecording: unused, diffRecordings: unused, startMock: unused, stopMock: unused, listMocks: unused, startProbe: unused, probeStatus: unused, cancelProbe: unused }

const spec: ConnectionSpec = ConnectionSpecSchema.parse({ technique: 'websocket', url: 'ws://127.0.0.1:1/echo' })
const stats = (frames: number): SessionStats => ({ frames, messagesIn: frames, messagesOut: 0, bytesIn: frames, bytesOut: 0, reconnects: 0 })
const info = (id: string, state: SessionState = 'connecting'): SessionInfo => ({ id, spec, state, startedAt: 1000, stats: stats(0) })

function messages(from: number, to: number): Frame[] {
  const frames: Frame[] = []
  for (let seq = from; seq <= to; seq++) frames.push({ seq, time: 1000 + seq, direction: 'in', kind: 'message', data: String(seq), size: 1 })
  return frames
}
const batch = (sessionId: string, frames: Frame[], extra: Partial<FrameBatch> = {}): FrameBatch => ({
  sessionId,
  frames,
  skipped: 0,
  lastSeq: frames.at(-1)?.seq ?? 0,
  state: 'open',
  stats: stats(frames.at(-1)?.seq ?? 0),
  ...extra,
})

/** An engine stand-in that records calls; batches are pushed by the test. */
function fakeApi(existing: SessionInfo[] = []) {
  let deliver: (batch: FrameBatch) => void = () => {}
  let nextId = 1
  const client = {
    getEnvironment: vi.fn(async () => ok({ version: '9.9.9', transport: 'bridge' as const })),
    listSessions: vi.fn(async () => ok(existing)),
    openSession: vi.fn(async () => ok(info(`s${nextId++}`))),
    closeSession: vi.fn(async () => ok(undefined)),
    send: vi.fn(async () => ok(undefined)),
    subscribe: vi.fn(async () => ok(undefined)),
    unsubscribe: vi.fn(async () => ok(undefined)),
    listConnections: vi.fn(async () => ok([])),
    saveConnection: vi.fn(async () => fail('E_LIBRARY_UNAVAILABLE', 'not in this test')),
    deleteConnection: vi.fn(async () => ok(undefined)),
    listSnippets: vi.fn(async () => ok([])),
    saveSnippet: vi.fn(async () => fail('E_LIBRARY_UNAVAILABLE', 'not in this test')),
    deleteSnippet: vi.fn(async () => ok(undefined)),
    ...recordingsUnused,
    onFrames: (listener: (batch: FrameBatch) => void) => {
      deliver = listener
      return () => {}
    },
    onTransportLost: () => () => {},
  } satisfies ApiClient
  return { client, push: (b: FrameBatch) => deliver(b) }
}

describe('sessions store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('opens a session, makes it active and subscribes to it', async () => {
    const { client } = fakeApi()
    const store = useSessionsStore()
    await store.init(client)
    expect(await store.connect({ technique: 'websocket', url: 'ws://127.0.0.1:1/echo' })).toBe(true)
    expect(store.active?.id).toBe('s1')
    expect(store.active?.label).toBe('127.0.0.1:1/echo')
    expect(client.subscribe).toHaveBeenCalledWith({ sessionId: 's1' })
    expect(store.environment?.version).toBe('9.9.9')
  })

  it("keeps the engine's refusal to show it", async () => {
    const { client } = fakeApi()
    client.openSession.mockResolvedValueOnce(fail('E_TECHNIQUE_UNSUPPORTED', 'sse is not available yet'))
    const store = useSessionsStore()
    await store.init(client)
    expect(await store.connect({ technique: 'sse', url: 'http://h/' })).toBe(false)
    expect(store.connectError).toEqual({ code: 'E_TECHNIQUE_UNSUPPORTED', message: 'sse is not available yet' })
    expect(store.sessions).toHaveLength(0)
  })

  it('applies all batches that arrived within one animation frame at once', async () => {
    const { client, push } = fakeApi()
    const store = useSessionsStore()
    await store.init(client)
    await store.connect({ technique: 'websocket', url: spec.url })
    const before = store.version
    push(batch('s1', messages(1, 10)))
    push(batch('s1', messages(11, 20)))
    expect(store.activeWindow!.length).toBe(0) // nothing before the frame is drawn
    store.applyPending()
    expect(store.activeWindow!.length).toBe(20)
    expect(store.version).toBe(before + 1)
    expect(store.active?.state).toBe('open')
    expect(store.active?.stats.frames).toBe(20)
  })

  it('keeps at most the cap, letting the oldest go and counting them, and sums skipped frames', async () => {
    const { client, push } = fakeApi()
    const store = useSessionsStore()
    await store.init(client, { frameCap: 100 })
    await store.connect({ technique: 'websocket', url: spec.url })
    push(batch('s1', messages(1, 80), { skipped: 5 }))
    push(batch('s1', messages(86, 150), { skipped: 7, lastSeq: 157 }))
    store.applyPending()
    const held = store.activeWindow!
    expect(held.length).toBe(100)
    expect(held.dropped).toBe(45)
    expect(held.skipped).toBe(12)
    expect(held.get(0)!.seq).toBe(46)
    expect(held.last()!.seq).toBe(150)
    // Far past the cap several times over: still bounded, still in order.
    for (let start = 158; start < 2000; start += 50) push(batch('s1', messages(start, start + 49)))
    store.applyPending()
    expect(held.length).toBe(100)
    expect(held.get(0)!.seq).toBe(1908)
    expect(held.indexOfSeq(1950)).toBe(42)
  })

  it('does not show a replayed history twice after subscribing again', async () => {
    const { client, push } = fakeApi()
    const store = useSessionsStore()
    await store.init(client)
    await store.connect({ technique: 'websocket', url: spec.url })
    push(batch('s1', messages(1, 10)))
    push(batch('s1', messages(5, 12)))
    store.applyPending()
    expect(store.activeWindow!.length).toBe(12)
  })

  it('starts a session over when a batch says restart (a playback sought back): held frames, selection and rate series forgotten', async () => {
    const { client, push } = fakeApi()
    const store = useSessionsStore()
    await store.init(client)
    await store.connect({ technique: 'websocket', url: spec.url })
    push(batch('s1', messages(1, 30)))
    store.applyPending()
    store.select(store.activeWindow!.get(29))
    const series = store.rates.get('s1')
    expect(series).toBeDefined()
    // Back to seq 11: the same seqs again, which without restart would be taken for a replayed history.
    push(batch('s1', messages(11, 15), { restart: true, stats: stats(5) }))
    store.applyPending()
    const held = store.activeWindow!
    expect(Array.from({ length: held.length }, (_, i) => held.get(i)!.seq)).toEqual([11, 12, 13, 14, 15])
    expect(held.origin).toBe(1011)
    expect(store.selected).toBeUndefined()
    expect(store.rates.get('s1')).not.toBe(series)
    expect(store.active?.stats.frames).toBe(5)
  })

  it('remembers the last close and when the session ended', async () => {
    const { client, push } = fakeApi()
    const store = useSessionsStore()
    await store.init(client)
    await store.connect({ technique: 'websocket', url: spec.url })
    const close: Frame = { seq: 3, time: 5000, direction: 'system', kind: 'close', code: 1001, reason: 'bye', meaning: 'going away', wasClean: true, idleMs: 1, bytesIn: 1, bytesOut: 1, cause: 'remote-close' }
    push(batch('s1', [...messages(1, 2), close], { state: 'closed' }))
    store.applyPending()
    expect(store.active?.lastClose).toMatchObject({ code: 1001, reason: 'bye', meaning: 'going away' })
    expect(store.active?.endedAt).toBe(5000)
  })

  it('picks up sessions that were already running (a page reload in browser mode)', async () => {
    const { client } = fakeApi([info('old', 'open')])
    const store = useSessionsStore()
    await store.init(client)
    expect(store.activeId).toBe('old')
    expect(client.subscribe).toHaveBeenCalledWith({ sessionId: 'old' })
  })

  it('closing a tab stops a live session and lets its frames go', async () => {
    const { client, push } = fakeApi()
    const store = useSessionsStore()
    await store.init(client)
    await store.connect({ technique: 'websocket', url: spec.url })
    await store.connect({ technique: 'websocket', url: spec.url })
    push(batch('s2', messages(1, 3)))
    store.applyPending()
    await store.dismiss('s2')
    expect(client.unsubscribe).toHaveBeenCalledWith('s2')
    expect(client.closeSession).toHaveBeenCalledWith('s2')
    expect(store.activeId).toBe('s1')
    push(batch('s2', messages(4, 5)))
    store.applyPending() // a late batch for a closed tab is ignored
    expect(store.sessions.map((s) => s.id)).toEqual(['s1'])
  })

  it('sends text on the active session', async () => {
    const { client } = fakeApi()
    const store = useSessionsStore()
    await store.init(client)
    await store.connect({ technique: 'websocket', url: spec.url })
    await store.sendText('hello')
    expect(client.send).toHaveBeenCalledWith({ sessionId: 's1', message: { type: 'text', data: 'hello' } })
  })
})
