// Mock servers as InspectorApi methods (the app's "Serve as mock"): one registry per
// engine, so every window sees the same mocks and the engine's close stops them all.
// Always bound to 127.0.0.1: a recording may hold what should not leave the machine.
import { randomUUID } from 'node:crypto'
import { fail, MAX_MOCKS, ok, type InspectorApi, type MockInfo, type Result, type StartMockParams } from '../contract/index.js'
import { rethrowFault } from '../api-guard.js'
import { RecordingError } from '../recording/read-recording.js'
import { RecordingsFailure, type RecordingsLibrary } from '../recording/recordings-library.js'
import { OriginError } from './mock-access.js'
import { MockError, startMockServer, type MockServer } from './mock-server.js'

export type MockMethods = Pick<InspectorApi, 'startMock' | 'stopMock' | 'listMocks'>

export interface MockRegistry extends MockMethods {
  /** Stops every mock (the engine closes). */
  closeAll(): Promise<void>
}

const NO_FOLDER = 'recordings by name need a data folder (rti serve --data-dir <dir>); give a path instead'

export function createMockRegistry(library: RecordingsLibrary | undefined, options: { max?: number } = {}): MockRegistry {
  const max = options.max ?? MAX_MOCKS
  const running = new Map<string, { info: MockInfo; server: MockServer }>()
  /** Mocks still loading their recording hold a place too, so a burst of starts cannot pass the limit. */
  let starting = 0
  let closed = false

  const pathOf = (target: StartMockParams['recording']): string => {
    if ('path' in target) return target.path
    if (!library) throw new RecordingsFailure('E_LIBRARY_NOT_FOUND', NO_FOLDER)
    return library.pathOf(target.name)
  }

  return {
    async startMock({ recording, port, speed, afterClientMessage, allowOrigins }) {
      if (closed) return fail('E_MOCK_CLOSED', 'the engine is closing')
      if (running.size + starting >= max) return fail('E_MOCK_LIMIT', `at most ${max} mock servers run at once: stop one first`)
      starting++
      let server: MockServer
      try {
        server = await startMockServer(pathOf(recording), { port: port ?? 0, host: '127.0.0.1', speed: speed ?? 1, afterClientMessage: afterClientMessage === true, allowOrigins })
      } catch (error) {
        return failure(error, port)
      } finally {
        starting--
      }
      if (closed) {
        await server.close()
        return fail('E_MOCK_CLOSED', 'the engine is closing')
      }
      const info: MockInfo = {
        id: randomUUID(),
        url: server.url,
        technique: server.technique,
        recording: 'name' in recording ? { name: recording.name } : { path: recording.path },
        speed: speed ?? 1,
        afterClientMessage: afterClientMessage === true,
        startedAt: Date.now(),
        problems: server.problems.length,
        ...(server.allowOrigins.length > 0 ? { allowOrigins: [...server.allowOrigins] } : {}),
      }
      running.set(info.id, { info, server })
      return ok(info)
    },
    async stopMock(id) {
      const mock = running.get(id)
      if (!mock) return fail('E_MOCK_UNKNOWN', `no mock server ${id}`)
      running.delete(id)
      await mock.server.close()
      return ok(undefined)
    },
    async listMocks() {
      return ok([...running.values()].map((m) => m.info))
    },
    async closeAll() {
      closed = true
      const all = [...running.values()]
      running.clear()
      await Promise.all(all.map((m) => m.server.close()))
    },
  }
}

function failure(error: unknown, port: number | undefined): Result<never> {
  if (error instanceof MockError || error instanceof RecordingError || error instanceof RecordingsFailure || error instanceof OriginError) return fail(error.code, error.message)
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'EADDRINUSE') return fail('E_MOCK_PORT', `port ${port} is in use: pick another or leave it empty for a free one`)
  if (code === 'EACCES') return fail('E_MOCK_PORT', `port ${port} cannot be used here`)
  rethrowFault(error)
  return fail('E_MOCK_START', error instanceof Error ? error.message : String(error))
}
