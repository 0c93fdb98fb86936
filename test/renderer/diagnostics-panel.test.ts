import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { ConnectionSpecSchema, type Finding, type Frame, type FrameBatch, type SessionInfo } from '@contract'
import DiagnosticsButton from '../../renderer/src/components/diagnostics/DiagnosticsButton.vue'
import DiagnosticsPanel from '../../renderer/src/components/diagnostics/DiagnosticsPanel.vue'
import { createShortcutRegistry, ShortcutsKey } from '../../renderer/src/shortcuts'
import { PROBE_POLL_MS, useDiagnosticsStore } from '../../renderer/src/stores/diagnostics'
import { useSessionsStore } from '../../renderer/src/stores/sessions'
import { diagnosticsStandIn, finding, T0 } from './diagnostics-stand-in'
import { playbackInfo } from './recordings-stand-in'

const ZERO = { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 }
const spec = ConnectionSpecSchema.parse({ technique: 'websocket', url: 'ws://127.0.0.1:5000/ws/echo' })
const live: SessionInfo = { id: 'live1', spec, state: 'open', startedAt: T0, stats: ZERO }
const played: SessionInfo = { id: 'play1', spec, state: 'open', startedAt: T0, stats: ZERO, playback: playbackInfo() }

const frames = (...seqs: number[]): Frame[] => seqs.map((seq) => ({ seq, time: T0 + seq * 1000, direction: 'system', kind: 'open', protocol: '' }))

async function setup(session: SessionInfo, findings: Finding[] | undefined, held: Frame[] = frames(1, 2, 3)) {
  const engine = diagnosticsStandIn()
  const sessions = useSessionsStore()
  await sessions.init(engine.client)
  await sessions.adopt(session)
  const batch: FrameBatch = { sessionId: session.id, frames: held, skipped: 0, lastSeq: held.at(-1)?.seq ?? 0, state: 'open', stats: ZERO, ...(findings ? { findings } : {}) }
  engine.push(batch)
  sessions.applyPending()
  const registry = createShortcutRegistry('other')
  const global = { provide: { [ShortcutsKey as symbol]: registry } }
  const panel = mount(DiagnosticsPanel, { props: { session: sessions.active! }, attachTo: document.body, global })
  return { engine, sessions, diagnostics: useDiagnosticsStore(), panel, registry, global }
}

