import type { VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConnectionSpecSchema, ok, type Frame, type FrameBatch } from '@contract'
import type { ApiClient } from '../../renderer/src/api'
import { timeMode } from '../../renderer/src/format/frame-time'
import { createShortcutRegistry, type ShortcutRegistry } from '../../renderer/src/shortcuts'
import type { FrameWindow } from '../../renderer/src/stores/frame-window'
import { useSessionsStore } from '../../renderer/src/stores/sessions'
import { append, mountList, rowSeqs, unmountAll, windowOf } from './frame-list-harness'

const T0 = new Date(2025, 0, 2, 14, 3, 27, 118).getTime()

/** Frames 4 ms apart, every tenth a tick. */
function messages(from: number, to: number): Frame[] {
  const frames: Frame[] = []
  for (let seq = from; seq <= to; seq++) {
    const data = seq % 10 === 0 ? `tick ${seq}` : `noise ${seq}`
    frames.push({ seq, time: T0 + (seq - 1) * 4, direction: 'in', kind: 'message', data, size: data.length })
  }
  return frames
}

afterEach(() => {
  unmountAll()
  timeMode.value = 'clock'
  localStorage.clear()
  vi.restoreAllMocks()
})

/** The list attached to the document: selection and keys need focus. */
const mountAttached = (held: FrameWindow, registry?: ShortcutRegistry) => mountList(held, { registry, attached: true })
const lastSelected = (list: VueWrapper) => (list.emitted('select')!.at(-1)![0] as Frame).seq

describe('FrameList pause and clear', () => {
  it('stops moving while paused, counts what arrives, and shows it all on resume', async () => {
    const held = windowOf(messages(1, 5))
    const list = mountAttached(held)
    await list.get('[data-testid=frame-pause]').trigger('click')
    await append(list, held, messages(6, 1239))
    expect(rowSeqs(list)).toEqual([1, 2, 3, 4, 5])
    expect(list.get('[data-testid=paused-notice]').text()).toContain('Paused — 1,234 new')
    await list.get('[data-testid=paused-notice] button').trigger('click')
    expect(list.find('[data-testid=paused-notice]').exists()).toBe(false)
    expect(rowSeqs(list).at(-1)).toBe(1239)
  })

  it('keeps a filter applied to frames arriving while paused', async () => {
    const held = windowOf(messages(1, 20))
    const list = mountAttached(held)
    await list.get('[data-testid=frame-search]').setValue('tick')
    await list.get('[data-testid=frame-pause]').trigger('click')
    await append(list, held, messages(21, 40))
    expect(rowSeqs(list)).toEqual([10, 20])
    await list.get('[data-testid=frame-pause]').trigger('click')
    expect(rowSeqs(list)).toEqual([10, 20, 30, 40])
  })

  it('empties the list on clear, and later frames appear', async () => {
    const held = windowOf(messages(1, 30))
    const list = mountAttached(held)
    await list.get('[data-testid=frame-clear]').trigger('click')
    expect(rowSeqs(list)).toEqual([])
    expect(list.get('[data-testid=cleared]').text()).toContain('New frames appear here')
    expect(list.get('[data-testid=frame-count]').text()).toBe('0 frames')
    await append(list, held, messages(31, 33))
    expect(rowSeqs(list)).toEqual([31, 32, 33])
    expect(list.find('[data-testid=cleared]').exists()).toBe(false)
  })

  it('stays empty after a clear while paused, and says how to see what arrived', async () => {
    const held = windowOf(messages(1, 30))
    const list = mountAttached(held)
    await list.get('[data-testid=frame-pause]').trigger('click')
    await list.get('[data-testid=frame-clear]').trigger('click')
    await append(list, held, messages(31, 33))
    expect(rowSeqs(list)).toEqual([])
    expect(list.get('[data-testid=cleared]').text()).toContain('Resume to see the frames that arrived')
    expect(list.get('[data-testid=paused-notice]').text()).toContain('Paused — 3 new')
    await list.get('[data-testid=paused-notice] button').trigger('click')
    expect(rowSeqs(list)).toEqual([31, 32, 33])
  })
})

describe('FrameList time column', () => {
  it('switches between clock time, time since start and time since the previous frame, and remembers it', async () => {
    const list = mountAttached(windowOf(messages(1, 3)))
    const times = () => list.findAll('[data-testid=frame-row] .time').map((t) => t.text())
    expect(times()).toEqual(['14:03:27.118', '14:03:27.122', '14:03:27.126'])
    await list.get('[data-testid=time-mode]').trigger('click')
    expect(list.get('[data-testid=time-mode]').text()).toContain('Since start')
    expect(times()).toEqual(['0.000 s', '0.004 s', '0.008 s'])
    await list.get('[data-testid=time-mode]').trigger('click')
    expect(times()).toEqual(['—', '+4.00 ms', '+4.00 ms'])
    expect(localStorage.getItem('rti.frameList.timeMode')).toBe('previous')
    await list.get('[data-testid=time-mode]').trigger('click')
    expect(times()[0]).toBe('14:03:27.118')
  })

  it('starts in the mode chosen in an earlier run', async () => {
    localStorage.setItem('rti.frameList.timeMode', 'start')
    vi.resetModules()
    const fresh = await import('../../renderer/src/format/frame-time')
    expect(fresh.timeMode.value).toBe('start')
  })
})

