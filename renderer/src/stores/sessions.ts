// Open sessions and their frames. Small things (state, stats, the active tab) are
// reactive; frames live in plain FrameWindows, each reactive as a whole (reading one
// tracks it), filled once per animation frame however many batches arrived, so views
// update at most once per frame (docs/architecture.md, "Budgets").
// One memory budget covers every tab: the tab in view holds up to the full frame cap,
// the tabs in the background share a small pool, each keeping its counters and a short
// tail (their full history is in the recording).
import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type { ApiError, ConnectionSpec, ConnectionSpecInput, EnvironmentInfo, Finding, Frame, FrameBatch, OutgoingMessageInput, PlaybackInfo, Result, SessionInfo, SessionState, SessionStats } from '@contract'
import type { ApiClient } from '../api'
import { DEFAULT_FRAME_CAP, DEFAULT_TEXT_BUDGET, FrameWindow } from './frame-window'
import { RateRegistry } from './rate-series'
import { displayName, isAutomaticName } from './recordings'

export interface SessionView {
  /** The spec the session was opened with (secrets as the engine holds them); the connection bar shows it when the tab is picked. */
  spec?: ConnectionSpec
  id: string
  label: string
  url: string
  technique: string
  state: SessionState
  startedAt: number
  /** When the session reached closed/failed, so uptime stops counting. */
  endedAt?: number
  stats: SessionStats
  lastClose?: { code: number; reason: string; meaning?: string; cause: string }
  lastError?: ApiError
  /** Why the session's recording stopped before the session ended (the status bar marks it). */
  recordingStopped?: string
  /** The session's recording, when it is recorded: it has every frame the tab let go. */
  recordingPath?: string
  /** A recording played back (read-only): as the engine last answered; the position moves with the frames. */
  playback?: PlaybackInfo
  /**
   * The playback position less the frames the session had counted when the engine
   * answered: a seek starts the count over, so position = base + stats.frames.
   */
  playbackBase?: number
  /** The session's current findings as the engine last sent them (the diagnostics panel, the timeline's marks). */
  findings?: readonly Finding[]
}

export const TERMINAL_STATES: ReadonlySet<SessionState> = new Set(['closed', 'failed'])
const ZERO_STATS: SessionStats = { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 }
export const isLive = (state: SessionState | undefined) => state !== undefined && !TERMINAL_STATES.has(state)

const FIRST_RUN_KEY = 'rti.firstRunConnected'

/** Frames, and text (as FrameWindow measures it), all background tabs together may hold. */
export const BACKGROUND_POOL_FRAMES = 50_000
export const BACKGROUND_POOL_TEXT = 16 * 1024 * 1024
/** The longest tail one background tab keeps, however few tabs share the pool. */
export const BACKGROUND_TAIL_FRAMES = 2_000
export const BACKGROUND_TAIL_TEXT = 2 * 1024 * 1024

/** What one background tab may hold when `count` tabs share the pool. */
export function backgroundTail(count: number): { frames: number; text: number } {
  const share = Math.max(1, count)
  return { frames: Math.max(1, Math.min(BACKGROUND_TAIL_FRAMES, Math.floor(BACKGROUND_POOL_FRAMES / share))), text: Math.min(BACKGROUND_TAIL_TEXT, Math.floor(BACKGROUND_POOL_TEXT / share)) }
}

/** Without animation frames (a hidden tab) batches still get applied, only less often. */
const FALLBACK_APPLY_MS = 250

