// Re-send and diff as InspectorApi methods: recordings named in the data folder or
// given by path. A re-send is a normal live session of the engine (a tab in the UI,
// recorded like any other); every failure answers a Result with a stable code.
import { fail, ok, type InspectorApi, type Result } from '../contract/index.js'
import { rethrowFault } from '../api-guard.js'
import { RecordingError } from '../recording/read-recording.js'
import { RecordingsFailure, type RecordingsLibrary } from '../recording/recordings-library.js'
import type { SessionManager } from '../session/session-manager.js'
import { diffRecordingFiles } from './frame-diff.js'
import { loadResendPlan, ResendError } from './resend-plan.js'
import { startResend } from './resend.js'

type ResendMethods = Pick<InspectorApi, 'resendRecording' | 'diffRecordings'>

const NO_FOLDER = 'recordings by name need a data folder (rti serve --data-dir <dir>); give a path instead'

export function resendApi(sessions: SessionManager, library: RecordingsLibrary | undefined): ResendMethods {
  const pathOf = (target: { name: string } | { path: string }): string => {
    if ('path' in target) return target.path
    if (!library) throw new RecordingsFailure('E_LIBRARY_NOT_FOUND', NO_FOLDER)
    return library.pathOf(target.name)
  }
  return {
    async resendRecording({ recording, to, speed, afterServerMessage }) {
      return answer(async () => {
        const plan = await loadResendPlan(pathOf(recording), { to })
        const started = startResend(sessions, plan, { speed, afterServerMessage })
        return started.ok ? ok(started.value.session.info()) : started
      })
    },
    async diffRecordings({ a, b, maxPairs }) {
      return answer(async () => ok(await diffRecordingFiles(pathOf(a), pathOf(b), { maxPairs })))
    },
  }
}

async function answer<T>(work: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof ResendError || error instanceof RecordingError || error instanceof RecordingsFailure) return fail(error.code, error.message)
    rethrowFault(error)
    return fail('E_RESEND_READ', error instanceof Error ? error.message : String(error))
  }
}
