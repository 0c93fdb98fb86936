// Where each check connects: the endpoint itself when it can answer the question, else
// an `rti playground` reached through the same path (same proxy, same TLS options),
// which can be asked for silence, heartbeats and tickers. Every session the probe
// opens is a copy of the user's spec with reconnects and recording off.
import type { ConnectionSpec, ConnectionSpecInput, TechniqueName } from '../contract/index.js'
import { startHold } from './hold.js'
import type { SessionManager } from '../session/session-manager.js'

/** What the playground's `/` answers with (main/playground/server.ts). */
const NAMED = /^\s*\{\s*"name"\s*:\s*"Realtime Inspector playground"/
const DETECT_TIMEOUT_MS = 5000

/** The http(s) base of a URL's origin (ws → http, wss → https). */
export function httpOrigin(url: string): string {
  const parsed = new URL(url)
  const scheme = parsed.protocol === 'wss:' ? 'https:' : parsed.protocol === 'ws:' ? 'http:' : parsed.protocol
  return `${scheme}//${parsed.host}`
}

/** `base` without a trailing slash, in http(s) form. */
export function normaliseBase(base: string): string {
  const parsed = new URL(base)
  const scheme = parsed.protocol === 'wss:' ? 'https:' : parsed.protocol === 'ws:' ? 'http:' : parsed.protocol
  return `${scheme}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`
}

export const wsBase = (httpBase: string) => httpBase.replace(/^http/, 'ws')

/** The playground endpoint a check uses for a technique, and how to read it. */
export function playgroundTarget(base: string, technique: TechniqueName, knobs: string): { url: string; extra: Partial<ConnectionSpecInput> } {
  switch (technique) {
    case 'websocket':
      return { url: `${wsBase(base)}/ws/ticker?${knobs}`, extra: {} }
    case 'sse':
      return { url: `${base}/sse/ticker?${knobs}`, extra: {} }
    case 'long-polling':
      return { url: `${base}/longpoll?cursor=0&${knobs}`, extra: { longPolling: { cursor: { from: 'header', name: 'X-Cursor', param: 'cursor' }, messagesPath: 'messages', requestTimeoutMs: 30_000 } } }
    case 'polling':
      return { url: `${base}/poll?${knobs}`, extra: { polling: { intervalMs: 500, conditional: false } } }
    case 'streaming':
      return { url: `${base}/stream?format=ndjson&${knobs}`, extra: { streaming: { framing: 'ndjson' } } }
  }
}

export interface DerivedSpec {
  technique: TechniqueName
  url: string
  /** Keep the user's headers and auth (the endpoint itself, or a playground behind the same gateway). */
  credentials: boolean
  headers?: { name: string; value: string }[]
  /** Run the passive detectors on this session (their findings join the report). */
  detectors: boolean
  extra?: Partial<ConnectionSpecInput>
}

/** A session spec for one check: the user's path (proxy, TLS) with its own target. */
export function deriveSpec(user: ConnectionSpec, target: DerivedSpec): ConnectionSpecInput {
  const sameTechnique = target.technique === user.technique
  const headers = [...(target.credentials ? user.headers : []), ...(target.headers ?? [])]
  // A header the check sets (Accept-Encoding) replaces the user's of the same name.
  const byName = new Map(headers.map((h) => [h.name.toLowerCase(), h]))
  return {
    // The endpoint itself is asked as the user asks it — with its protocol driving, so a
    // held connection answers its heartbeats as a real client does.
    ...(sameTechnique && target.credentials
      ? { websocket: user.websocket, sse: user.sse, longPolling: user.longPolling, polling: user.polling, streaming: user.streaming, method: user.method, ...(user.body !== undefined ? { body: user.body } : {}), query: user.query, protocol: user.protocol }
      : {}),
    ...(target.extra ?? {}),
    technique: target.technique,
    url: target.url,
    headers: [...byName.values()],
    ...(target.credentials ? { auth: user.auth } : {}),
    tls: user.tls,
    proxy: user.proxy,
    limits: user.limits,
    reconnect: { enabled: false },
    record: { enabled: false },
    diagnostics: { ...(user.diagnostics ?? { timestampField: '', heartbeatDeadlineMs: 0 }), enabled: target.detectors },
  }
}

export type PlaygroundSearch = { base: string } | { base?: undefined; reason: string }

/**
 * Looks for a playground at `explicit`, else at the endpoint's own origin: its `/`
 * names itself. Asked through the same path as everything else.
 */
export async function findPlayground(manager: SessionManager, user: ConnectionSpec, explicit: string | undefined, signal: AbortSignal): Promise<PlaygroundSearch> {
  let base: string
  try {
    base = normaliseBase(explicit ?? httpOrigin(user.url))
  } catch {
    return { reason: `the playground URL ${JSON.stringify(explicit)} is not a valid URL` }
  }
  const spec = deriveSpec(user, { technique: 'polling', url: `${base}/`, credentials: explicit === undefined, detectors: false, extra: { polling: { intervalMs: 60_000, conditional: false, requestTimeoutMs: DETECT_TIMEOUT_MS } } })
  const hold = startHold(manager, { spec, signal, until: Date.now() + DETECT_TIMEOUT_MS, enough: (r) => r.responses.length > 0 || r.errors.length > 0 })
  const result = await hold.result
  const text = result.body
  // The catalogue is long; its name comes first, and a look at the start is enough.
  if (text && NAMED.test(text.slice(0, 512))) return { base }
  const why = result.errors[0] ? result.errors[0].message : result.status !== undefined ? `${base}/ answered ${result.status}, not the playground's catalogue` : `${base}/ did not answer within ${DETECT_TIMEOUT_MS / 1000} s`
  return { reason: explicit ? `no playground at ${base}: ${why}` : `no playground at the endpoint's origin (${why}); give one with --playground` }
}
