// The playback part of one client's InspectorApi: a recording opened as a read-only
// session in the engine's SessionManager (so it is listed, subscribed and closed like
// any session), its controls, and the chunked upload a browser page uses for a
// dropped file. Uploads under way belong to the client: `dispose` drops them.
import { fail, ok, type InspectorApi, type Result } from '../contract/index.js'
import { rethrowFault } from '../api-guard.js'
import { RecordingError } from '../recording/read-recording.js'
import { openIndexedRecording } from '../recording/recording-index.js'
import { RecordingsFailure, type RecordingsLibrary } from '../recording/recordings-library.js'
import type { SessionManager } from '../session/session-manager.js'
import { PlaybackSession } from './playback-session.js'
import { recordingUploads, UploadError, type RecordingUploads } from './recording-upload.js'

/** Playbacks holding their recording open at once, engine-wide; each holds ~30 bytes a frame of index and a file handle. */
export const MAX_PLAYBACKS = 16

type PlaybackMethods = Pick<InspectorApi, 'openPlayback' | 'controlPlayback' | 'uploadRecording'>

const NO_FOLDER = 'recordings are not available: the engine was started without a data folder (rti serve --data-dir <dir>)'

function failure(error: unknown): Result<never> {
  if (error instanceof UploadError || error instanceof RecordingError || error instanceof RecordingsFailure) return fail(error.code, error.message)
  rethrowFault(error)
  return fail('E_PLAYBACK_INTERNAL', error instanceof Error ? error.message : String(error))
}

export function playbackApi(sessions: SessionManager, library: RecordingsLibrary | undefined, options: { maxUploadBytes?: number } = {}): PlaybackMethods & { dispose(): void } {
  let uploads: RecordingUploads | undefined
  const playbacks = () => sessions.all().filter((s): s is PlaybackSession => s instanceof PlaybackSession)

  return {
    async openPlayback(params) {
      if ('name' in params && !library) return fail('E_LIBRARY_UNAVAILABLE', NO_FOLDER)
      if (playbacks().filter((p) => p.holdsRecording).length >= MAX_PLAYBACKS) return fail('E_PLAYBACK_TOO_MANY', `at most ${MAX_PLAYBACKS} recordings can play at once; close one first`)
      try {
        const path = 'name' in params ? library!.pathOf(params.name) : params.path
        const index = await openIndexedRecording(path)
        const name = 'name' in params ? params.name : undefined
        const added = sessions.add((id) => new PlaybackSession({ id, index, ...(name ? { name } : {}), ...(params.speed !== undefined ? { speed: params.speed } : {}), ...(params.paused !== undefined ? { paused: params.paused } : {}) }))
        if (!added.ok) await index.close()
        return added.ok ? ok(added.value.info()) : added
      } catch (error) {
        return failure(error)
      }
    },
    async controlPlayback({ sessionId, action, position, time, speed }) {
      const session = sessions.get(sessionId)
      if (!session) return fail('E_SESSION_UNKNOWN', `no session ${sessionId}`)
      if (!(session instanceof PlaybackSession)) return fail('E_PLAYBACK_NOT_PLAYBACK', `session ${sessionId} is live, not a recording played back`)
      if (action === 'seek') return session.control({ action, ...(position !== undefined ? { position } : {}), ...(time !== undefined ? { time } : {}) })
      if (action === 'speed') return speed === undefined ? fail('E_API_INVALID_ARGUMENT', 'speed needs a speed') : session.control({ action, speed })
      return session.control({ action })
    },
    async uploadRecording(params) {
      if (!library) return fail('E_LIBRARY_UNAVAILABLE', NO_FOLDER)
      uploads ??= recordingUploads({ dir: library.dir, ...(options.maxUploadBytes !== undefined ? { maxBytes: options.maxUploadBytes } : {}) })
      try {
        return ok(await uploads.receive(params))
      } catch (error) {
        return failure(error)
      }
    },
    dispose() {
      void uploads?.dispose()
    },
  }
}
