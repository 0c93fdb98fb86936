// The recordings library's part of one client's InspectorApi: list, rename, delete and
// search the data folder's recordings, and open recordings read-only by an id that
// pages frames and filters through the index. Opened recordings belong to the client:
// `dispose` closes them. Every failure answers a Result with a stable code.
import { randomUUID } from 'node:crypto'
import { fail, ok, type InspectorApi, type OpenedRecording, type Result } from '../contract/index.js'
import { rethrowFault } from '../api-guard.js'
import { RecordingError } from './read-recording.js'
import { RecordingQueryError, openIndexedRecording, type IndexedRecording } from './recording-index.js'
import { RecordingsFailure, type RecordingsLibrary } from './recordings-library.js'

/** Recordings one client may hold open at once; each costs ~30 bytes a frame and a file handle. */
export const MAX_OPEN_RECORDINGS = 16

type RecordingsMethods = Pick<InspectorApi, 'listRecordings' | 'renameRecording' | 'deleteRecording' | 'searchRecordings' | 'openRecording' | 'recordingFrames' | 'filterRecording' | 'closeRecording'>

const NO_FOLDER = 'recordings are not available: the engine was started without a data folder (rti serve --data-dir <dir>)'

async function answer<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await work())
  } catch (error) {
    if (error instanceof RecordingsFailure || error instanceof RecordingError || error instanceof RecordingQueryError) return fail(error.code, error.message)
    rethrowFault(error)
    const errno = error as NodeJS.ErrnoException
    return fail(errno?.code === 'ENOENT' ? 'E_LIBRARY_NOT_FOUND' : 'E_LIBRARY_READ', error instanceof Error ? error.message : String(error))
  }
}

export function recordingsApi(library: RecordingsLibrary | undefined): RecordingsMethods & { dispose(): void } {
  const opened = new Map<string, { name: string; index: IndexedRecording }>()
  const unavailable = () => fail('E_LIBRARY_UNAVAILABLE', NO_FOLDER)
  const unknown = (id: string) => fail('E_RECORDING_UNKNOWN', `no open recording ${id}`)

  return {
    async listRecordings() {
      return library ? answer(() => library.list()) : unavailable()
    },
    async renameRecording({ name, newName }) {
      return library ? answer(() => library.rename(name, newName)) : unavailable()
    },
    async deleteRecording(name) {
      if (!library) return unavailable()
      return answer(async () => {
        // An open view of it would keep reading a file that is gone.
        for (const [id, entry] of opened) {
          if (entry.index.path === library.pathOf(name)) {
            opened.delete(id)
            await entry.index.close()
          }
        }
        await library.delete(name)
      })
    },
    async searchRecordings(query) {
      return library ? answer(() => library.search(query)) : unavailable()
    },
    async openRecording(target) {
      if ('name' in target && !library) return unavailable()
      if (opened.size >= MAX_OPEN_RECORDINGS) return fail('E_RECORDING_TOO_MANY_OPEN', `at most ${MAX_OPEN_RECORDINGS} recordings can be open at once; close one first`)
      return answer(async (): Promise<OpenedRecording> => {
        const path = 'name' in target ? library!.pathOf(target.name) : target.path
        const index = await openIndexedRecording(path)
        const id = randomUUID()
        const name = path.split(/[/\\]/).pop()!
        opened.set(id, { name, index })
        const { spec, startedAt, sessionId, source } = index.header
        return {
          id,
          name,
          header: { spec, startedAt, ...(sessionId ? { sessionId } : {}), ...(source ? { source } : {}) },
          count: index.count,
          durationMs: index.durationMs,
          bytes: index.bytes,
          problems: [...index.problems],
          problemCount: index.problemCount,
        }
      })
    },
    async recordingFrames({ id, from, count }) {
      const entry = opened.get(id)
      if (!entry) return unknown(id)
      return answer(async () => {
        const { frames, problems } = await entry.index.framesBetween(from, from + count)
        return { from, frames, problems }
      })
    },
    async filterRecording({ id, query }) {
      const entry = opened.get(id)
      if (!entry) return unknown(id)
      return answer(async () => ({ positions: Array.from(await entry.index.filter(query)) }))
    },
    async closeRecording(id) {
      const entry = opened.get(id)
      if (!entry) return unknown(id)
      opened.delete(id)
      await entry.index.close()
      return ok(undefined)
    },
    dispose() {
      for (const { index } of opened.values()) void index.close()
      opened.clear()
    },
  }
}
