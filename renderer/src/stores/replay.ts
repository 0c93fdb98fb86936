// Replay from the recordings library (issue #5): serve a recording as a mock server
// and connect to it, re-send it as a new live session, compare two recordings. New
// sessions become tabs through the sessions store, like any other.
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { ApiError, FrameDiff, MockInfo } from '@contract'
import { displayName, isAutomaticName } from './recordings'
import { useSessionsStore } from './sessions'

/** Re-send pace: the recorded one, twice as fast, or as fast as possible. */
export type ResendSpeed = 1 | 2 | 'max'

export interface ReplayFailure {
  action: 'serve' | 'stop' | 'connect' | 'resend' | 'compare'
  /** The recording it was about. */
  subject: string
  error: ApiError
}

export interface ShownDiff {
  a: string
  b: string
  diff: FrameDiff
}

/** Most pairs a diff view asks for: enough to read, small enough to draw at once. */
export const DIFF_MAX_PAIRS = 2_000

/**
 * A recording as a short phrase: an automatic name (<ISO time>-<technique>-<host>) is
 * long and reads badly, so it becomes "<technique> <host> · <local time>".
 */
export function recordingPhrase(name: string): string {
  const plain = displayName(name)
  if (!isAutomaticName(name)) return plain
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)(\.\d+)?Z-(websocket|sse|long-polling|polling|streaming)-(.+)$/.exec(plain)
  if (!match) return plain
  const [, day, h, m, sec, fraction, technique, host] = match
  const time = new Date(`${day}T${h}:${m}:${sec}${fraction ?? ''}Z`)
  const clock = time.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
  return `${technique} ${host!.replace(/_(\d+)$/, ':$1')} · ${clock}`
}

const nameOf = (mock: MockInfo): string | undefined => ('name' in mock.recording ? mock.recording.name : undefined)

export const useReplayStore = defineStore('replay', () => {
  const sessions = useSessionsStore()
  const mocks = ref<MockInfo[]>([])
  /** The recording an action runs on right now. */
  const busy = ref<string>()
  const failure = shallowRef<ReplayFailure>()
  /** The first recording of a comparison, while the second is being chosen. */
  const compareBase = ref<string>()
  const diff = shallowRef<ShownDiff>()

  function fail(action: ReplayFailure['action'], subject: string, error: ApiError): false {
    failure.value = { action, subject, error }
    return false
  }

  /** Mocks outlive a reload of the page: the engine keeps them. */
  async function loadMocks(): Promise<void> {
    const listed = await sessions.api?.listMocks()
    if (listed?.ok) mocks.value = listed.value
  }

  const mockFor = (name: string): MockInfo | undefined => mocks.value.find((m) => nameOf(m) === name)

  async function serve(name: string): Promise<boolean> {
    const api = sessions.api
    if (!api || busy.value) return false
    busy.value = name
    failure.value = undefined
    try {
      const started = await api.startMock({ recording: { name } })
      if (!started.ok) return fail('serve', name, started.error)
      mocks.value = [...mocks.value, started.value]
      return true
    } finally {
      busy.value = undefined
    }
  }

  async function stop(mock: MockInfo): Promise<boolean> {
    const api = sessions.api
    if (!api) return false
    const stopped = await api.stopMock(mock.id)
    // Gone either way: an unknown id means the engine no longer runs it.
    mocks.value = mocks.value.filter((m) => m.id !== mock.id)
    return stopped.ok || stopped.error.code === 'E_MOCK_UNKNOWN' ? true : fail('stop', nameOf(mock) ?? mock.url, stopped.error)
  }

  /** A live session of the recorded technique against the mock, in a new tab. */
  async function connectTo(mock: MockInfo): Promise<boolean> {
    failure.value = undefined
    const connected = await sessions.connect({ technique: mock.technique, url: mock.url })
    if (!connected && sessions.connectError) return fail('connect', nameOf(mock) ?? mock.url, sessions.connectError)
    return connected
  }

  /** `to` equal to the recorded URL is left out, so the engine's own default applies. */
  async function resend(name: string, options: { to?: string; recordedUrl?: string; speed: ResendSpeed }): Promise<boolean> {
    const api = sessions.api
    if (!api || busy.value) return false
    busy.value = name
    failure.value = undefined
    try {
      const to = options.to?.trim()
      const started = await api.resendRecording({ recording: { name }, speed: options.speed, ...(to && to !== options.recordedUrl ? { to } : {}) })
      if (!started.ok) return fail('resend', name, started.error)
      const subscribed = await sessions.adopt(started.value)
      return subscribed.ok || fail('resend', name, subscribed.error)
    } finally {
      busy.value = undefined
    }
  }

  function startCompare(name: string): void {
    failure.value = undefined
    compareBase.value = name
  }

  function cancelCompare(): void {
    compareBase.value = undefined
  }

  async function compareWith(name: string): Promise<boolean> {
    const api = sessions.api
    const base = compareBase.value
    if (!api || !base || busy.value) return false
    busy.value = name
    try {
      const answer = await api.diffRecordings({ a: { name: base }, b: { name }, maxPairs: DIFF_MAX_PAIRS })
      if (!answer.ok) return fail('compare', name, answer.error)
      compareBase.value = undefined
      diff.value = { a: base, b: name, diff: answer.value }
      return true
    } finally {
      busy.value = undefined
    }
  }

  function closeDiff(): void {
    diff.value = undefined
  }

  function dismissFailure(): void {
    failure.value = undefined
  }

  return { mocks, busy, failure, compareBase, diff, loadMocks, mockFor, serve, stop, connectTo, resend, startCompare, cancelCompare, compareWith, closeDiff, dismissFailure }
})