describe('diagnostics panel', () => {
  beforeEach(() => setActivePinia(createPinia()))
  afterEach(() => {
    vi.useRealTimers()
    document.body.innerHTML = ''
  })

  it('shows each finding with severity, confidence, intermediary, measured figure, matching defaults, evidence and remedy, the most serious first', async () => {
    const { panel } = await setup(live, [finding(), finding({ id: 'connection-reset', severity: 'error', summary: 'The connection was reset (TCP RST)', confidence: undefined, intermediary: undefined, measuredMs: undefined, knownDefaults: undefined, seqs: [2] })])
    const cards = panel.findAll('[data-testid="finding"]')
    expect(cards.map((c) => c.attributes('data-finding'))).toEqual(['connection-reset', 'idle-timeout'])
    expect(panel.get('[data-testid="diagnostics-counts"]').text()).toBe('1 error · 1 warning')
    const idle = cards[1]!
    expect(idle.get('[data-testid="finding-severity"]').text()).toBe('Warning')
    expect(idle.get('[data-testid="finding-confidence"]').text()).toBe('likely')
    expect(idle.get('[data-testid="finding-summary"]').text()).toBe('An intermediary cuts the connection after 3 s of silence')
    expect(idle.get('[data-testid="finding-intermediary"]').text()).toBe('nginx/1.22.1')
    expect(idle.get('[data-testid="finding-measured"]').text()).toBe('3.0 s')
    expect(idle.get('[data-testid="finding-defaults"]').text()).toContain('nginx proxy_read_timeout, 60 s by default')
    expect(idle.findAll('[data-testid="finding-evidence"]').map((e) => e.text())).toEqual(finding().evidence)
    expect(idle.get('[data-testid="finding-remedy"]').text()).toBe('What to do: Send a heartbeat more often than every 3 s, or raise proxy_read_timeout.')
    expect(idle.get('[data-testid="finding-remedy"] code').text()).toBe('proxy_read_timeout')
    expect(cards[0]!.find('[data-testid="finding-confidence"]').exists()).toBe(false)
    expect(cards[0]!.find('[data-testid="finding-measured"]').exists()).toBe(false)
  })

  it('jumps the frame list to the frames the evidence points at; one no longer held cannot be clicked', async () => {
    const { panel, sessions } = await setup(live, [finding({ seqs: [3, 7] })])
    const jumps = panel.findAll('[data-testid="finding-jump"]')
    expect(jumps.map((j) => j.text())).toEqual(['#3', '#7'])
    await jumps[0]!.trigger('click')
    expect(sessions.reveal).toEqual({ seq: 3 })
    expect(jumps[1]!.attributes('disabled')).toBeDefined()
    expect(jumps[1]!.attributes('title')).toMatch(/no longer held/)
  })

  it('says that no problem was seen on this connection when there is no finding', async () => {
    const { panel } = await setup(live, undefined)
    expect(panel.find('[data-testid="finding"]').exists()).toBe(false)
    const empty = panel.get('[data-testid="diagnostics-empty"]')
    expect(empty.text()).toContain('No problem seen on this connection')
    expect(empty.text()).not.toMatch(/no data/i)
    expect(panel.find('[data-testid="diagnostics-counts"]').exists()).toBe(false)
  })

  it('runs the probe: the time limit given, a checklist that moves, Cancel while it runs, then its findings and the technique matrix', async () => {
    vi.useFakeTimers()
    const { panel, engine } = await setup(live, [])
    expect(panel.get('[data-testid="probe-run"]').text()).toBe('Run probe')
    expect((panel.get('[data-testid="probe-max-time"]').element as HTMLInputElement).value).toBe('120')
    await panel.get('[data-testid="probe-max-time"]').setValue('30')
    await panel.get('form').trigger('submit')
    await vi.advanceTimersByTimeAsync(0)
    expect(engine.client.startProbe).toHaveBeenCalledWith({ spec, maxTimeMs: 30_000 })
    const states = () => Object.fromEntries(panel.findAll('[data-testid="probe-check"]').map((c) => [c.attributes('data-check'), c.attributes('data-state')]))
    expect(states()).toMatchObject({ connect: 'running', upgrade: 'pending', matrix: 'pending' })
    expect(panel.get('[data-testid="probe-cancel"]').text()).toBe('Cancel')
    expect(panel.find('[data-testid="probe-run"]').exists()).toBe(false)
    expect(panel.get('[data-testid="probe-state"]').text()).toMatch(/^Running for .* \(at most 30 s\)$/)

    await vi.advanceTimersByTimeAsync(PROBE_POLL_MS * 2 + 10)
    expect(states()).toMatchObject({ connect: 'done', upgrade: 'skipped', 'idle-timeout': 'running' })
    expect(panel.get('[data-check="upgrade"] [data-testid="probe-check-detail"]').text()).toBe('not a WebSocket path')

    await vi.advanceTimersByTimeAsync(PROBE_POLL_MS * 20)
    expect(panel.get('[data-testid="probe-state"]').text()).toBe('Done in 34 s.')
    expect(Object.values(states()).every((s) => s === 'done' || s === 'skipped')).toBe(true)
    expect(panel.get('[data-testid="probe-findings"]').text()).toContain('The probe measured a 3 s idle timeout')
    expect(panel.get('[data-testid="probe-findings"]').find('[data-testid="finding-jump"]').exists()).toBe(false)
    expect(panel.get('[data-testid="probe-measured"]').text()).toContain('Idle timeout')
    const rows = panel.findAll('[data-testid="matrix-row"]')
    expect(rows.map((r) => [r.attributes('data-technique'), r.attributes('data-verdict')])).toEqual([
      ['websocket', 'fails'],
      ['sse', 'degraded'],
      ['polling', 'works'],
    ])
    expect(rows[0]!.text()).toContain('Upgrade stripped: 400 from nginx/1.22.1')
    expect(rows[1]!.findAll('td').map((td) => td.text())).toEqual(['degraded', '200', '12 ms', '4 ms', '3.0 s', 'cut after 3 s of silence'])
    expect(panel.get('[data-testid="probe-run"]').text()).toBe('Run again')
  })

  it('cancels a running probe and says so', async () => {
    vi.useFakeTimers()
    const { panel, engine } = await setup(live, [])
    await panel.get('form').trigger('submit')
    await vi.advanceTimersByTimeAsync(PROBE_POLL_MS + 10)
    await panel.get('[data-testid="probe-cancel"]').trigger('click')
    await vi.advanceTimersByTimeAsync(0)
    expect(engine.client.cancelProbe).toHaveBeenCalledWith('probe1')
    expect(panel.get('[data-testid="probe-state"]').text()).toMatch(/^Cancelled after 2.0 s/)
    expect(panel.find('[data-testid="probe-cancel"]').exists()).toBe(false)
  })

  it('shows a refused probe in plain words, and will not take a time limit out of range', async () => {
    const { panel, engine } = await setup(live, [])
    await panel.get('[data-testid="probe-max-time"]').setValue('1')
    expect(panel.get('[data-testid="probe-run"]').attributes('disabled')).toBeDefined()
    expect(panel.text()).toContain('The time limit is between 2 s and 3600 s.')
    await panel.get('[data-testid="probe-max-time"]').setValue('60')
    engine.refuseStart({ ok: false, error: { code: 'E_PROBE_UNAVAILABLE', message: 'not built' } })
    await panel.get('form').trigger('submit')
    await vi.waitFor(() => expect(panel.get('[data-testid="probe-error"]').text()).toBe('This engine cannot run the probe yet.'))
  })

  it('offers no probe for a playback, and says why', async () => {
    const { panel, engine } = await setup(played, [finding()])
    expect(panel.findAll('[data-testid="finding"]')).toHaveLength(1)
    expect(panel.find('[data-testid="probe-run"]').exists()).toBe(false)
    expect(panel.get('[data-testid="probe-unavailable"]').text()).toMatch(/plays a recording back: there is no connection to probe/)
    expect(engine.client.startProbe).not.toHaveBeenCalled()
  })

  it('closes on Escape from inside the panel', async () => {
    const { panel, diagnostics } = await setup(live, [])
    diagnostics.toggle(true)
    await nextTick()
    expect(document.activeElement).toBe(panel.get('[data-testid="diagnostics-close"]').element)
    await panel.get('[data-testid="diagnostics-close"]').trigger('keydown', { key: 'Escape' })
    expect(diagnostics.panelOpen).toBe(false)
  })
})

