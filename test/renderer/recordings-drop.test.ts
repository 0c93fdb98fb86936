import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fail, ok, PRELOAD_GLOBAL } from '@contract'
import AppSidebar from '../../renderer/src/components/AppSidebar.vue'
import RecordingDropZone from '../../renderer/src/components/RecordingDropZone.vue'
import RecordingsPanel from '../../renderer/src/components/RecordingsPanel.vue'
import { createShortcutRegistry, ShortcutsKey } from '../../renderer/src/shortcuts'
import { UPLOAD_CHUNK_BYTES } from '../../renderer/src/stores/playback'
import { REFRESH_DELAY_MS, useRecordingsStore } from '../../renderer/src/stores/recordings'
import { useSessionsStore } from '../../renderer/src/stores/sessions'
import { recording, recordingsStandIn } from './recordings-stand-in'

let pinia: Pinia
let wrapper: VueWrapper

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})
afterEach(() => {
  wrapper?.unmount()
  delete (globalThis as Record<string, unknown>)[PRELOAD_GLOBAL]
  vi.useRealTimers()
})

async function mountDropZone() {
  const engine = recordingsStandIn()
  await useSessionsStore().init(engine.client)
  wrapper = mount(RecordingDropZone, { global: { plugins: [pinia] }, attachTo: document.body })
  return engine
}

/** A drag event as the browser sends it for files from the desktop. */
function dragEvent(type: string, files: File[] = []): Event {
  const event = new Event(type, { bubbles: true, cancelable: true })
  Object.defineProperty(event, 'dataTransfer', { value: { types: ['Files'], files, dropEffect: 'none' } })
  return event
}

const recordingFile = (text: string, name = 'session.rti.jsonl') => new File([text], name, { type: 'application/x-ndjson' })

describe('dropping a recording on the window', () => {
  it('shows an overlay while files are dragged over the window, until they leave it', async () => {
    await mountDropZone()
    window.dispatchEvent(dragEvent('dragenter'))
    window.dispatchEvent(dragEvent('dragenter')) // crossing into a child element
    await flushPromises()
    expect(document.querySelector('[data-testid=drop-overlay]')).not.toBeNull()
    window.dispatchEvent(dragEvent('dragleave'))
    await flushPromises()
    expect(document.querySelector('[data-testid=drop-overlay]')).not.toBeNull()
    window.dispatchEvent(dragEvent('dragleave'))
    await flushPromises()
    expect(document.querySelector('[data-testid=drop-overlay]')).toBeNull()
  })

  it('lets the page have the file: dragover and drop are taken from the browser', async () => {
    await mountDropZone()
    const over = dragEvent('dragover')
    window.dispatchEvent(over)
    expect(over.defaultPrevented).toBe(true)
    const plain = new Event('dragover', { cancelable: true })
    Object.defineProperty(plain, 'dataTransfer', { value: { types: ['text/plain'], files: [] } })
    window.dispatchEvent(plain)
    expect(plain.defaultPrevented).toBe(false) // dragging text inside the page is left alone
  })

  it('sends a dropped file to the engine in chunks, then opens it read-only by the name it got', async () => {
    const engine = await mountDropZone()
    const text = `{"format":"rti-session"}\n${'x'.repeat(UPLOAD_CHUNK_BYTES + 10)}\n`
    window.dispatchEvent(dragEvent('dragenter'))
    window.dispatchEvent(dragEvent('drop', [recordingFile(text)]))
    await vi.waitFor(() => expect(engine.client.openPlayback).toHaveBeenCalled())
    await flushPromises()
    const calls = engine.client.uploadRecording.mock.calls.map(([p]) => ({ offset: p.offset, final: p.final, fileName: p.fileName }))
    expect(calls).toEqual([
      { offset: 0, final: false, fileName: 'session.rti.jsonl' },
      { offset: UPLOAD_CHUNK_BYTES, final: true, fileName: 'session.rti.jsonl' },
    ])
    expect(engine.uploads.get('session.rti.jsonl')).toBe(text)
    expect(engine.client.openPlayback).toHaveBeenCalledWith({ name: 'uploaded-session.rti.jsonl', speed: 'instant' })
    expect(useSessionsStore().active?.playback).toBeDefined()
    expect(document.querySelector('[data-testid=drop-overlay]')).toBeNull()
    expect(document.querySelector('[data-testid=playback-notice]')).toBeNull()
  })

  it('shows the progress of the upload while it runs', async () => {
    const engine = await mountDropZone()
    const answers: ((value: unknown) => void)[] = []
    engine.client.uploadRecording.mockImplementation(() => new Promise((resolve) => answers.push(resolve as (value: unknown) => void)))
    window.dispatchEvent(dragEvent('drop', [recordingFile('y'.repeat(UPLOAD_CHUNK_BYTES * 2))]))
    await vi.waitFor(() => expect(answers).toHaveLength(1))
    await flushPromises()
    expect(document.querySelector('[data-testid=playback-notice]')?.textContent).toContain('Sending session.rti.jsonl')
    expect(document.querySelector('[data-testid=upload-progress]')?.getAttribute('aria-valuenow')).toBe('0')
    answers[0]!(ok({ bytes: UPLOAD_CHUNK_BYTES }))
    await vi.waitFor(() => expect(answers).toHaveLength(2))
    await flushPromises()
    expect(document.querySelector('[data-testid=upload-progress]')?.getAttribute('aria-valuenow')).toBe('50')
    answers[1]!(ok({ bytes: UPLOAD_CHUNK_BYTES * 2, name: 'big.rti.jsonl' }))
    await vi.waitFor(() => expect(engine.client.openPlayback).toHaveBeenCalledWith({ name: 'big.rti.jsonl', speed: 'instant' }))
    await flushPromises()
    expect(document.querySelector('[data-testid=playback-notice]')).toBeNull()
  })

  it('refuses a file that is not a recording, and says why until dismissed', async () => {
    const engine = await mountDropZone()
    window.dispatchEvent(dragEvent('drop', [new File(['{}'], 'notes.json')]))
    await flushPromises()
    expect(engine.client.uploadRecording).not.toHaveBeenCalled()
    expect(document.querySelector('[data-testid=playback-error]')?.textContent).toMatch(/Could not open notes\.json: only \.rti\.jsonl files/)
    ;(document.querySelector('[data-testid=playback-error-dismiss]') as HTMLButtonElement).click()
    await flushPromises()
    expect(document.querySelector('[data-testid=playback-notice]')).toBeNull()
  })

  it("shows the engine's refusal of an upload", async () => {
    const engine = await mountDropZone()
    engine.client.uploadRecording.mockResolvedValueOnce(fail('E_RECORDING_NOT_RECORDING', 'the first line is not a recording header'))
    window.dispatchEvent(dragEvent('drop', [recordingFile('garbage')]))
    await flushPromises()
    expect(engine.client.openPlayback).not.toHaveBeenCalled()
    expect(document.querySelector('[data-testid=playback-error]')?.textContent).toContain('the first line is not a recording header')
  })

  it('in the desktop app opens the file where it is, with no upload', async () => {
    ;(globalThis as Record<string, unknown>)[PRELOAD_GLOBAL] = { pathForFile: (file: File) => `/home/me/Downloads/${file.name}` }
    const engine = await mountDropZone()
    window.dispatchEvent(dragEvent('drop', [recordingFile('{}')]))
    await vi.waitFor(() => expect(engine.client.openPlayback).toHaveBeenCalled())
    expect(engine.client.openPlayback).toHaveBeenCalledWith({ path: '/home/me/Downloads/session.rti.jsonl', speed: 'instant' })
    expect(engine.client.uploadRecording).not.toHaveBeenCalled()
  })
})