export const useSessionsStore = defineStore('sessions', () => {
  const api = shallowRef<ApiClient>()
  const environment = ref<EnvironmentInfo>()
  const sessions = ref<SessionView[]>([])
  const activeId = ref<string>()
  /** Bumped once per applied animation frame that changed any FrameWindow (the bench counts them); views need not read it. */
  const version = ref(0)
  const selected = shallowRef<Frame>()
  /** A frame the list should scroll to and select; a new object each time, so the same frame can be revealed twice. */
  const reveal = shallowRef<{ seq: number }>()
  const connecting = ref(false)
  const connectError = ref<ApiError>()
  const transportLost = ref<string>()
  let frameCap = DEFAULT_FRAME_CAP
  let textBudget = DEFAULT_TEXT_BUDGET

  const windows = new Map<string, FrameWindow>()
  /** Messages and bytes per second, markers and gaps per session, for the timeline and the status line. */
  const rates = markRaw(new RateRegistry())
  let pending: FrameBatch[] = []
  let scheduledFrame: number | undefined
  let scheduledTimer: ReturnType<typeof setTimeout> | undefined

  const active = computed(() => sessions.value.find((s) => s.id === activeId.value))
  const activeWindow = computed(() => (activeId.value ? windows.get(activeId.value) : undefined))

  function init(client: ApiClient, options: { frameCap?: number; textBudget?: number; connectOnFirstRun?: boolean } = {}): Promise<void> {
    api.value = markRaw(client)
    frameCap = options.frameCap ?? DEFAULT_FRAME_CAP
    textBudget = options.textBudget ?? DEFAULT_TEXT_BUDGET
    client.onFrames(receive)
    client.onTransportLost((reason) => (transportLost.value = reason))
    return load(client, options.connectOnFirstRun ?? false)
  }

  async function load(client: ApiClient, connectOnFirstRun: boolean): Promise<void> {
    const env = await client.getEnvironment()
    if (env.ok) environment.value = env.value
    // Sessions outlive a page reload in browser mode: pick them up again.
    const listed = await client.listSessions()
    if (!listed.ok) return
    for (const info of listed.value) await adopt(info)
    if (connectOnFirstRun && listed.value.length === 0) await connectToPlaygroundOnce()
  }

  /**
   * The very first start shows live traffic with no setup: a session to the
   * playground's echo, ready for a first message. Only once per browser profile.
   */
  async function connectToPlaygroundOnce(): Promise<void> {
    const echo = environment.value?.playground?.endpoints.find((e) => e.technique === 'websocket' && /echo/i.test(e.name))
    if (!echo || localStorage.getItem(FIRST_RUN_KEY)) return
    localStorage.setItem(FIRST_RUN_KEY, new Date().toISOString())
    await connect({ technique: 'websocket', url: echo.url })
  }

  async function adopt(info: SessionInfo): Promise<Result<void>> {
    if (!windows.has(info.id)) {
      windows.set(info.id, markRaw(new FrameWindow(frameCap, textBudget)))
      sessions.value.push({
        id: info.id,
        label: info.spec.name ?? recordingLabel(info) ?? hostOf(info.spec.url),
        ...(info.playback ? {} : { spec: markRaw(info.spec) }),
        url: info.spec.url,
        technique: info.spec.technique,
        state: info.state,
        startedAt: info.startedAt,
        stats: info.stats,
        ...(info.recording ? { recordingPath: info.recording.path } : {}),
        ...(info.recording?.stopped ? { recordingStopped: info.recording.stopped } : {}),
        ...(TERMINAL_STATES.has(info.state) ? { endedAt: Date.now() } : {}),
        ...(info.playback ? { playback: info.playback, playbackBase: info.playback.position - info.stats.frames } : {}),
      })
    }
    activate(info.id)
    return api.value!.subscribe({ sessionId: info.id })
  }

  async function connect(spec: ConnectionSpecInput): Promise<boolean> {
    if (!api.value || connecting.value) return false
    connecting.value = true
    connectError.value = undefined
    try {
      const opened = await api.value.openSession(spec)
      if (!opened.ok) {
        connectError.value = opened.error
        return false
      }
      const subscribed = await adopt(opened.value)
      if (!subscribed.ok) connectError.value = subscribed.error
      return subscribed.ok
    } finally {
      connecting.value = false
    }
  }

  async function disconnect(id = activeId.value): Promise<void> {
    if (!api.value || !id) return
    const closed = await api.value.closeSession(id)
    if (!closed.ok) connectError.value = closed.error
  }

  /** Send any outgoing message (text, binary, ping, close) on the active session. */
  async function send(message: OutgoingMessageInput): Promise<Result<void> | undefined> {
    const id = activeId.value
    if (!api.value || !id) return undefined
    return api.value.send({ sessionId: id, message })
  }

  const sendText = (text: string) => send({ type: 'text', data: text })

  /** Close a tab: stop the session if it still runs and let its frames go. */
  async function dismiss(id: string): Promise<void> {
    const index = sessions.value.findIndex((s) => s.id === id)
    if (index < 0) return
    const view = sessions.value[index]!
    sessions.value.splice(index, 1)
    windows.delete(id)
    rates.forget(id)
    if (activeId.value === id) activate(sessions.value[Math.min(index, sessions.value.length - 1)]?.id)
    else applyBudget()
    if (!api.value) return
    await api.value.unsubscribe(id)
    // A playback holds its recording open in the engine even when it has played to the end.
    if (isLive(view.state) || view.playback) await api.value.closeSession(id)
  }

  /** The engine's answer to a playback control (play, pause, seek…): where the playback stands now. */
  function setPlayback(info: SessionInfo): void {
    const view = sessions.value.find((s) => s.id === info.id)
    if (!view || !info.playback) return
    view.playback = info.playback
    view.playbackBase = info.playback.position - info.stats.frames
  }

  function activate(id: string | undefined): void {
    if (activeId.value === id) return applyBudget()
    activeId.value = id
    selected.value = undefined
    applyBudget()
    version.value++
  }

  /**
   * Shares the renderer's budget out: the tab in view gets the whole cap, every other
   * tab its part of the background pool, the oldest frames over it let go at once.
   * Runs when tabs come, go or swap places, not per frame.
   */
  function applyBudget(): void {
    const tail = backgroundTail(windows.size - (activeId.value && windows.has(activeId.value) ? 1 : 0))
    for (const [id, window] of windows) {
      if (id === activeId.value) window.setLimits(frameCap, textBudget)
      else window.setLimits(Math.min(frameCap, tail.frames), Math.min(textBudget, tail.text), true)
    }
  }

  /** Frames and text held across all tabs, for the bench and the status line. */
  function held(): { sessions: number; frames: number; text: number } {
    let frames = 0
    let text = 0
    for (const window of windows.values()) {
      frames += window.length
      text += window.textHeld
    }
    return { sessions: windows.size, frames, text }
  }

  /** Shows the active session's first held frame at or after this time (the last one if none); false when none is held. */
  function revealTime(timeMs: number): boolean {
    const held = activeWindow.value
    if (!held || held.length === 0) return false
    const index = Math.min(held.indexAtOrAfterTime(timeMs), held.length - 1)
    reveal.value = { seq: held.get(index)!.seq }
    return true
  }

  function revealSeq(seq: number): void {
    reveal.value = { seq }
  }

  function select(frame: Frame | undefined): void {
    selected.value = frame ? markRaw(frame) : undefined
  }

  function receive(batch: FrameBatch): void {
    pending.push(batch)
    if (scheduledFrame !== undefined || scheduledTimer !== undefined) return
    if (typeof requestAnimationFrame === 'function') scheduledFrame = requestAnimationFrame(applyPending)
    scheduledTimer = setTimeout(applyPending, FALLBACK_APPLY_MS)
  }

  /** Apply every batch received since the last call; runs at most once per animation frame. */
  function applyPending(): void {
    if (scheduledFrame !== undefined) cancelAnimationFrame(scheduledFrame)
    if (scheduledTimer !== undefined) clearTimeout(scheduledTimer)
    scheduledFrame = scheduledTimer = undefined
    const batches = pending
    pending = []
    let changed = false
    for (const batch of batches) {
      const window = windows.get(batch.sessionId)
      const view = sessions.value.find((s) => s.id === batch.sessionId)
      if (!window || !view) continue // a dismissed tab's last batches
      if (batch.restart) restart(batch.sessionId, window)
      window.append(batch.frames, batch.skipped, batch.lastSeq)
      // before applySummary: view.stats are still the previous counters (none after a restart)
      // A playback's messages are counted at their recorded time, so its chart is the recording's.
      const countedAt = view.playback ? (batch.frames.at(-1)?.time ?? window.get(window.length - 1)?.time ?? view.playback.atTime) : undefined
      rates.record(batch, batch.restart ? ZERO_STATS : view.stats, view.startedAt, countedAt)
      applySummary(view, batch)
      changed = true
    }
    if (changed) version.value++
  }

  /** A playback went back: what was held is forgotten and the frames start over (positions stay monotonic for the views). */
  function restart(id: string, window: FrameWindow): void {
    window.restart()
    rates.forget(id)
    selected.value = undefined
  }

  function applySummary(view: SessionView, batch: FrameBatch): void {
    view.state = batch.state
    view.stats = batch.stats
    // Sent only when they changed (and in a first batch): absent means as before.
    if (batch.findings) view.findings = markRaw(batch.findings)
    // Only control frames matter here; scan from the end and stop at the first of each.
    let sawClose = false
    let sawError = false
    for (let i = batch.frames.length - 1; i >= 0 && !(sawClose && sawError); i--) {
      const frame = batch.frames[i]!
      if (frame.kind === 'close' && !sawClose) {
        sawClose = true
        view.lastClose = { code: frame.code, reason: frame.reason, cause: frame.cause, ...(frame.meaning ? { meaning: frame.meaning } : {}) }
      } else if (frame.kind === 'error' && !sawError) {
        sawError = true
        view.lastError = { code: frame.code, message: frame.message }
      }
      if (frame.kind === 'error' && frame.code.startsWith('E_RECORDING_')) view.recordingStopped ??= frame.message
    }
    if (TERMINAL_STATES.has(batch.state)) view.endedAt ??= batch.frames.at(-1)?.time ?? Date.now()
  }

  return {
    /** The engine, for stores that call it on their own (composer snippets, saved connections). */
    api,
    environment,
    sessions,
    activeId,
    active,
    activeWindow,
    rates,
    version,
    selected,
    connecting,
    connectError,
    transportLost,
    init,
    connect,
    /** Show a session the engine opened (a playback): a tab, made active, subscribed. */
    adopt,
    setPlayback,
    disconnect,
    send,
    sendText,
    dismiss,
    activate,
    select,
    reveal,
    revealTime,
    revealSeq,
    receive,
    applyPending,
    held,
  }
})

/** A playback of a recording someone named says that name (an automatic one would only repeat the host). */
function recordingLabel(info: SessionInfo): string | undefined {
  const name = info.playback?.name
  return name && !isAutomaticName(name) ? displayName(name) : undefined
}

function hostOf(url: string): string {
  try {
    const parsed = new URL(url)
    return parsed.host + (parsed.pathname === '/' ? '' : parsed.pathname)
  } catch {
    return url
  }
}
