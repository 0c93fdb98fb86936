import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fail, ok } from '@contract'
import RecordingsPanel from '../../renderer/src/components/RecordingsPanel.vue'
import { REFRESH_DELAY_MS, SEARCH_DELAY_MS, useRecordingsStore } from '../../renderer/src/stores/recordings'
import { useSessionsStore } from '../../renderer/src/stores/sessions'
import { recording, recordingsStandIn } from './recordings-stand-in'

const AUTOMATIC = '2026-01-02T10-20-30.000Z-websocket-127.0.0.1_5000.rti.jsonl'
const NAMED = 'checkout bug.rti.jsonl'

let pinia: Pinia
let panel: VueWrapper

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})
afterEach(() => {
  panel?.unmount()
  vi.useRealTimers()
})

async function mountPanel(engine = recordingsStandIn([recording(NAMED, { technique: 'sse', endpoint: 'http://api.example.com/events?x=1', frames: 1234, bytes: 3 * 1024 * 1024 }), recording(AUTOMATIC)])) {
  await useSessionsStore().init(engine.client)
  await useRecordingsStore().init(engine.client)
  panel = mount(RecordingsPanel, { global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return engine
}

const items = () => panel.findAll('[data-testid=recording]')
const item = (name: string) => panel.find(`[data-testid=recording][data-name="${name}"]`)

describe('recordings panel', () => {
  it('lists the recordings in the order the engine gives (newest first) with what each holds', async () => {
    await mountPanel()
    expect(items().map((i) => i.attributes('data-name'))).toEqual([NAMED, AUTOMATIC])
    expect(panel.get('[data-testid=recordings-summary]').text()).toBe('2 recordings')

    const named = item(NAMED)
    expect(named.get('[data-testid=recording-name]').text()).toBe('checkout bug')
    expect(named.get('[data-testid=recording-endpoint]').text()).toBe('api.example.com/events?x=1')
    expect(named.get('.technique').text()).toBe('SSE')
    expect(named.get('[data-testid=recording-meta]').text()).toMatch(/0:12.*1,234 frames.*3\.0 MB/)
    expect(named.get('[data-testid=recording-started]').text()).toMatch(/2026.*\d\d:\d\d:\d\d/)

    // An automatic name only repeats time, technique and host: the endpoint is the heading.
    const automatic = item(AUTOMATIC)
    expect(automatic.get('[data-testid=recording-name]').text()).toBe('127.0.0.1:5000/ws/echo')
    expect(automatic.find('[data-testid=recording-endpoint]').exists()).toBe(false)
    expect(automatic.get('.technique').text()).toBe('WS')
    expect(panel.text()).toContain('/data/recordings')
  })

  it('marks a frame count that is only an upper bound', async () => {
    await mountPanel(recordingsStandIn([recording(AUTOMATIC, { frames: 7, framesExact: false })]))
    expect(item(AUTOMATIC).get('[data-testid=recording-meta]').text()).toContain('≤ 7 frames')
  })

  it('says when there is nothing yet, and when the engine records nothing', async () => {
    await mountPanel(recordingsStandIn([]))
    expect(panel.find('[data-testid=recordings-empty]').exists()).toBe(true)
    panel.unmount()

    setActivePinia((pinia = createPinia()))
    const engine = recordingsStandIn([])
    engine.client.listRecordings.mockResolvedValue(fail('E_LIBRARY_UNAVAILABLE', 'no data folder'))
    await mountPanel(engine)
    expect(panel.find('[data-testid=recordings-unavailable]').exists()).toBe(true)
    expect(panel.find('[data-testid=recordings-error]').exists()).toBe(false)
  })

  it('searches by endpoint after a pause in typing, and shows only the hits', async () => {
    vi.useFakeTimers()
    const engine = await mountPanel()
    await panel.get('[data-testid=recordings-endpoint-search]').setValue('example')
    await panel.get('[data-testid=recordings-endpoint-search]').setValue('example.com')
    expect(panel.get('[data-testid=recordings-summary]').text()).toBe('Searching…')
    expect(engine.client.searchRecordings).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS)
    await flushPromises()
    expect(engine.client.searchRecordings).toHaveBeenCalledTimes(1)
    expect(engine.client.searchRecordings).toHaveBeenCalledWith({ endpoint: 'example.com' })
    expect(items().map((i) => i.attributes('data-name'))).toEqual([NAMED])
    expect(panel.get('[data-testid=recordings-summary]').text()).toBe('1 found')

    // Cleared: the whole list again, without asking the engine.
    await panel.get('[data-testid=recordings-endpoint-search]').setValue('')
    expect(items()).toHaveLength(2)
    expect(engine.client.searchRecordings).toHaveBeenCalledTimes(1)
  })

  it('searches by content, shows matches per recording, and says when the search stopped early', async () => {
    vi.useFakeTimers()
    const engine = await mountPanel()
    engine.client.searchRecordings.mockResolvedValueOnce(ok({ hits: [{ ...recording(AUTOMATIC), matches: 40, complete: false }], complete: false }))
    await panel.get('[data-testid=recordings-text-search]').setValue('orderId')
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS)
    await flushPromises()
    expect(engine.client.searchRecordings).toHaveBeenCalledWith({ text: 'orderId' })
    expect(item(AUTOMATIC).get('[data-testid=recording-matches]').text()).toBe('40+ matches')
    expect(panel.get('[data-testid=recordings-summary]').text()).toMatch(/1 found — search stopped early/)
  })

  it('shows only the answer to the latest query', async () => {
    vi.useFakeTimers()
    const engine = await mountPanel()
    let answerFirst: (value: unknown) => void = () => {}
    engine.client.searchRecordings.mockImplementationOnce(() => new Promise((resolve) => (answerFirst = resolve as (value: unknown) => void)))
    await panel.get('[data-testid=recordings-text-search]').setValue('slow')
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS)
    await panel.get('[data-testid=recordings-text-search]').setValue('fast')
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS)
    await flushPromises()
    answerFirst(ok({ hits: [], complete: true }))
    await flushPromises()
    expect(items()).toHaveLength(2)
    expect(item(NAMED).get('[data-testid=recording-matches]').text()).toBe('2 matches')
  })

  it('renames in place: Enter keeps the new name, Escape leaves it', async () => {
    const engine = await mountPanel()
    await item(NAMED).get('[data-testid=recording-rename]').trigger('click')
    const input = item(NAMED).get<HTMLInputElement>('[data-testid=recording-rename-input]')
    expect(input.element.value).toBe('checkout bug')
    await input.setValue('ignored')
    await input.trigger('keydown', { key: 'Escape' })
    expect(engine.client.renameRecording).not.toHaveBeenCalled()

    await item(NAMED).get('[data-testid=recording-rename]').trigger('click')
    await item(NAMED).get('[data-testid=recording-rename-input]').setValue('checkout bug, second try')
    await item(NAMED).get('[data-testid=recording-rename-input]').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(engine.client.renameRecording).toHaveBeenCalledWith({ name: NAMED, newName: 'checkout bug, second try' })
    expect(items().map((i) => i.attributes('data-name'))).toContain('checkout bug, second try.rti.jsonl')
  })

  it("shows the engine's refusal to rename", async () => {
    const engine = await mountPanel()
    engine.client.renameRecording.mockResolvedValueOnce(fail('E_RECORDING_EXISTS', 'that name is taken'))
    await item(NAMED).get('[data-testid=recording-rename]').trigger('click')
    await item(NAMED).get('[data-testid=recording-rename-input]').setValue('other')
    await item(NAMED).get('[data-testid=recording-rename-input]').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(panel.get('[data-testid=recordings-error]').text()).toContain('Could not rename: that name is taken (E_RECORDING_EXISTS)')
    expect(item(NAMED).exists()).toBe(true)
  })

  it('deletes only after a confirmation', async () => {
    const engine = await mountPanel()
    await item(NAMED).get('[data-testid=recording-delete]').trigger('click')
    await item(NAMED).get('[data-testid=recording-cancel-delete]').trigger('click')
    expect(engine.client.deleteRecording).not.toHaveBeenCalled()
    expect(item(NAMED).find('[data-testid=recording-confirm-delete]').exists()).toBe(false)

    await item(NAMED).get('[data-testid=recording-delete]').trigger('click')
    await item(NAMED).get('[data-testid=recording-confirm-delete]').trigger('click')
    await flushPromises()
    expect(engine.client.deleteRecording).toHaveBeenCalledWith(NAMED)
    expect(items().map((i) => i.attributes('data-name'))).toEqual([AUTOMATIC])
  })

  it('opens a recording read-only (all at once) in a new active tab', async () => {
    const engine = await mountPanel()
    await item(AUTOMATIC).get('[data-testid=recording-open]').trigger('click')
    await flushPromises()
    expect(engine.client.openPlayback).toHaveBeenCalledWith({ name: AUTOMATIC, speed: 'instant' })
    const sessions = useSessionsStore()
    expect(sessions.sessions).toHaveLength(1)
    expect(sessions.active?.playback?.name).toBe(AUTOMATIC)
    expect(sessions.active?.label).toBe('127.0.0.1:5000/ws/echo')
    expect(engine.client.subscribe).toHaveBeenCalledWith({ sessionId: sessions.activeId })
  })

  it('plays a recording back at the recorded pace', async () => {
    const engine = await mountPanel()
    await item(NAMED).get('[data-testid=recording-play]').trigger('click')
    await flushPromises()
    expect(engine.client.openPlayback).toHaveBeenCalledWith({ name: NAMED, speed: 1, paused: false })
    expect(useSessionsStore().active?.playback?.speed).toBe(1)
    // A recording someone named is called that in its tab.
    expect(useSessionsStore().active?.label).toBe('checkout bug')
  })

  it('reads the folder again a moment after asked to (a session ended)', async () => {
    vi.useFakeTimers()
    const engine = await mountPanel()
    engine.folder.unshift(recording('new.rti.jsonl'))
    const store = useRecordingsStore()
    store.refreshSoon()
    store.refreshSoon()
    await vi.advanceTimersByTimeAsync(REFRESH_DELAY_MS)
    await flushPromises()
    expect(engine.client.listRecordings).toHaveBeenCalledTimes(2)
    expect(items()[0]!.attributes('data-name')).toBe('new.rti.jsonl')
  })
})
