// One run of the active probe (issue #6): finds a playground reached through the same
// path, then runs the checks at once, all bounded by one deadline and one cancel.
// Whatever stops it, the report holds what was measured up to then.
import { setMaxListeners } from 'node:events'
import { DEFAULT_PROBE_MAX_TIME_MS, PROBE_CHECKS, TECHNIQUES, type ConnectionSpec, type ProbeCheck, type ProbeCheckId, type ProbeReport, type TechniqueMatrixRow } from '../contract/index.js'
import type { NetContext } from '../net/proxy.js'
import { SessionManager } from '../session/session-manager.js'
import { cachingCheck } from './checks/caching-check.js'
import { connectCheck } from './checks/connect-check.js'
import { cutChecks } from './checks/cut-holds.js'
import { deliveryChecks } from './checks/delivery-check.js'
import { matrixCheck } from './checks/matrix-check.js'
import { upgradeCheck } from './checks/upgrade-check.js'
import { measureClockOffset } from './clock-offset.js'
import { createContext, type ProbeContext } from './probe-context.js'
import { ProbeFindings } from './probe-findings.js'
import { findPlayground } from './targets.js'

const LABELS: Record<ProbeCheckId, string> = {
  connect: 'Connecting to the endpoint as given',
  upgrade: 'Trying a WebSocket upgrade through the path',
  'idle-timeout': 'Holding silent connections (idle timeout)',
  lifetime: 'Holding connections with steady traffic (maximum lifetime)',
  buffering: 'Timing the headers and events of a stream (buffering)',
  compression: 'Comparing a compressed and an uncompressed stream',
  'event-delay': "Measuring each event's delay after its server timestamp",
  caching: 'Polling repeatedly (caching)',
  matrix: 'Trying each technique through the path (matrix)',
}

export interface ProbeRunOptions {
  id: string
  spec: ConnectionSpec
  maxTimeMs?: number
  playgroundUrl?: string
  net?: NetContext
}

export interface ProbeRun {
  readonly id: string
  /** A snapshot of where it stands (a copy: safe to hand out). */
  report(): ProbeReport
  cancel(): void
  /** Resolves with the final report once every session is closed. */
  readonly finished: Promise<ProbeReport>
}

export function startProbeRun(options: ProbeRunOptions): ProbeRun {
  const startedAt = Date.now()
  const maxTimeMs = options.maxTimeMs ?? DEFAULT_PROBE_MAX_TIME_MS
  const checks = new Map<ProbeCheckId, ProbeCheck>(PROBE_CHECKS.map((id) => [id, { id, label: LABELS[id], state: 'pending' }]))
  const rows = new Map<TechniqueName, TechniqueMatrixRow>()
  const findings = new ProbeFindings()
  const controller = new AbortController()
  // Every hold listens for the stop: a run holds a few dozen at most.
  setMaxListeners(200, controller.signal)
  let cancelled = false
  const report: ProbeReport = { id: options.id, url: options.spec.url, technique: options.spec.technique, state: 'running', startedAt, maxTimeMs, checks: [], findings: [], matrix: [], measured: {} }
  const manager = new SessionManager({ net: options.net ?? {} })
  const ctx = createContext({
    spec: options.spec,
    manager,
    signal: controller.signal,
    deadline: startedAt + maxTimeMs,
    findings,
    measured: report.measured,
    check: (id) => checks.get(id)!,
    update: (id, change) => Object.assign(checks.get(id)!, change),
    setRow: (row) => rows.set(row.technique, row),
  })
  const deadline = setTimeout(() => controller.abort(), maxTimeMs)
  deadline.unref?.()

  const snapshot = (): ProbeReport => ({
    ...report,
    measured: { ...report.measured },
    checks: PROBE_CHECKS.map((id) => ({ ...checks.get(id)! })),
    findings: findings.list(),
    matrix: TECHNIQUES.filter((t) => rows.has(t)).map((t) => ({ ...rows.get(t)! })),
  })

  const finished = run(ctx, options.playgroundUrl, report)
    .catch((error: unknown) => {
      report.state = 'failed'
      report.error = `internal error: ${error instanceof Error ? error.message : String(error)}`
    })
    .then(async () => {
      clearTimeout(deadline)
      controller.abort()
      await manager.dispose()
      const endedAt = Date.now()
      for (const check of checks.values()) {
        if (check.state === 'pending') Object.assign(check, { state: 'skipped', detail: check.detail ?? (cancelled ? 'cancelled before it started' : 'the time limit came first') })
        else if (check.state === 'running') Object.assign(check, { state: 'failed', detail: `${check.detail ? `${check.detail}; ` : ''}stopped`, endedAt })
      }
      if (report.state === 'running') report.state = cancelled ? 'cancelled' : 'done'
      report.endedAt = endedAt
      return snapshot()
    })

  return {
    id: options.id,
    report: snapshot,
    cancel: () => {
      if (report.state !== 'running' || controller.signal.aborted) return
      cancelled = true
      controller.abort()
    },
    finished,
  }
}

type TechniqueName = ProbeReport['technique']

async function run(ctx: ProbeContext, playgroundUrl: string | undefined, report: ProbeReport): Promise<void> {
  const connected = connectCheck(ctx)
  const search = await findPlayground(ctx.manager, ctx.spec, playgroundUrl, ctx.signal)
  if (search.base) {
    ctx.playground = report.playgroundUrl = search.base
    ctx.clock = await measureClockOffset(ctx, search.base)
    if (ctx.clock) ctx.measured.clockOffsetMs = Math.round(ctx.clock.offsetMs * 10) / 10
  } else {
    // Without a playground, a path that refuses everything is not worth the battery.
    const outcome = await connected
    if (outcome.broken) {
      report.state = 'failed'
      report.error = outcome.broken
      for (const id of PROBE_CHECKS) if (ctx.check(id).state === 'pending') ctx.update(id, { state: 'skipped', detail: 'the endpoint cannot be reached through this path' })
      return
    }
  }
  await Promise.all([connected, ...CHECKS.map(([check, ids]) => guarded(ctx, check, ids))])
  if ('reason' in search) ctx.update('matrix', { detail: `${ctx.check('matrix').detail ?? ''}; ${search.reason}` })
}

const CHECKS: [(ctx: ProbeContext) => Promise<void>, ProbeCheckId[]][] = [
  [upgradeCheck, ['upgrade']],
  [cutChecks, ['idle-timeout', 'lifetime']],
  [deliveryChecks, ['buffering', 'compression', 'event-delay']],
  [cachingCheck, ['caching']],
  [matrixCheck, ['matrix']],
]

/** A check that throws is a bug; it fails alone, the others carry on. */
async function guarded(ctx: ProbeContext, check: (ctx: ProbeContext) => Promise<void>, ids: ProbeCheckId[]): Promise<void> {
  try {
    await check(ctx)
  } catch (error) {
    for (const id of ids) {
      if (ctx.check(id).state === 'running' || ctx.check(id).state === 'pending') ctx.update(id, { state: 'failed', detail: `internal error: ${error instanceof Error ? error.message : String(error)}`, endedAt: Date.now() })
    }
  }
}