describe('the recordings panel and the sidebar', () => {
  it('opens a file picked with "Open file…"', async () => {
    const engine = recordingsStandIn()
    await useSessionsStore().init(engine.client)
    await useRecordingsStore().init(engine.client)
    wrapper = mount(RecordingsPanel, { global: { plugins: [pinia] } })
    const input = wrapper.get<HTMLInputElement>('[data-testid=recording-file-input]')
    Object.defineProperty(input.element, 'files', { value: [recordingFile('{}', 'picked.rti.jsonl')], configurable: true })
    await input.trigger('change')
    await vi.waitFor(() => expect(engine.client.openPlayback).toHaveBeenCalledWith({ name: 'uploaded-picked.rti.jsonl', speed: 'instant' }))
  })

  it('switches between connections and recordings, and reads the folder again when a session ends', async () => {
    vi.useFakeTimers()
    const engine = recordingsStandIn([recording('a.rti.jsonl')])
    engine.client.openSession.mockImplementation(async () =>
      ok({ id: 's1', spec: { technique: 'websocket', url: 'ws://h/' } as never, state: 'open' as const, startedAt: 1, stats: { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 } }),
    )
    const sessions = useSessionsStore()
    await sessions.init(engine.client)
    await useRecordingsStore().init(engine.client)
    wrapper = mount(AppSidebar, { global: { plugins: [pinia], provide: { [ShortcutsKey as symbol]: createShortcutRegistry('other') } }, attachTo: document.body })
    await wrapper.get('[data-testid=sidebar-tab-recordings]').trigger('click')
    expect(wrapper.get('[data-testid=sidebar-tab-recordings]').attributes('aria-selected')).toBe('true')
    expect(wrapper.get('[data-testid=sidebar-tab-recordings]').text()).toContain('1')
    expect(wrapper.get('#sidebar-panel-recordings').isVisible()).toBe(true)
    expect(wrapper.get('#sidebar-panel-connections').isVisible()).toBe(false)

    await sessions.connect({ technique: 'websocket', url: 'ws://h/' })
    engine.folder.unshift(recording('b.rti.jsonl'))
    engine.push({ sessionId: 's1', frames: [], skipped: 0, lastSeq: 0, state: 'closed', stats: { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 } })
    sessions.applyPending()
    await vi.advanceTimersByTimeAsync(REFRESH_DELAY_MS)
    await flushPromises()
    expect(wrapper.findAll('[data-testid=recording]').map((r) => r.attributes('data-name'))).toEqual(['b.rti.jsonl', 'a.rti.jsonl'])

    await wrapper.get('[data-testid=sidebar-tab-recordings]').trigger('keydown', { key: 'ArrowLeft' })
    expect(wrapper.get('[data-testid=sidebar-tab-connections]').attributes('aria-selected')).toBe('true')
  })
})
