// Who may talk to the bridge. The bridge drives network connections on the user's
// behalf, so a drive-by web page must not reach it: the token proves the caller got
// the URL from us, the Host check defeats DNS rebinding, the Origin check defeats
// other pages' scripts.
//
// The token in the printed URL is exchanged, on the first visit, for a session
// cookie (HttpOnly, SameSite=Strict, host-only) and the browser is sent on to the
// bare URL, so the token does not stay in the address bar or in the page's history
// entry. Rotating makes a new token and forgets every session: the old URL and every
// open tab stop working.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { BRIDGE_TOKEN_PARAM } from '../contract/index.js'

/** Browsers (and tabs after a rotation) that opened the URL; the oldest is forgotten past this. */
const MAX_SESSIONS = 256

export function createToken(): string {
  return randomBytes(24).toString('base64url')
}

export class BridgeCredentials {
  private current = createToken()
  private readonly sessions = new Set<string>()
  /**
   * Cookies are scoped by host, not by port: the port in the name keeps two bridges
   * on the same host apart.
   */
  cookieName = 'rti-session'

  /** Call once the port is known, before the first request. */
  listenOn(port: number): void {
    this.cookieName = `rti-session-${port}`
  }

  get token(): string {
    return this.current
  }

  /** The URL's `token` parameter is the current token. */
  tokenMatches(request: IncomingMessage): boolean {
    return sameSecret(tokenIn(request), this.current)
  }

  /** The request carries a session cookie this bridge handed out (and has not forgotten). */
  hasSession(request: IncomingMessage): boolean {
    const given = cookieValue(request.headers.cookie, this.cookieName)
    if (!given) return false
    for (const id of this.sessions) if (sameSecret(given, id)) return true
    return false
  }

  /** A new session for a browser that showed the token: its Set-Cookie header. */
  startSession(): string {
    const id = createToken()
    this.sessions.add(id)
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.values().next().value!)
    return `${this.cookieName}=${id}; Path=/; HttpOnly; SameSite=Strict`
  }

  /** A new token; every session handed out so far is forgotten. */
  rotate(): string {
    this.current = createToken()
    this.sessions.clear()
    return this.current
  }
}

/** The URL asks for a token exchange (it carries the parameter at all). */
export function carriesToken(request: IncomingMessage): boolean {
  return tokenIn(request) !== undefined
}

function tokenIn(request: IncomingMessage): string | undefined {
  try {
    return new URL(request.url ?? '/', 'http://bridge').searchParams.get(BRIDGE_TOKEN_PARAM) ?? undefined
  } catch {
    return undefined
  }
}

function sameSecret(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false
  const a = Buffer.from(given)
  const b = Buffer.from(secret)
  return a.length === b.length && timingSafeEqual(a, b)
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** The Host names this bridge answers to: the loopback names, or the host it was bound to. */
export function allowedHosts(boundHost: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]'])
  names.add(boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost)
  return new Set([...names].map((name) => `${name}:${port}`))
}

export function hostAllowed(request: IncomingMessage, hosts: Set<string>): boolean {
  return hosts.has((request.headers.host ?? '').toLowerCase())
}

/** Browsers always send Origin on a WebSocket handshake; it must be our own page. */
export function originAllowed(request: IncomingMessage, hosts: Set<string>): boolean {
  const origin = request.headers.origin
  if (origin === undefined) return true
  try {
    const url = new URL(origin)
    return url.protocol === 'http:' && hosts.has(url.host.toLowerCase())
  } catch {
    return false
  }
}
