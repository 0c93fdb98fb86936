// Replay actions of the recordings panel with a stand-in engine: serve a recording as
// a mock (URL, copy, connect in a new tab, stop), re-send it (target and pace, the run
// opens as a tab), compare two recordings (pick the second, the diff view's rows,
// marks and summary), and failures said in the panel.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fail, ok, type SessionInfo } from '@contract'
import RecordingsPanel from '../../renderer/src/components/RecordingsPanel.vue'
import { useRecordingsStore } from '../../renderer/src/stores/recordings'
import { DIFF_MAX_PAIRS, recordingPhrase } from '../../renderer/src/stores/replay'
import { useSessionsStore } from '../../renderer/src/stores/sessions'
import { recording, recordingsStandIn } from './recordings-stand-in'

const FIRST = 'first run.rti.jsonl'
const SECOND = 'second run.rti.jsonl'
const ENDPOINT = 'ws://127.0.0.1:5000/ws/echo'

let pinia: Pinia
let panel: VueWrapper

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})
afterEach(() => {
  panel?.unmount()
  document.body.innerHTML = ''
})

async function mountPanel(engine = recordingsStandIn([recording(FIRST, { endpoint: ENDPOINT }), recording(SECOND, { endpoint: ENDPOINT })])) {
  await useSessionsStore().init(engine.client)
  await useRecordingsStore().init(engine.client)
  panel = mount(RecordingsPanel, { global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return engine
}

const item = (name: string) => panel.get(`[data-testid=recording][data-name="${name}"]`)
/** The diff view is teleported to the body, outside the panel's wrapper. */
const body = (selector: string) => document.body.querySelector<HTMLElement>(selector)
const bodyAll = (selector: string) => [...document.body.querySelectorAll<HTMLElement>(selector)]

describe('serve as mock', () => {
  it('starts a mock for the recording and shows its URL with copy, connect and stop', async () => {
    const engine = await mountPanel()
    expect(item(FIRST).find('[data-testid=mock-served]').exists()).toBe(false)
    await item(FIRST).get('[data-testid=recording-serve]').trigger('click')
    await flushPromises()

    expect(engine.client.startMock).toHaveBeenCalledWith({ recording: { name: FIRST } })
    const served = item(FIRST).get('[data-testid=mock-served]')
    expect(served.get('[data-testid=mock-url]').text()).toBe('ws://127.0.0.1:40001/ws/echo')
    expect(served.find('[data-testid=mock-copy]').exists()).toBe(true)
    // Served once is enough: the button waits for Stop.
    expect(item(FIRST).get('[data-testid=recording-serve]').attributes('disabled')).toBeDefined()
    // The other recording is not served.
    expect(item(SECOND).find('[data-testid=mock-served]').exists()).toBe(false)
  })

  it('"Connect to it" opens a live session of the same technique to the mock in a new tab', async () => {
    const engine = await mountPanel()
    const spec = { technique: 'websocket', url: 'ws://127.0.0.1:40001/ws/echo' } as SessionInfo['spec']
    engine.client.openSession.mockResolvedValueOnce(ok({ id: 's-mock', spec, state: 'connecting', startedAt: 1, stats: { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 } }))
    await item(FIRST).get('[data-testid=recording-serve]').trigger('click')
    await flushPromises()
    await item(FIRST).get('[data-testid=mock-connect]').trigger('click')
    await flushPromises()

    expect(engine.client.openSession).toHaveBeenCalledWith({ technique: 'websocket', url: 'ws://127.0.0.1:40001/ws/echo' })
    const sessions = useSessionsStore()
    expect(sessions.activeId).toBe('s-mock')
    expect(sessions.active?.url).toBe('ws://127.0.0.1:40001/ws/echo')
    expect(engine.client.subscribe).toHaveBeenCalledWith({ sessionId: 's-mock' })
  })

  it('Stop stops it in the engine and removes the block', async () => {
    const engine = await mountPanel()
    await item(FIRST).get('[data-testid=recording-serve]').trigger('click')
    await flushPromises()
    await item(FIRST).get('[data-testid=mock-stop]').trigger('click')
    await flushPromises()
    expect(engine.client.stopMock).toHaveBeenCalledWith('m1')
    expect(item(FIRST).find('[data-testid=mock-served]').exists()).toBe(false)
    expect(engine.mocks).toEqual([])
  })

  it('shows the mocks the engine already runs (they outlive a reload of the page)', async () => {
    const engine = recordingsStandIn([recording(FIRST), recording(SECOND)])
    await engine.client.startMock({ recording: { name: SECOND } })
    await mountPanel(engine)
    expect(item(SECOND).get('[data-testid=mock-url]').text()).toBe('ws://127.0.0.1:40001/ws/echo')
    expect(item(FIRST).find('[data-testid=mock-served]').exists()).toBe(false)
  })

  it('says why a mock could not start', async () => {
    const engine = await mountPanel()
    engine.client.startMock.mockResolvedValueOnce(fail('E_MOCK_LIMIT', 'at most 8 mock servers run at once: stop one first'))
    await item(FIRST).get('[data-testid=recording-serve]').trigger('click')
    await flushPromises()
    const error = panel.get('[data-testid=replay-error]')
    expect(error.text()).toContain('Could not serve first run: at most 8 mock servers run at once')
    expect(error.text()).toContain('E_MOCK_LIMIT')
    expect(item(FIRST).find('[data-testid=mock-served]').exists()).toBe(false)
    await panel.get('[data-testid=replay-error-dismiss]').trigger('click')
    expect(panel.find('[data-testid=replay-error]').exists()).toBe(false)
  })
})

describe('re-send', () => {
  it('the form starts with the recorded URL at the recorded pace; the run opens as a new tab', async () => {
    const engine = await mountPanel()
    await item(FIRST).get('[data-testid=recording-resend]').trigger('click')
    const form = item(FIRST).get('[data-testid=resend-form]')
    expect((form.get('[data-testid=resend-url]').element as HTMLInputElement).value).toBe(ENDPOINT)
    expect(form.get<HTMLSelectElement>('[data-testid=resend-speed]').element.selectedOptions[0]!.text).toBe('Recorded pace')

    await form.trigger('submit')
    await flushPromises()
    // The recorded URL is the engine's default: not sent as a target.
    expect(engine.client.resendRecording).toHaveBeenCalledWith({ recording: { name: FIRST }, speed: 1 })
    expect(useSessionsStore().activeId).toBe('live1')
    expect(engine.client.subscribe).toHaveBeenCalledWith({ sessionId: 'live1' })
    expect(item(FIRST).find('[data-testid=resend-form]').exists()).toBe(false)
  })

  it('sends to another endpoint as fast as possible when asked', async () => {
    const engine = await mountPanel()
    await item(SECOND).get('[data-testid=recording-resend]').trigger('click')
    await item(SECOND).get('[data-testid=resend-url]').setValue('ws://staging.example.com/ws/echo')
    await item(SECOND).get('[data-testid=resend-speed]').setValue('max')
    await item(SECOND).get('[data-testid=resend-submit]').trigger('click')
    await flushPromises()
    expect(engine.client.resendRecording).toHaveBeenCalledWith({ recording: { name: SECOND }, speed: 'max', to: 'ws://staging.example.com/ws/echo' })
    expect(useSessionsStore().active?.url).toBe('ws://staging.example.com/ws/echo')
  })

  it('at 2×, and Cancel closes the form without sending', async () => {
    const engine = await mountPanel()
    await item(FIRST).get('[data-testid=recording-resend]').trigger('click')
    await item(FIRST).get('[data-testid=resend-cancel]').trigger('click')
    expect(item(FIRST).find('[data-testid=resend-form]').exists()).toBe(false)
    expect(engine.client.resendRecording).not.toHaveBeenCalled()

    await item(FIRST).get('[data-testid=recording-resend]').trigger('click')
    await item(FIRST).get('[data-testid=resend-speed]').setValue('2')
    await item(FIRST).get('[data-testid=resend-form]').trigger('submit')
    await flushPromises()
    expect(engine.client.resendRecording).toHaveBeenCalledWith({ recording: { name: FIRST }, speed: 2 })
  })

  it('says why a re-send was refused, and opens no tab', async () => {
    const engine = await mountPanel()
    engine.client.resendRecording.mockResolvedValueOnce(fail('E_RESEND_URL', 'ws://x is not a URL for websocket'))
    await item(FIRST).get('[data-testid=recording-resend]').trigger('click')
    await item(FIRST).get('[data-testid=resend-form]').trigger('submit')
    await flushPromises()
    expect(panel.get('[data-testid=replay-error]').text()).toContain('Could not re-send first run: ws://x is not a URL for websocket')
    expect(useSessionsStore().sessions).toHaveLength(0)
  })
})

describe('compare', () => {
  it('"Compare with…" asks for the second recording, then shows the diff side by side', async () => {
    const engine = await mountPanel()
    await item(FIRST).get('[data-testid=recording-compare]').trigger('click')
    expect(panel.get('[data-testid=compare-banner]').text()).toContain('Compare first run with…')
    expect(item(FIRST).find('[data-testid=recording-compare-base]').exists()).toBe(true)
    expect(item(FIRST).find('[data-testid=recording-compare-pick]').exists()).toBe(false)

    await item(SECOND).get('[data-testid=recording-compare-pick]').trigger('click')
    await flushPromises()
    expect(engine.client.diffRecordings).toHaveBeenCalledWith({ a: { name: FIRST }, b: { name: SECOND }, maxPairs: DIFF_MAX_PAIRS })
    expect(panel.find('[data-testid=compare-banner]').exists()).toBe(false)

    expect(body('[data-testid=diff-view]')).not.toBeNull()
    expect(body('[data-testid=diff-name-a]')!.textContent).toContain('first run')
    expect(body('[data-testid=diff-name-b]')!.textContent).toContain('second run')
    expect(body('[data-testid=diff-count-same]')!.textContent).toBe('2 same')
    expect(body('[data-testid=diff-count-changed]')!.textContent).toBe('1 changed')
    expect(body('[data-testid=diff-count-only-a]')!.textContent).toBe('1 only in A')
    expect(body('[data-testid=diff-count-only-b]')!.textContent).toBe('1 only in B')
    expect(body('[data-testid=diff-timing]')!.textContent).toContain('median Δ 12 ms, max Δ 340 ms')

    const rows = bodyAll('[data-testid=diff-row]')
    expect(rows.map((r) => r.dataset.status)).toEqual(['same', 'changed', 'only-a', 'only-b', 'same'])
    const cells = (row: HTMLElement) => [...row.querySelectorAll('[role=cell]')].map((c) => (c.children.length ? [...c.children].map((part) => part.textContent).join(' ') : c.textContent!.trim()))
    expect(cells(rows[1]!)).toEqual(['≠ changed', '40 ms ↓ message {"n":1}', '380 ms ↓ message {"n":2}', '+340 ms'])
    // A pair only in one run leaves the other side empty and has no delta.
    expect(cells(rows[2]!)).toEqual(['− only in A', '90 ms ↓ message bye', '', ''])
    expect(cells(rows[3]!)).toEqual(['+ only in B', '', '95 ms ↓ message later', ''])
    expect(body('[data-testid=diff-note]')).toBeNull()

    body('[data-testid=diff-close]')!.click()
    await flushPromises()
    expect(body('[data-testid=diff-view]')).toBeNull()
  })

  it('notes when only part of the pairs is shown', async () => {
    const engine = await mountPanel()
    const { sampleDiff } = await import('./recordings-stand-in')
    engine.client.diffRecordings.mockResolvedValueOnce({ ok: true, value: { ...sampleDiff(), totalPairs: 5_000, alignment: 'greedy' } })
    await item(FIRST).get('[data-testid=recording-compare]').trigger('click')
    await item(SECOND).get('[data-testid=recording-compare-pick]').trigger('click')
    await flushPromises()
    expect(body('[data-testid=diff-note]')!.textContent).toMatch(/Showing the first 5 of 5,000 pairs.*bounded look-ahead/)
  })

  it('Cancel leaves the choice; a failed diff says why and lets another be chosen', async () => {
    const engine = await mountPanel()
    await item(FIRST).get('[data-testid=recording-compare]').trigger('click')
    await panel.get('[data-testid=compare-cancel]').trigger('click')
    expect(panel.find('[data-testid=compare-banner]').exists()).toBe(false)
    expect(panel.find('[data-testid=recording-compare-pick]').exists()).toBe(false)

    engine.client.diffRecordings.mockResolvedValueOnce(fail('E_RECORDING_UNREADABLE', 'cannot read second run.rti.jsonl'))
    await item(FIRST).get('[data-testid=recording-compare]').trigger('click')
    await item(SECOND).get('[data-testid=recording-compare-pick]').trigger('click')
    await flushPromises()
    expect(panel.get('[data-testid=replay-error]').text()).toContain('Could not compare with second run: cannot read second run.rti.jsonl')
    expect(body('[data-testid=diff-view]')).toBeNull()
    expect(panel.find('[data-testid=compare-banner]').exists()).toBe(true)
  })
})

describe('recording phrases', () => {
  it('an automatic name reads as technique, host and local time; a chosen name as itself', () => {
    const time = new Date(Date.UTC(2026, 0, 2, 10, 20, 30)).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    expect(recordingPhrase('2026-01-02T10-20-30.000Z-websocket-127.0.0.1_5000.rti.jsonl')).toBe(`websocket 127.0.0.1:5000 · ${time}`)
    expect(recordingPhrase('2026-01-02T10-20-30.000Z-long-polling-api.example.com.rti.jsonl')).toBe(`long-polling api.example.com · ${time}`)
    expect(recordingPhrase('checkout bug.rti.jsonl')).toBe('checkout bug')
  })
})
