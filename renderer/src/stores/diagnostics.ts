// Diagnostics in the window (issue #6): the findings each session's batches carry
// (kept on its SessionView by the sessions store), counted by severity for the badge;
// whether the panel is open; and the active probe runs, one per session, polled while
// they run. A probe runs in the engine: this only starts, follows and cancels it.
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { DEFAULT_PROBE_MAX_TIME_MS, type ApiError, type Finding, type ProbeReport, type Severity } from '@contract'
import { useSessionsStore, type SessionView } from './sessions'

/** How often a running probe is asked where it stands. */
export const PROBE_POLL_MS = 500

export interface SeverityCounts {
  error: number
  warning: number
  info: number
  total: number
  /** The most serious severity present; absent with no findings. */
  worst?: Severity
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 }

export function countBySeverity(findings: readonly Finding[] | undefined): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0, total: 0 }
  for (const f of findings ?? []) {
    counts[f.severity]++
    counts.total++
    if (!counts.worst || RANK[f.severity] > RANK[counts.worst]) counts.worst = f.severity
  }
  return counts
}

/** Most serious first; among equals, the most recently changed first (what just happened is what the user looks for). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => RANK[b.severity] - RANK[a.severity] || b.updatedAt - a.updatedAt)
}

/** Why a session cannot be probed, in plain words; undefined when it can. */
export function probeUnavailableReason(session: SessionView | undefined): string | undefined {
  if (!session) return 'No session is open.'
  if (session.playback) return 'This tab plays a recording back: there is no connection to probe. Connect to the endpoint and run the probe from that session.'
  if (!session.spec) return 'This session does not say how it connected, so it cannot be probed.'
  return undefined
}

/** An engine error as a sentence a person can act on. */
export function probeErrorText(error: ApiError): string {
  switch (error.code) {
    case 'E_PROBE_UNAVAILABLE':
      return 'This engine cannot run the probe yet.'
    case 'E_BRIDGE_DISCONNECTED':
      return 'Lost the connection to the engine; the probe cannot be followed.'
    default:
      return error.message || error.code
  }
}

export interface ProbeRun {
  /** Waiting for the engine to accept the probe. */
  starting: boolean
  report?: ProbeReport
  /** Why it could not start or be followed, in plain words. */
  error?: string
  /** A cancel was asked for and not answered yet. */
  cancelling: boolean
}

export interface ProbeOptions {
  maxTimeMs?: number
  playgroundUrl?: string | undefined
}

export const useDiagnosticsStore = defineStore('diagnostics', () => {
  const sessions = useSessionsStore()
  /** The panel shows the active session's diagnostics; one panel for the window. */
  const panelOpen = ref(false)
  const runs = ref<Record<string, ProbeRun>>({})
  const timers = new Map<string, ReturnType<typeof setTimeout>>()

  const findingsOf = (session: SessionView | undefined): readonly Finding[] => session?.findings ?? []
  const activeFindings = computed(() => sortFindings(findingsOf(sessions.active)))
  const activeCounts = computed(() => countBySeverity(sessions.active?.findings))
  const activeRun = computed(() => (sessions.activeId ? runs.value[sessions.activeId] : undefined))

  function toggle(open = !panelOpen.value): void {
    panelOpen.value = open
  }

  async function startProbe(sessionId: string, options: ProbeOptions = {}): Promise<void> {
    const api = sessions.api
    const session = sessions.sessions.find((s) => s.id === sessionId)
    const unavailable = probeUnavailableReason(session)
    if (unavailable || !api || !session?.spec) {
      runs.value[sessionId] = { starting: false, cancelling: false, error: unavailable ?? 'Not connected to the engine.' }
      return
    }
    if (runs.value[sessionId]?.report?.state === 'running' || runs.value[sessionId]?.starting) return
    stopPolling(sessionId)
    runs.value[sessionId] = { starting: true, cancelling: false }
    const started = await api.startProbe({
      spec: session.spec,
      maxTimeMs: options.maxTimeMs ?? DEFAULT_PROBE_MAX_TIME_MS,
      ...(options.playgroundUrl ? { playgroundUrl: options.playgroundUrl } : {}),
    })
    const run = runs.value[sessionId]
    if (!run) return // the tab was closed meanwhile; a started probe ends by its own time limit
    run.starting = false
    if (!started.ok) run.error = probeErrorText(started.error)
    else follow(sessionId, started.value)
  }

  /** Keep the latest report, and ask again shortly while the probe still runs. */
  function follow(sessionId: string, report: ProbeReport): void {
    const run = runs.value[sessionId]
    if (!run) return
    run.report = report
    if (report.state !== 'running') {
      run.cancelling = false
      return
    }
    timers.set(sessionId, setTimeout(() => void poll(sessionId, report.id), PROBE_POLL_MS))
  }

  async function poll(sessionId: string, probeId: string): Promise<void> {
    timers.delete(sessionId)
    const api = sessions.api
    if (!api || runs.value[sessionId]?.report?.id !== probeId) return
    const status = await api.probeStatus(probeId)
    const run = runs.value[sessionId]
    if (!run || run.report?.id !== probeId) return
    if (status.ok) follow(sessionId, status.value)
    else run.error = probeErrorText(status.error)
  }

  async function cancelProbe(sessionId: string): Promise<void> {
    const run = runs.value[sessionId]
    const api = sessions.api
    if (!api || !run?.report || run.report.state !== 'running') return
    run.cancelling = true
    const cancelled = await api.cancelProbe(run.report.id)
    if (runs.value[sessionId] !== run) return
    if (cancelled.ok) {
      stopPolling(sessionId)
      follow(sessionId, cancelled.value)
    } else {
      run.cancelling = false
      run.error = probeErrorText(cancelled.error)
    }
  }

  function stopPolling(sessionId: string): void {
    clearTimeout(timers.get(sessionId))
    timers.delete(sessionId)
  }

  /** A tab was closed: stop following its probe, and stop the probe itself if it still runs. */
  function forget(sessionId: string): void {
    const run = runs.value[sessionId]
    stopPolling(sessionId)
    delete runs.value[sessionId]
    if (run?.report?.state === 'running') void sessions.api?.cancelProbe(run.report.id)
  }

  // A closed tab takes its probe with it.
  watch(
    () => sessions.sessions.map((s) => s.id),
    (ids) => {
      for (const id of Object.keys(runs.value)) if (!ids.includes(id)) forget(id)
    },
  )

  return { panelOpen, runs, activeFindings, activeCounts, activeRun, findingsOf, toggle, startProbe, cancelProbe, forget }
})
