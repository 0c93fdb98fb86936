// Recordings played back in tabs: opened from the library (by name) or from a file the
// user dropped on the window or picked, then driven by the playback bar. The desktop
// app's preload can name a dropped file's path; a browser page cannot, so it sends
// the file to the engine in chunks first.
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { MAX_UPLOAD_BYTES, PRELOAD_GLOBAL, RECORDING_EXTENSION, type ApiError, type ControlPlaybackParams, type OpenPlaybackParams, type PreloadApi } from '@contract'
import { useSessionsStore, type SessionView } from './sessions'

/** How a recording opens: all its frames at once to read, or at the recorded pace. */
export type OpenMode = 'view' | 'play'

/** Bytes per upload call, before base64: small enough for steady progress, large enough to be quick. */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024

export interface UploadProgress {
  fileName: string
  sent: number
  total: number
}

export interface OpenFailure {
  /** The file or recording it was about. */
  subject: string
  error: ApiError
}

const playbackOptions = (mode: OpenMode) => (mode === 'view' ? { speed: 'instant' as const } : { speed: 1, paused: false })

/** The path of a dropped or picked file, when the desktop app's preload can tell it. */
function pathOf(file: File): string | undefined {
  const preload = (globalThis as unknown as Record<string, PreloadApi | undefined>)[PRELOAD_GLOBAL]
  try {
    return preload?.pathForFile?.(file) || undefined
  } catch {
    return undefined
  }
}

function base64Of(bytes: Uint8Array): string {
  // String.fromCharCode over slices: one call per byte would be slow, one call for all overflows the stack.
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

export const usePlaybackStore = defineStore('playback', () => {
  const sessions = useSessionsStore()
  /** What is being opened right now (a name or a file name). */
  const opening = ref<string>()
  const upload = shallowRef<UploadProgress>()
  const failure = shallowRef<OpenFailure>()

  function fail(subject: string, code: string, message: string): false {
    failure.value = { subject, error: { code, message } }
    return false
  }

  async function open(target: { name: string } | { path: string }, mode: OpenMode): Promise<boolean> {
    const api = sessions.api
    if (!api) return false
    const subject = 'name' in target ? target.name : target.path
    opening.value = subject
    failure.value = undefined
    try {
      const params = { ...target, ...playbackOptions(mode) } as OpenPlaybackParams
      const opened = await api.openPlayback(params)
      if (!opened.ok) return fail(subject, opened.error.code, opened.error.message)
      const subscribed = await sessions.adopt(opened.value)
      if (!subscribed.ok) return fail(subject, subscribed.error.code, subscribed.error.message)
      return true
    } finally {
      opening.value = undefined
    }
  }

  /** A file dropped on the window or picked with "Open recording…": opened read-only. */
  async function openFile(file: File, mode: OpenMode = 'view'): Promise<boolean> {
    failure.value = undefined
    if (!file.name.endsWith(RECORDING_EXTENSION)) return fail(file.name, 'E_RECORDING_NOT_RECORDING', `only ${RECORDING_EXTENSION} files can be opened here`)
    const path = pathOf(file)
    if (path) return open({ path }, mode)
    const stored = await send(file)
    return stored ? open({ name: stored }, mode) : false
  }

  /** Sends the file to the engine's recordings folder; answers the name it is stored under. */
  async function send(file: File): Promise<string | undefined> {
    const api = sessions.api
    if (!api) return undefined
    if (file.size > MAX_UPLOAD_BYTES) {
      fail(file.name, 'E_UPLOAD_TOO_BIG', `the file is ${Math.round(file.size / 1024 / 1024)} MB; at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB can be sent from a browser`)
      return undefined
    }
    upload.value = { fileName: file.name, sent: 0, total: file.size }
    try {
      let offset = 0
      do {
        const end = Math.min(file.size, offset + UPLOAD_CHUNK_BYTES)
        const bytes = new Uint8Array(await file.slice(offset, end).arrayBuffer())
        const final = end >= file.size
        const answer = await api.uploadRecording({ fileName: file.name, offset, base64: base64Of(bytes), final })
        if (!answer.ok) {
          fail(file.name, answer.error.code, answer.error.message)
          return undefined
        }
        offset = end
        upload.value = { fileName: file.name, sent: offset, total: file.size }
        if (final) {
          if (answer.value.name) return answer.value.name
          fail(file.name, 'E_UPLOAD_NO_NAME', 'the engine did not say where it stored the file')
          return undefined
        }
      } while (offset < file.size)
      return undefined
    } finally {
      upload.value = undefined
    }
  }

  /** Controls go one after the other: "seek to 0, then play" must reach the engine in that order. */
  let controls: Promise<unknown> = Promise.resolve()

  /** The playback bar's play, pause, step, seek and speed; the engine answers where it stands. */
  function control(params: ControlPlaybackParams): Promise<boolean> {
    const next = controls.then(async () => {
      const api = sessions.api
      if (!api) return false
      const answer = await api.controlPlayback(params)
      if (!answer.ok) {
        failure.value = { subject: 'playback', error: answer.error }
        return false
      }
      sessions.setPlayback(answer.value)
      return true
    })
    controls = next
    return next
  }

  function dismissFailure(): void {
    failure.value = undefined
  }

  return { opening, upload, failure, open, openFile, control, dismissFailure }
})

/**
 * Frames played so far: where the engine last said it stood, moved on by the frames
 * counted since (the session's count starts over at a seek, and so does the base).
 */
export function playbackPosition(view: SessionView): number {
  const playback = view.playback
  if (!playback) return 0
  const base = view.playbackBase ?? playback.position - view.stats.frames
  return Math.max(0, Math.min(playback.count, base + view.stats.frames))
}
