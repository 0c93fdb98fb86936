// All live sessions of one engine. Owns them: closing the manager disposes every one.
import { randomBytes } from 'node:crypto'
import { ConnectionSpecSchema, fail, ok, type ConnectionSpec, type ConnectionSpecInput, type Result, type SessionInfo } from '../contract/index.js'
import { SUPPORTED_TECHNIQUES, techniqueFactoryFor } from '../techniques/index.js'
import { withReconnect } from './reconnecting-technique.js'
import { withTlsWarning } from './tls-warning-technique.js'
import { prepareSpec, withProtocol } from '../protocols/index.js'
import { Session, type SessionOptions } from './session.js'

export const MAX_SESSIONS = 256

export interface SessionManagerOptions extends Partial<Pick<SessionOptions, 'batchIntervalMs' | 'historySize' | 'net'>> {
  /** Record every session (unless its spec says `record: { enabled: false }`) to a new file in this folder. */
  recordingsDir?: string
  /** The size cap of a recording when the spec sets none (default 1 GiB). */
  recordingMaxBytes?: number
  /** Bytes waiting for a recording's disk past which its session stops reading (default: the writer's). */
  recordingHighWaterBytes?: number
}

export interface OpenOptions {
  /** Record to this file (whatever the defaults); `exclusive`: never replace an existing one. */
  recordTo?: { path: string; exclusive: boolean }
}

export class SessionManager {
  private readonly sessions = new Map<string, Session>()
  private readonly sessionDefaults: Partial<Pick<SessionOptions, 'batchIntervalMs' | 'historySize' | 'net'>>

  constructor(private readonly options: SessionManagerOptions = {}) {
    const { recordingsDir: _dir, recordingMaxBytes: _max, recordingHighWaterBytes: _high, ...sessionDefaults } = options
    this.sessionDefaults = sessionDefaults
  }

  open(input: ConnectionSpecInput, openOptions: OpenOptions = {}): Result<Session> {
    const parsed = ConnectionSpecSchema.safeParse(input)
    if (!parsed.success) return fail('E_SPEC_INVALID', parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; '))
    const spec = parsed.data
    // A chosen protocol implies its technique and options (subprotocols, query…). The
    // techniques run on that; the session keeps the user's spec, so the app still
    // knows it as the connection it came from and a recording re-sends as typed.
    const prepared = prepareSpec(spec)
    if (!prepared.ok) return prepared
    const wire = prepared.value
    const createTechnique = techniqueFactoryFor(wire.technique)
    if (!createTechnique) return fail('E_TECHNIQUE_UNSUPPORTED', `${wire.technique} is not available yet (supported: ${SUPPORTED_TECHNIQUES.join(', ')})`)
    const createOnWire = withTlsWarning(withReconnect(withProtocol(wire, createTechnique)))
    if (this.sessions.size >= MAX_SESSIONS) this.forgetEnded()
    if (this.sessions.size >= MAX_SESSIONS) return fail('E_SESSION_LIMIT', `at most ${MAX_SESSIONS} sessions at once; close some first`)
    const recording = this.recordingFor(spec, openOptions)
    const session = new Session({ ...this.sessionDefaults, id: randomBytes(6).toString('hex'), spec, createTechnique: (_spec, sink, attempt) => createOnWire(wire, sink, attempt), ...(recording ? { recording } : {}) })
    this.sessions.set(session.id, session)
    session.start()
    return ok(session)
  }

  /** Adds a session made elsewhere (a recording played back): listed, subscribed and closed like any other. */
  add(make: (id: string) => Session): Result<Session> {
    if (this.sessions.size >= MAX_SESSIONS) this.forgetEnded()
    if (this.sessions.size >= MAX_SESSIONS) return fail('E_SESSION_LIMIT', `at most ${MAX_SESSIONS} sessions at once; close some first`)
    const session = make(randomBytes(6).toString('hex'))
    this.sessions.set(session.id, session)
    session.start()
    return ok(session)
  }

  /** Every session, for those who look for one of a kind. */
  all(): Session[] {
    return [...this.sessions.values()]
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

  /** Ends every session now; resolves once their recordings are on disk and closed. */
  dispose(): Promise<void> {
    const sessions = [...this.sessions.values()]
    for (const session of sessions) session.dispose()
    this.sessions.clear()
    return Promise.all(sessions.map((s) => s.recordingClosed())).then(() => undefined)
  }

  private recordingFor(spec: ConnectionSpec, { recordTo }: OpenOptions): SessionOptions['recording'] {
    if (spec.record?.enabled === false) return undefined
    const maxBytes = spec.record?.maxBytes ?? this.options.recordingMaxBytes
    const highWaterBytes = this.options.recordingHighWaterBytes
    if (recordTo) return { target: recordTo, maxBytes, highWaterBytes }
    if (this.options.recordingsDir) return { target: { dir: this.options.recordingsDir }, maxBytes, highWaterBytes }
    return undefined
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
