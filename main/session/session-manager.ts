// All live sessions of one engine. Owns them: closing the manager disposes every one.
import { randomBytes } from 'node:crypto'
import { ConnectionSpecSchema, fail, ok, type ConnectionSpecInput, type Result, type SessionInfo } from '../contract/index.js'
import { SUPPORTED_TECHNIQUES, techniqueFactoryFor } from '../techniques/index.js'
import { withTlsWarning } from '../net/tls-warning.js'
import { withReconnect } from './reconnecting-technique.js'
import { Session, type SessionOptions } from './session.js'

export const MAX_SESSIONS = 256

export class SessionManager {
  private readonly sessions = new Map<string, Session>()

  constructor(private readonly sessionDefaults: Partial<Pick<SessionOptions, 'batchIntervalMs' | 'historySize' | 'net'>> = {}) {}

  open(input: ConnectionSpecInput): Result<Session> {
    const parsed = ConnectionSpecSchema.safeParse(input)
    if (!parsed.success) return fail('E_SPEC_INVALID', parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; '))
    const spec = parsed.data
    const createTechnique = techniqueFactoryFor(spec.technique)
    if (!createTechnique) return fail('E_TECHNIQUE_UNSUPPORTED', `${spec.technique} is not available yet (supported: ${SUPPORTED_TECHNIQUES.join(', ')})`)
    if (this.sessions.size >= MAX_SESSIONS) this.forgetEnded()
    if (this.sessions.size >= MAX_SESSIONS) return fail('E_SESSION_LIMIT', `at most ${MAX_SESSIONS} sessions at once; close some first`)
    const session = new Session({ ...this.sessionDefaults, id: randomBytes(6).toString('hex'), spec, createTechnique: withTlsWarning(withReconnect(createTechnique)) })
    this.sessions.set(session.id, session)
    session.start()
    return ok(session)
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id)
  }

  list(): SessionInfo[] {
    return [...this.sessions.values()].map((s) => s.info())
  }

  /** Close politely; the session stays listed (read-only) until removed. */
  close(id: string): Result<void> {
    const session = this.sessions.get(id)
    if (!session) return fail('E_SESSION_UNKNOWN', `no session ${id}`)
    session.close()
    return ok(undefined)
  }

  dispose(): void {
    for (const session of this.sessions.values()) session.dispose()
    this.sessions.clear()
  }

  private forgetEnded(): void {
    for (const [id, session] of this.sessions) {
      if (session.state === 'closed' || session.state === 'failed') {
        session.dispose()
        this.sessions.delete(id)
      }
    }
  }
}
