// Findings and a scripted probe for the diagnostics views: the recordings stand-in's
// engine, whose startProbe / probeStatus / cancelProbe run a probe that moves one
// check forward per status call and ends with findings and a technique matrix.
import { vi } from 'vitest'
import { PROBE_CHECKS, fail, ok, type Finding, type ProbeCheck, type ProbeReport, type Result, type TechniqueMatrixRow } from '@contract'
import { recordingsStandIn } from './recordings-stand-in'

export const T0 = Date.UTC(2026, 0, 2, 10, 0, 0)

export const finding = (extra: Partial<Finding> = {}): Finding => ({
  id: 'idle-timeout',
  severity: 'warning',
  summary: 'An intermediary cuts the connection after 3 s of silence',
  evidence: ['attempt 1 closed after 3.0 s idle (FIN, no close frame)', 'attempt 2 closed after 3.0 s idle'],
  remedy: 'Send a heartbeat more often than every 3 s, or raise `proxy_read_timeout`.',
  confidence: 'likely',
  intermediary: 'nginx/1.22.1',
  measuredMs: 3_000,
  knownDefaults: ['nginx proxy_read_timeout, 60 s by default'],
  seqs: [3, 7],
  times: [T0 + 3_000, T0 + 7_000],
  raisedAt: T0 + 3_100,
  updatedAt: T0 + 7_100,
  ...extra,
})

export const MATRIX: TechniqueMatrixRow[] = [
  { technique: 'websocket', url: 'ws://127.0.0.1:5000/ws/echo', verdict: 'fails', connects: false, status: 400, note: 'Upgrade stripped: 400 from nginx/1.22.1' },
  { technique: 'sse', url: 'http://127.0.0.1:5000/sse/ticker', verdict: 'degraded', connects: true, status: 200, firstByteMs: 12, lagMs: 4, cutAfterMs: 3_000, note: 'cut after 3 s of silence' },
  { technique: 'polling', url: 'http://127.0.0.1:5000/poll', verdict: 'works', connects: true, status: 200, firstByteMs: 3, note: 'fresh answers' },
]

const LABELS: Record<string, string> = { connect: 'Connecting', 'idle-timeout': 'Holding a silent connection', matrix: 'Trying every technique' }

export function diagnosticsStandIn() {
  const base = recordingsStandIn()
  let report: ProbeReport | undefined
  /** What the next probe's start answers instead, to test refusals. */
  let startAnswer: Result<ProbeReport> | undefined
  const steps = { count: 0 }

  const begin = (maxTimeMs: number): ProbeReport => ({
    id: 'probe1',
    url: 'ws://127.0.0.1:5000/ws/echo',
    technique: 'websocket',
    state: 'running',
    startedAt: Date.now(),
    maxTimeMs,
    checks: PROBE_CHECKS.map((id, i): ProbeCheck => ({ id, label: LABELS[id] ?? id, state: i === 0 ? 'running' : 'pending' })),
    findings: [],
    matrix: [],
    measured: {},
  })

  /** One check finishes (the upgrade one is skipped), the next starts; after the last, the report is done. */
  function advance(r: ProbeReport): ProbeReport {
    steps.count++
    const checks = r.checks.map((c) => ({ ...c }))
    const current = checks.findIndex((c) => c.state === 'running')
    if (current >= 0) {
      const c = checks[current]!
      c.state = c.id === 'upgrade' ? 'skipped' : 'done'
      c.detail = c.id === 'upgrade' ? 'not a WebSocket path' : c.id === 'idle-timeout' ? 'cut after 3.0 s, twice' : 'ok'
      if (checks[current + 1]) checks[current + 1]!.state = 'running'
    }
    const finished = checks.every((c) => c.state !== 'running' && c.state !== 'pending')
    if (!finished) return { ...r, checks }
    return {
      ...r,
      checks,
      state: 'done',
      endedAt: r.startedAt + 34_000,
      findings: [finding({ confidence: 'confirmed', summary: 'The probe measured a 3 s idle timeout', seqs: undefined })],
      matrix: MATRIX,
      measured: { idleTimeoutMs: 3_000, firstByteMs: 12 },
    }
  }

  base.client.startProbe = vi.fn(async (params: { maxTimeMs?: number }) => {
    if (startAnswer) return startAnswer
    report = begin(params.maxTimeMs ?? 120_000)
    return ok(report)
  }) as typeof base.client.startProbe
  base.client.probeStatus = vi.fn(async (id: string) => {
    if (!report || report.id !== id) return fail('E_PROBE_UNKNOWN', `no probe ${id}`)
    if (report.state === 'running') report = advance(report)
    return ok(report)
  }) as typeof base.client.probeStatus
  base.client.cancelProbe = vi.fn(async (id: string) => {
    if (!report || report.id !== id) return fail('E_PROBE_UNKNOWN', `no probe ${id}`)
    report = { ...report, state: 'cancelled', endedAt: report.startedAt + 2_000, checks: report.checks.map((c) => (c.state === 'running' || c.state === 'pending' ? { ...c, state: 'skipped', detail: 'cancelled' } : c)) }
    return ok(report)
  }) as typeof base.client.cancelProbe

  return {
    ...base,
    steps,
    refuseStart: (answer: Result<ProbeReport>) => (startAnswer = answer),
  }
}
