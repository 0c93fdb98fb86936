import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConnectionSpecSchema, fail, type Finding, type FrameBatch, type SessionInfo } from '@contract'
import { codeSpans } from '../../renderer/src/format/diagnostics-format'
import { countBySeverity, sortFindings, useDiagnosticsStore, PROBE_POLL_MS } from '../../renderer/src/stores/diagnostics'
import { useSessionsStore } from '../../renderer/src/stores/sessions'
import { diagnosticsStandIn, finding, T0 } from './diagnostics-stand-in'
import { playbackInfo } from './recordings-stand-in'

const ZERO = { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 }
const spec = ConnectionSpecSchema.parse({ technique: 'sse', url: 'http://127.0.0.1:5000/sse/ticker', headers: [{ name: 'x-team', value: 'a' }] })
const live: SessionInfo = { id: 'live1', spec, state: 'open', startedAt: T0, stats: ZERO }
const played: SessionInfo = { id: 'play1', spec, state: 'open', startedAt: T0, stats: ZERO, playback: playbackInfo() }

const batch = (sessionId: string, findings: Finding[] | undefined): FrameBatch => ({
  sessionId,
  frames: [],
  skipped: 0,
  lastSeq: 0,
  state: 'open',
  stats: ZERO,
  ...(findings ? { findings } : {}),
})

async function setup() {
  const engine = diagnosticsStandIn()
  const sessions = useSessionsStore()
  await sessions.init(engine.client)
  await sessions.adopt(live)
  await sessions.adopt(played)
  const deliver = (b: FrameBatch) => {
    engine.push(b)
    sessions.applyPending()
  }
  return { engine, sessions, diagnostics: useDiagnosticsStore(), deliver }
}