describe('diagnostics button', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('shows the count coloured by the worst severity, toggles the panel, and has a shortcut listed in the help', async () => {
    const { global, registry, diagnostics, sessions, engine } = await setup(live, [finding(), finding({ id: 'reconnect-storm', severity: 'info' })])
    const button = mount(DiagnosticsButton, { global })
    expect(button.text()).toBe('Diagnostics 2')
    expect(button.attributes('data-severity')).toBe('warning')
    expect(button.attributes('title')).toBe('Diagnostics: 1 warning · 1 note (Ctrl+Shift+D)')

    await button.trigger('click')
    expect(diagnostics.panelOpen).toBe(true)
    expect(button.attributes('aria-pressed')).toBe('true')
    expect(registry.shortcuts.value.map((s) => s.id)).toContain('diagnostics')
    registry.handle(new KeyboardEvent('keydown', { key: 'D', ctrlKey: true, shiftKey: true }))
    expect(diagnostics.panelOpen).toBe(false)

    engine.push({ sessionId: 'live1', frames: [], skipped: 0, lastSeq: 3, state: 'open', stats: ZERO, findings: [finding({ severity: 'error' })] })
    sessions.applyPending()
    await nextTick()
    expect(button.text()).toBe('Diagnostics 1')
    expect(button.attributes('data-severity')).toBe('error')
    engine.push({ sessionId: 'live1', frames: [], skipped: 0, lastSeq: 3, state: 'open', stats: ZERO, findings: [] })
    sessions.applyPending()
    await nextTick()
    expect(button.text()).toBe('Diagnostics')
    expect(button.attributes('data-severity')).toBe('none')
    button.unmount()
    expect(registry.shortcuts.value.map((s) => s.id)).not.toContain('diagnostics')
  })
})
