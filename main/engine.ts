// The engine's composition root: the sessions, the optional playground beside them,
// and one InspectorApi per connected client (a window, a browser tab), each with
// its own subscriptions. Transports (Electron IPC, the bridge) only carry calls.
import { fail, ok, OutgoingMessageSchema, type EnvironmentInfo, type FrameBatch, type InspectorApi } from './contract/index.js'
import { startPlayground, type Playground } from './playground/index.js'
import type { NetContext } from './net/proxy.js'
import { SessionManager } from './session/session-manager.js'
import { VERSION } from './version.js'

export interface EngineOptions {
  /** Start the built-in demo server beside the engine (the desktop app and `rti serve` do). */
  playground?: boolean | { port?: number }
  /** What only the host app can provide: the desktop app passes Electron's system proxy resolver. */
  net?: NetContext
}

export interface Engine {
  readonly sessions: SessionManager
  readonly playground: Playground | undefined
  /** An API for one client; `dispose` drops its subscriptions (sessions keep running). */
  createClient(transport: EnvironmentInfo['transport']): InspectorApi & { dispose(): void }
  close(): Promise<void>
}

export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const sessions = new SessionManager({ net: options.net ?? {} })
  const playground = options.playground ? await startPlayground(typeof options.playground === 'object' ? options.playground : {}) : undefined
  return {
    sessions,
    playground,
    createClient: (transport) => createClientApi(sessions, playground, transport),
    async close() {
      sessions.dispose()
      await playground?.close()
    },
  }
}

function createClientApi(sessions: SessionManager, playground: Playground | undefined, transport: EnvironmentInfo['transport']): InspectorApi & { dispose(): void } {
  const listeners = new Set<(batch: FrameBatch) => void>()
  const subscriptions = new Map<string, () => void>()
  const deliver = (batch: FrameBatch) => {
    for (const listener of listeners) listener(batch)
  }
  const unknown = (id: string) => fail('E_SESSION_UNKNOWN', `no session ${id}`)

  return {
    async getEnvironment() {
      return ok({
        version: VERSION,
        transport,
        ...(playground ? { playground: { baseUrl: playground.baseUrl, endpoints: playground.endpoints } } : {}),
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
    // Stand-ins until the connection library lands (the store is injected then).
    async listConnections() {
      return ok([])
    },
    async saveConnection() {
      return fail('E_LIBRARY_UNAVAILABLE', 'saving connections is not available yet')
    },
    async deleteConnection() {
      return fail('E_LIBRARY_UNAVAILABLE', 'saving connections is not available yet')
    },
    async listSnippets() {
      return ok([])
    },
    async saveSnippet() {
      return fail('E_LIBRARY_UNAVAILABLE', 'saving snippets is not available yet')
    },
    async deleteSnippet() {
      return fail('E_LIBRARY_UNAVAILABLE', 'saving snippets is not available yet')
    },
    onFrames(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    dispose() {
      for (const stop of subscriptions.values()) stop()
      subscriptions.clear()
      listeners.clear()
    },
  }
}