describe('diagnostics store', () => {
  beforeEach(() => setActivePinia(createPinia()))
  afterEach(() => vi.useRealTimers())

  it('counts findings by severity and names the worst; most serious first, then the latest', () => {
    const list = [finding({ id: 'a', severity: 'info', updatedAt: 5 }), finding({ id: 'b', severity: 'warning', updatedAt: 1 }), finding({ id: 'c', severity: 'warning', updatedAt: 9 })]
    expect(countBySeverity(list)).toEqual({ error: 0, warning: 2, info: 1, total: 3, worst: 'warning' })
    expect(countBySeverity([...list, finding({ id: 'd', severity: 'error' })]).worst).toBe('error')
    expect(countBySeverity(undefined)).toEqual({ error: 0, warning: 0, info: 0, total: 0 })
    expect(sortFindings(list).map((f) => f.id)).toEqual(['c', 'b', 'a'])
  })

  it('reads backtick-quoted settings as code, and a lone backtick as a character', () => {
    expect(codeSpans('raise `proxy_read_timeout` (and `proxy_send_timeout`)')).toEqual([
      { text: 'raise ', code: false },
      { text: 'proxy_read_timeout', code: true },
      { text: ' (and ', code: false },
      { text: 'proxy_send_timeout', code: true },
      { text: ')', code: false },
    ])
    expect(codeSpans('it`s odd')).toEqual([{ text: 'it`s odd', code: false }])
  })

  it('keeps each session its findings from batches, live or played back; a batch without them changes nothing, an empty list clears', async () => {
    const { sessions, diagnostics, deliver } = await setup()
    deliver(batch('live1', [finding(), finding({ id: 'connection-reset', severity: 'error' })]))
    deliver(batch('play1', [finding({ id: 'not-event-stream', severity: 'info' })]))
    sessions.activate('live1')
    expect(diagnostics.activeCounts).toMatchObject({ total: 2, error: 1, warning: 1, worst: 'error' })
    expect(diagnostics.activeFindings.map((f) => f.id)).toEqual(['connection-reset', 'idle-timeout'])
    sessions.activate('play1')
    expect(diagnostics.activeFindings.map((f) => f.id)).toEqual(['not-event-stream'])

    deliver(batch('live1', undefined))
    sessions.activate('live1')
    expect(diagnostics.activeCounts.total).toBe(2)
    deliver(batch('live1', []))
    expect(diagnostics.activeCounts).toEqual({ error: 0, warning: 0, info: 0, total: 0 })
  })

  it('runs the probe with the session spec and time limit, polls about every 500 ms while it runs, and stops polling when it is done', async () => {
    vi.useFakeTimers()
    const { engine, diagnostics } = await setup()
    await diagnostics.startProbe('live1', { maxTimeMs: 30_000 })
    expect(engine.client.startProbe).toHaveBeenCalledWith({ spec, maxTimeMs: 30_000 })
    expect(diagnostics.runs.live1?.report?.state).toBe('running')

    await vi.advanceTimersByTimeAsync(PROBE_POLL_MS - 10)
    expect(engine.client.probeStatus).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(20)
    expect(engine.client.probeStatus).toHaveBeenCalledTimes(1)
    expect(diagnostics.runs.live1?.report?.checks.filter((c) => c.state === 'done').map((c) => c.id)).toEqual(['connect'])

    await vi.advanceTimersByTimeAsync(PROBE_POLL_MS * 20)
    const report = diagnostics.runs.live1?.report
    expect(report?.state).toBe('done')
    expect(report?.matrix).toHaveLength(3)
    const calls = vi.mocked(engine.client.probeStatus).mock.calls.length
    expect(calls).toBe(engine.steps.count)
    await vi.advanceTimersByTimeAsync(PROBE_POLL_MS * 5)
    expect(engine.client.probeStatus).toHaveBeenCalledTimes(calls)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('cancels a running probe: the cancelled report is kept and polling stops', async () => {
    vi.useFakeTimers()
    const { engine, diagnostics } = await setup()
    await diagnostics.startProbe('live1')
    expect(engine.client.startProbe).toHaveBeenCalledWith({ spec, maxTimeMs: 120_000 })
    await vi.advanceTimersByTimeAsync(PROBE_POLL_MS * 2 + 10)
    await diagnostics.cancelProbe('live1')
    expect(engine.client.cancelProbe).toHaveBeenCalledWith('probe1')
    expect(diagnostics.runs.live1?.report?.state).toBe('cancelled')
    const calls = vi.mocked(engine.client.probeStatus).mock.calls.length
    await vi.advanceTimersByTimeAsync(PROBE_POLL_MS * 4)
    expect(engine.client.probeStatus).toHaveBeenCalledTimes(calls)
  })

  it('says in plain words why a probe could not start, and never asks the engine to probe a playback', async () => {
    const { engine, diagnostics } = await setup()
    engine.refuseStart(fail('E_PROBE_UNAVAILABLE', 'the probe is not part of this build'))
    await diagnostics.startProbe('live1')
    expect(diagnostics.runs.live1).toMatchObject({ starting: false, error: 'This engine cannot run the probe yet.' })

    engine.refuseStart(fail('E_PROBE_PROXY', 'the proxy 127.0.0.1:9 refused the connection'))
    await diagnostics.startProbe('live1')
    expect(diagnostics.runs.live1?.error).toBe('the proxy 127.0.0.1:9 refused the connection')

    vi.mocked(engine.client.startProbe).mockClear()
    await diagnostics.startProbe('play1')
    expect(engine.client.startProbe).not.toHaveBeenCalled()
    expect(diagnostics.runs.play1?.error).toMatch(/plays a recording back/)
  })

  it('a closed tab takes its running probe with it', async () => {
    vi.useFakeTimers()
    const { engine, sessions, diagnostics } = await setup()
    await diagnostics.startProbe('live1')
    await sessions.dismiss('live1')
    await vi.advanceTimersByTimeAsync(0)
    expect(engine.client.cancelProbe).toHaveBeenCalledWith('probe1')
    expect(diagnostics.runs.live1).toBeUndefined()
    await vi.advanceTimersByTimeAsync(PROBE_POLL_MS * 3)
    expect(engine.client.probeStatus).not.toHaveBeenCalled()
  })
})
