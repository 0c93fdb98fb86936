// Who may use a mock server. A mock serves what a recording holds (tokens, private
// data) on this machine, so a web page the user happens to visit must not read it:
// - the Host check defeats DNS rebinding (a page's own name resolved to 127.0.0.1);
// - the Origin check lets pages on loopback origins in (the client under
//   development usually runs on localhost) and refuses every other page, on the
//   WebSocket and in CORS answers, unless the user named its origin.
// Clients that are not browsers send no Origin and are always served.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http'
import { isIP } from 'node:net'

export interface MockAccess {
  /** The Host header names this machine (or the address the mock listens on). */
  hostAllowed(req: IncomingMessage): boolean
  /** No Origin (not a browser), a loopback origin, or one the user named. */
  originAllowed(req: IncomingMessage): boolean
  /** CORS headers for an allowed request: the caller's own origin, never `*`. */
  corsHeaders(req: IncomingMessage): OutgoingHttpHeaders
  /** The extra origins, normalised, as the user named them. */
  readonly allowOrigins: readonly string[]
}

export class OriginError extends Error {
  readonly code = 'E_MOCK_ORIGIN'
}

/** At most this many extra origins: a list of pages, not a wildcard by volume. */
export const MAX_ALLOWED_ORIGINS = 32

/**
 * An origin as browsers send it (`scheme://host[:port]`, default port left out), or
 * `null` for pages with an opaque origin (files, sandboxed frames) when the user
 * says so. Anything with a path, credentials or a wildcard is refused.
 */
export function normaliseOrigin(text: string): string {
  const trimmed = text.trim()
  if (trimmed === 'null') return 'null'
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    throw new OriginError(`"${text}" is not an origin: expected scheme://host[:port], e.g. http://localhost:5173`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OriginError(`"${text}": only http and https pages have an origin to allow`)
  if (trimmed.includes('*')) throw new OriginError(`"${text}": name each origin, wildcards are not accepted`)
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
    throw new OriginError(`"${text}" is not an origin: give scheme://host[:port] without a path`)
  }
  return url.origin
}

export function createMockAccess(boundHost: string, allowOrigins: readonly string[] = []): MockAccess {
  if (allowOrigins.length > MAX_ALLOWED_ORIGINS) throw new OriginError(`at most ${MAX_ALLOWED_ORIGINS} origins may be allowed`)
  const extra = new Set(allowOrigins.map(normaliseOrigin))
  const bound = bareHost(boundHost)

  const originOf = (req: IncomingMessage): string | undefined => {
    const value = req.headers.origin
    return Array.isArray(value) ? value[0] : value
  }
  const originAllowed = (req: IncomingMessage): boolean => {
    const origin = originOf(req)
    if (origin === undefined) return true
    if (extra.has(origin)) return true
    return isLoopbackOrigin(origin)
  }

  return {
    allowOrigins: [...extra],
    hostAllowed(req) {
      const name = hostName(req.headers.host)
      if (name === undefined) return false
      // An IP literal cannot be rebound; a name can, so only the loopback names and
      // the one the mock was told to listen on are accepted.
      return isIP(name) !== 0 || isLoopbackName(name) || name === bound
    },
    originAllowed,
    corsHeaders(req) {
      const origin = originOf(req)
      if (origin === undefined || !originAllowed(req)) return {}
      const headers: OutgoingHttpHeaders = { 'access-control-allow-origin': origin, vary: 'Origin' }
      // Chromium asks before a public page reaches a private address; only pages the
      // user allowed get a yes.
      if (req.headers['access-control-request-private-network'] === 'true') headers['access-control-allow-private-network'] = 'true'
      return headers
    },
  }
}

/** `http(s)://` on 127.0.0.0/8, [::1] or localhost (and its subdomains), any port. */
export function isLoopbackOrigin(origin: string): boolean {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false
  if (url.origin !== origin) return false
  return isLoopbackName(bareHost(url.hostname))
}

function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  if (name === '::1') return true
  return isIP(name) === 4 && name.startsWith('127.')
}

/** The host name of a Host header, lower case, brackets and port removed; undefined when malformed. */
function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined
  const value = header.trim().toLowerCase()
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/.exec(value)
  return match ? bareHost(match[1]!) : undefined
}

function bareHost(host: string): string {
  const lower = host.toLowerCase()
  return lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower
}
