// Who may talk to the bridge. The bridge drives network connections on the user's
// behalf, so a drive-by web page must not reach it: the token proves the caller got
// the URL from us, the Host check defeats DNS rebinding, the Origin check defeats
// other pages' scripts.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { BRIDGE_TOKEN_PARAM } from '../contract/index.js'

export function createToken(): string {
  return randomBytes(24).toString('base64url')
}

export function tokenMatches(request: IncomingMessage, token: string): boolean {
  const given = new URL(request.url ?? '/', 'http://bridge').searchParams.get(BRIDGE_TOKEN_PARAM) ?? ''
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
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
