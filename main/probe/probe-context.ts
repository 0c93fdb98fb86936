// What every check of one probe run shares: the user's spec, the probe's own sessions,
// the deadline and cancel signal, the playground (when found), the findings, the
// figures, and each check's progress as the report shows it.
import type { ConnectionSpec, ProbeCheck, ProbeCheckId, ProbeReport, TechniqueMatrixRow } from '../contract/index.js'
import type { FindingDraft } from '../diagnostics/detector.js'
import { nameIntermediary, type Intermediary } from '../diagnostics/intermediary.js'
import type { SessionManager } from '../session/session-manager.js'
import { startHold, type Hold, type HoldOptions } from './hold.js'
import type { ProbeFindings } from './probe-findings.js'

/** How far the server's clock is ahead of ours, and how that was learned. */
export interface ClockOffset {
  offsetMs: number
  /** Half the round trip it was measured over: the offset is within ± this. */
  uncertaintyMs: number
  how: string
}

export interface ProbeContext {
  readonly spec: ConnectionSpec
  readonly manager: SessionManager
  /** Fires at the deadline or on cancel: every hold stops, every check reports what it has. */
  readonly signal: AbortSignal
  readonly deadline: number
  readonly findings: ProbeFindings
  readonly measured: ProbeReport['measured']
  playground?: string
  clock?: ClockOffset
  /** The hop named by the connect check's headers, once known. */
  intermediary?: Intermediary
  check(id: ProbeCheckId): ProbeCheck
  update(id: ProbeCheckId, change: Partial<ProbeCheck>): void
  setRow(row: TechniqueMatrixRow): void
  raise(draft: FindingDraft): void
  /** Opens a session for a check; it stops with the probe. */
  hold(options: Omit<HoldOptions, 'signal'>): Hold
  /** Resolves after `ms`, or at once when the probe stops. */
  sleep(ms: number): Promise<void>
}

export function createContext(base: Omit<ProbeContext, 'hold' | 'sleep' | 'raise'>): ProbeContext {
  const ctx: ProbeContext = {
    ...base,
    raise: (draft) => {
      base.findings.raise({ ...draft, ...(ctx.intermediary && !draft.intermediary ? { intermediary: ctx.intermediary.label } : {}) })
    },
    hold: (options) => {
      const hold = startHold(base.manager, { ...options, signal: base.signal, timestampField: base.spec.diagnostics?.timestampField ?? '' })
      // Passive findings join the report as they come, so a cancelled run keeps them too.
      void hold.result.then((r) => base.findings.addPassive(r.findings))
      return hold
    },
    sleep: (ms) =>
      new Promise((resolve) => {
        if (base.signal.aborted) return resolve()
        const timer = setTimeout(done, Math.max(0, ms))
        function done() {
          clearTimeout(timer)
          base.signal.removeEventListener('abort', done)
          resolve()
        }
        base.signal.addEventListener('abort', done)
      }),
  }
  return ctx
}

/** Seconds for people: "3.0 s", "120 ms". */
export function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}

/** Two cuts are alike within this (the proxies' own timers are coarse: Squid's by ~1 s). */
export function alike(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(600, 0.1 * Math.max(a, b))
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))))]
}

/** The hop a hold's answer names, else the one the endpoint's answer named. */
export function hopOf(ctx: ProbeContext, headers: Record<string, string>, body?: string): Intermediary | undefined {
  return nameIntermediary(headers, body) ?? ctx.intermediary
}