describe('FrameList reveal and keyboard', () => {
  it('scrolls to a revealed frame, selects it and stops following the tail', async () => {
    const list = mountAttached(windowOf(messages(1, 10_000)))
    expect(rowSeqs(list)).not.toContain(5000)
    await list.setProps({ reveal: { seq: 5000 } })
    await vi.waitFor(() => expect(rowSeqs(list)).toContain(5000))
    expect(lastSelected(list)).toBe(5000)
    expect(list.find('[data-testid=jump-to-live]').exists()).toBe(true)
    await list.get('[data-testid=jump-to-live]').trigger('click')
    expect(rowSeqs(list)).toContain(10_000)
  })

  it('reveals where a frame hidden by the filter would be, once the filter is applied', async () => {
    let clock = 0
    // Every clock read moves 5 ms on, so the filter takes many slices: the reveal comes mid-way.
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 5))
    const list = mountAttached(windowOf(messages(1, 10_000)))
    await list.get('[data-testid=frame-search]').setValue('tick')
    expect(list.get('[data-testid=frame-count]').text()).toMatch(/^Filtering…/)
    await list.setProps({ reveal: { seq: 5005 } })
    await vi.waitFor(() => expect(rowSeqs(list)).toContain(5010))
    expect(lastSelected(list)).toBe(5005)
  })

  it('moves the selection with the arrow keys, Home, End and the page keys', async () => {
    const list = mountAttached(windowOf(messages(1, 200)))
    const scroller = list.get('[data-testid=frame-scroller]')
    await scroller.trigger('keydown', { key: 'Home' })
    expect(lastSelected(list)).toBe(1)
    await list.setProps({ selectedSeq: 1 })
    await scroller.trigger('keydown', { key: 'ArrowDown' })
    expect(lastSelected(list)).toBe(2)
    await list.setProps({ selectedSeq: 2 })
    await scroller.trigger('keydown', { key: 'ArrowUp' })
    expect(lastSelected(list)).toBe(1)
    await list.setProps({ selectedSeq: 1 })
    await scroller.trigger('keydown', { key: 'PageDown' })
    // 600 px of fallback viewport: a page is 24 rows, less one kept for context.
    expect(lastSelected(list)).toBe(25)
    await scroller.trigger('keydown', { key: 'End' })
    expect(lastSelected(list)).toBe(200)
    await list.setProps({ selectedSeq: 200 })
    await scroller.trigger('keydown', { key: 'ArrowDown' })
    expect(lastSelected(list)).toBe(200)
  })

  it('moves through the matching frames only while a filter is on', async () => {
    const list = mountAttached(windowOf(messages(1, 50)))
    await list.get('[data-testid=frame-search]').setValue('tick')
    await list.setProps({ selectedSeq: 20 })
    const scroller = list.get('[data-testid=frame-scroller]')
    await scroller.trigger('keydown', { key: 'ArrowDown' })
    expect(lastSelected(list)).toBe(30)
    // From a frame the filter hides, the first step lands on its neighbour.
    await list.setProps({ selectedSeq: 25 })
    await scroller.trigger('keydown', { key: 'ArrowUp' })
    expect(lastSelected(list)).toBe(20)
    await scroller.trigger('keydown', { key: 'ArrowDown' })
    expect(lastSelected(list)).toBe(30)
  })

  it('focuses and selects the search text on Ctrl+F, and lists its navigation keys for the help overlay', async () => {
    const registry = createShortcutRegistry('other')
    const list = mountAttached(windowOf(messages(1, 3)), registry)
    await list.get('[data-testid=frame-search]').setValue('tick')
    expect(registry.handle(new KeyboardEvent('keydown', { key: 'f', code: 'KeyF', ctrlKey: true }))).toBe(true)
    const search = list.get('[data-testid=frame-search]').element as HTMLInputElement
    expect(document.activeElement).toBe(search)
    expect([search.selectionStart, search.selectionEnd]).toEqual([0, 4])
    expect(registry.shortcuts.value.find((s) => s.id === 'frames-navigate')?.keys).toEqual(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End'])
  })
})

describe('sessions store reveal', () => {
  it('reveals the first held frame at or after a time in the active session', async () => {
    setActivePinia(createPinia())
    let deliver: (batch: FrameBatch) => void = () => {}
    const spec = ConnectionSpecSchema.parse({ technique: 'websocket', url: 'ws://127.0.0.1:1/' })
    const stats = { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 }
    // Only what the store calls for this; the engine itself is exercised end to end elsewhere.
    const client = {
      getEnvironment: async () => ok({ version: '1', transport: 'bridge' as const }),
      listSessions: async () => ok([{ id: 's1', spec, state: 'open' as const, startedAt: T0, stats }]),
      subscribe: async () => ok(undefined),
      onFrames: (listener: (batch: FrameBatch) => void) => ((deliver = listener), () => {}),
      onTransportLost: () => () => {},
    } as unknown as ApiClient
    const store = useSessionsStore()
    await store.init(client)
    expect(store.revealTime(T0)).toBe(false)
    deliver({ sessionId: 's1', frames: messages(1, 100), skipped: 0, lastSeq: 100, state: 'open', stats })
    store.applyPending()
    expect(store.revealTime(T0 + 41)).toBe(true)
    expect(store.reveal).toEqual({ seq: 12 })
    store.revealTime(T0 + 1e9)
    expect(store.reveal).toEqual({ seq: 100 })
    const before = store.reveal
    store.revealSeq(100)
    expect(store.reveal).toEqual({ seq: 100 })
    expect(store.reveal).not.toBe(before)
  })
})
