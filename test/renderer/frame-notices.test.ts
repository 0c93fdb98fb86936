// The banner over the frame list says what the tab does not show and where it is. A
// tab brought back from the background shows a short tail: the older frames were let
// go to share the renderer's one budget, and the session's recording has them — not
// "let go to keep the last 1,000,000", which is the cap of the tab in view.
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { ConnectionSpecSchema, ok, type Frame, type FrameBatch, type SessionInfo } from '@contract'
import type { ApiClient } from '../../renderer/src/api'
import FrameNotices from '../../renderer/src/components/FrameNotices.vue'
import { backgroundTail, useSessionsStore } from '../../renderer/src/stores/sessions'

const spec = ConnectionSpecSchema.parse({ technique: 'websocket', url: 'ws://127.0.0.1:1/feed' })
const stats = (frames: number) => ({ frames, messagesIn: frames, messagesOut: 0, bytesIn: frames, bytesOut: 0, reconnects: 0 })

function messages(from: number, to: number): Frame[] {
  const frames: Frame[] = []
  for (let seq = from; seq <= to; seq++) frames.push({ seq, time: 1000 + seq, direction: 'in', kind: 'message', data: 'x', size: 1 })
  return frames
}
const batch = (sessionId: string, frames: Frame[], skipped = 0): FrameBatch => ({ sessionId, frames, skipped, lastSeq: frames.at(-1)?.seq ?? 0, state: 'open', stats: stats(frames.at(-1)?.seq ?? 0) })

/** Sessions the engine opens, recorded to a file or not; batches are pushed by the test. */
async function openTabs(recorded: (boolean | 'stopped')[], frameCap?: number) {
  let deliver: (batch: FrameBatch) => void = () => {}
  let nextId = 1
  const recording = (id: string, how: boolean | 'stopped') =>
    how === false ? {} : { recording: { path: `/data/recordings/${id}.rti.jsonl`, bytes: 100, frames: 0, ...(how === 'stopped' ? { stopped: 'recording stopped: the disk could not keep up' } : {}) } }
  const client = {
    getEnvironment: vi.fn(async () => ok({ version: '9.9.9', transport: 'bridge' as const })),
    listSessions: vi.fn(async () => ok([])),
    openSession: vi.fn(async () => {
      const id = `s${nextId}`
      return ok({ id, spec, state: 'open', startedAt: 1000, stats: stats(0), ...recording(id, recorded[nextId++ - 1]!) } satisfies SessionInfo)
    }),
    subscribe: vi.fn(async () => ok(undefined)),
    unsubscribe: vi.fn(async () => ok(undefined)),
    onFrames: (listener: (batch: FrameBatch) => void) => {
      deliver = listener
      return () => {}
    },
    onTransportLost: () => () => {},
  }
  const store = useSessionsStore()
  await store.init(client as unknown as ApiClient, frameCap ? { frameCap } : {})
  for (let i = 0; i < recorded.length; i++) await store.connect({ technique: 'websocket', url: 'ws://127.0.0.1:1/feed' })
  return { store, push: (b: FrameBatch) => deliver(b) }
}

const noticesOf = (session: NonNullable<ReturnType<typeof useSessionsStore>['active']>) => {
  const wrapper = mount(FrameNotices, { props: { session } })
  return wrapper.findAll('[data-testid="skipped-notice"] span').map((span) => ({ text: span.text(), title: span.attributes('title') }))
}

describe('the notice about frames let go', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('a tab back from the background: its older frames were let go there, and its recording has them', async () => {
    const { store, push } = await openTabs([true, true])
    const [first, second] = store.sessions.map((s) => s.id) as [string, string]
    push(batch(first, messages(1, 5000)))
    push(batch(second, messages(1, 10)))
    store.applyPending()
    store.activate(first)
    const tail = backgroundTail(1).frames
    expect(store.activeWindow!.length).toBe(tail)
    expect(noticesOf(store.active!)).toEqual([
      { text: `${(5000 - tail).toLocaleString('en-US')} older frames let go while this tab was in the background — its recording has them`, title: `/data/recordings/${first}.rti.jsonl` },
    ])
  })

  it('says so when the session is not recorded, or its recording stopped early', async () => {
    const { store, push } = await openTabs([false, 'stopped', true])
    const [plain, stopped] = store.sessions.map((s) => s.id) as [string, string, string]
    push(batch(plain, messages(1, 3000)))
    push(batch(stopped, messages(1, 3000)))
    store.applyPending()
    const let_go = (3000 - backgroundTail(2).frames).toLocaleString('en-US')
    store.activate(plain)
    expect(noticesOf(store.active!).map((n) => n.text)).toEqual([`${let_go} older frames let go while this tab was in the background — the session is not recorded, they are gone`])
    store.activate(stopped)
    expect(noticesOf(store.active!).map((n) => n.text)).toEqual([`${let_go} older frames let go while this tab was in the background — its recording stopped early and may lack them`])
  })

  it('the tab in view over its cap, and frames too fast to show, as before; beside what went in the background', async () => {
    const { store, push } = await openTabs([true, true], 1000)
    const [first, second] = store.sessions.map((s) => s.id) as [string, string]
    push(batch(first, messages(1, 1500)))
    store.applyPending()
    store.activate(first)
    push(batch(first, messages(1501, 2700), 7))
    store.applyPending()
    expect(store.activeWindow!.length).toBe(1000)
    const background = 1500 - Math.min(1000, backgroundTail(1).frames)
    expect(noticesOf(store.active!).map((n) => n.text)).toEqual([
      '7 frames not shown — too fast to display',
      `${(2700 - 1000 - background).toLocaleString('en-US')} oldest frames let go to keep the last 1,000 in view`,
      `${background.toLocaleString('en-US')} older frames let go while this tab was in the background — its recording has them`,
    ])
    store.activate(second)
    expect(noticesOf(store.active!)).toEqual([])
  })

  it('a notice already on screen follows its window as frames arrive, with no signal but the window itself', async () => {
    const { store, push } = await openTabs([true], 100)
    const [id] = store.sessions.map((s) => s.id) as [string]
    push(batch(id, messages(1, 10)))
    store.applyPending()
    const wrapper = mount(FrameNotices, { props: { session: store.active! } })
    expect(wrapper.find('[data-testid="skipped-notice"]').exists()).toBe(false)
    const version = store.version
    // Straight into the window, past the store: its version counter does not move.
    store.activeWindow!.append(messages(11, 150), 4, 150)
    await nextTick()
    expect(store.version).toBe(version)
    expect(wrapper.findAll('[data-testid="skipped-notice"] span').map((span) => span.text())).toEqual(['4 frames not shown — too fast to display', '50 oldest frames let go to keep the last 100 in view'])
    wrapper.unmount()
  })
})
