// The engine's composition root: the sessions, the optional playground beside them,
// and one InspectorApi per connected client (a window, a browser tab), each with
// its own subscriptions. Transports (Electron IPC, the bridge) only carry calls.
import { join } from 'node:path'
import { guardApi, stderrReporter, type FaultReporter } from './api-guard.js'
import { fail, ok, OutgoingMessageSchema, type EnvironmentInfo, type FrameBatch, type InspectorApi } from './contract/index.js'
import { openLibrary, type Library, type SecretBox } from './library/index.js'
import { recordingsApi } from './recording/recordings-api.js'
import { resendApi } from './replay/resend-api.js'
import { createMockRegistry, type MockMethods } from './replay/mock-api.js'
import { playbackApi } from './replay/playback-api.js'
import { createProbeRegistry, type ProbeMethods } from './probe/probe-api.js'
import { openRecordingsLibrary, recordingsDirOf, type RecordingsLibrary } from './recording/recordings-library.js'
import { startPlayground, type Playground } from './playground/index.js'
import type { NetContext } from './net/proxy.js'
import { SessionManager } from './session/session-manager.js'
import { VERSION } from './version.js'

export interface EngineOptions {
  /** Start the built-in demo server beside the engine (the desktop app and `rti serve` do). */
  playground?: boolean | { port?: number }
  /** What only the host app can provide: the desktop app passes Electron's system proxy resolver. */
  net?: NetContext
  /** Where saved connections and snippets live; without it saving is unavailable. */
  dataDir?: string
  /** The desktop app's keychain (Electron safeStorage) for secrets in saved connections. */
  secretBox?: SecretBox
  /** Where a fault inside an API call is reported (the call itself answers E_INTERNAL); default stderr. */
  report?: FaultReporter
}

export interface Engine {
  readonly sessions: SessionManager
  readonly playground: Playground | undefined
  readonly library: Library | undefined
  /** The recordings folder, mock servers and probes behind the API (absent: no data folder). */
  readonly recordings: RecordingsLibrary | undefined
  readonly mocks: MockMethods
  readonly probes: ProbeMethods
  /** An API for one client; `dispose` drops its subscriptions (sessions keep running). */
  createClient(transport: EnvironmentInfo['transport']): InspectorApi & { dispose(): void }
  close(): Promise<void>
}

export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  // With a data folder every session is recorded there by default (docs/architecture.md ("The frame model"), issue #5).
  const sessions = new SessionManager({ net: options.net ?? {}, ...(options.dataDir ? { recordingsDir: join(options.dataDir, 'recordings') } : {}) })
  const playground = options.playground ? await startPlayground(typeof options.playground === 'object' ? options.playground : {}) : undefined
  const library = options.dataDir ? openLibrary({ dataDir: options.dataDir, secretBox: options.secretBox, playgroundBaseUrl: () => playground?.baseUrl }) : undefined
  const recordings = options.dataDir ? openRecordingsLibrary(recordingsDirOf(options.dataDir)) : undefined
  // Mock servers belong to the engine, not to a window: every client sees them, close stops them.
  const mocks = createMockRegistry(recordings)
  // Probes too: the panel may poll a run from another window, and close stops them.
  const probes = createProbeRegistry({ net: options.net ?? {} })
  const report = options.report ?? stderrReporter()
  return {
    sessions,
    playground,
    library,
    recordings,
    mocks,
    probes,
    // Every call goes through the safety net: a fault answers that call, the engine goes on.
    createClient: (transport) => guardApi(createClientApi(sessions, playground, library, transport, recordings, mocks, probes), report),
    async close() {
      await probes.closeAll()
      await mocks.closeAll()
      await sessions.dispose()
      await playground?.close()
    },
  }
}

function createClientApi(sessions: SessionManager, playground: Playground | undefined, library: Library | undefined, transport: EnvironmentInfo['transport'], recordings: RecordingsLibrary | undefined, mocks: MockMethods, probes: ProbeMethods): InspectorApi & { dispose(): void } {
  const listeners = new Set<(batch: FrameBatch) => void>()
  const subscriptions = new Map<string, () => void>()
  const deliver = (batch: FrameBatch) => {
    for (const listener of listeners) listener(batch)
  }
  const unknown = (id: string) => fail('E_SESSION_UNKNOWN', `no session ${id}`)
  const recordingsMethods = recordingsApi(recordings)
  const playbackMethods = playbackApi(sessions, recordings)
  const noLibrary = () => fail('E_LIBRARY_UNAVAILABLE', 'saving is not available: the engine was started without a data folder (rti serve --data-dir <dir>)')

  return {
    async getEnvironment() {
      const libraryInfo = await library?.info()
      return ok({
        version: VERSION,
        transport,
        ...(playground ? { playground: { baseUrl: playground.baseUrl, endpoints: playground.endpoints } } : {}),
        ...(libraryInfo?.ok ? { library: libraryInfo.value } : {}),
      })
    },
    async listSessions() {
      return ok(sessions.list())
    },
    async openSession(spec) {
      const opened = sessions.open(spec)
      return opened.ok ? ok(opened.value.info()) : opened
    },
    async closeSession(id) {
      return sessions.close(id)
    },
    async send({ sessionId, message }) {
      const session = sessions.get(sessionId)
      if (!session) return unknown(sessionId)
      const parsed = OutgoingMessageSchema.safeParse(message)
      if (!parsed.success) return fail('E_API_INVALID_ARGUMENT', parsed.error.issues.map((i) => i.message).join('; '))
      return session.send(parsed.data)
    },
    async subscribe({ sessionId, maxFramesPerBatch }) {
      const session = sessions.get(sessionId)
      if (!session) return unknown(sessionId)
      subscriptions.get(sessionId)?.()
      subscriptions.set(sessionId, session.subscribe(deliver, maxFramesPerBatch))
      return ok(undefined)
    },
    async unsubscribe(id) {
      subscriptions.get(id)?.()
      subscriptions.delete(id)
      return ok(undefined)
    },
    // Without a data folder there is nothing saved to list, and nowhere to save.
    async listConnections() {
      return library ? library.connections.list() : ok([])
    },
    async saveConnection(input) {
      return library ? library.connections.save(input) : noLibrary()
    },
    async deleteConnection(id) {
      return library ? library.connections.delete(id) : noLibrary()
    },
    async listSnippets() {
      return library ? library.snippets.list() : ok([])
    },
    async saveSnippet(input) {
      return library ? library.snippets.save(input) : noLibrary()
    },
    async deleteSnippet(id) {
      return library ? library.snippets.delete(id) : noLibrary()
    },
    ...recordingsMethods,
    ...playbackMethods,
    ...resendApi(sessions, recordings),
    startMock: (params) => mocks.startMock(params),
    stopMock: (id) => mocks.stopMock(id),
    listMocks: () => mocks.listMocks(),
    startProbe: (params) => probes.startProbe(params),
    probeStatus: (id) => probes.probeStatus(id),
    cancelProbe: (id) => probes.cancelProbe(id),
    onFrames(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    dispose() {
      for (const stop of subscriptions.values()) stop()
      subscriptions.clear()
      recordingsMethods.dispose()
      playbackMethods.dispose()
      listeners.clear()
    },
  }
}
