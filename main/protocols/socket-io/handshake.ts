// What a Socket.IO client puts on the wire by itself: the Engine.IO URL of each
// transport, the namespace CONNECT (with its auth), an emit; and the floor between
// two handshakes of one session, so no retry ever storms the server.
import type { EioVersion } from './engine-io-codec.js'

/** The smallest gap between two Engine.IO handshakes of one session. */
export const HANDSHAKE_FLOOR_MS = 250

/**
 * The Engine.IO URL of a transport: the URL's own path (`/socket.io/` when it has
 * none), `EIO` and `transport` set, and the session id once there is one. v3 polling
 * asks for base64 binaries (`b64=1`) so every payload is text.
 */
export function engineUrl(url: string, eio: EioVersion, transport: 'polling' | 'websocket', sid?: string): string {
  const target = new URL(url)
  if (target.pathname === '' || target.pathname === '/') target.pathname = '/socket.io/'
  if (transport === 'websocket') target.protocol = target.protocol === 'https:' || target.protocol === 'wss:' ? 'wss:' : 'ws:'
  else target.protocol = target.protocol === 'wss:' || target.protocol === 'https:' ? 'https:' : 'http:'
  target.searchParams.set('EIO', String(eio))
  target.searchParams.set('transport', transport)
  if (eio === 3 && transport === 'polling') target.searchParams.set('b64', '1')
  else target.searchParams.delete('b64')
  if (sid !== undefined) target.searchParams.set('sid', sid)
  else target.searchParams.delete('sid')
  return target.toString()
}

/**
 * The CONNECT of a namespace, or undefined when there is nothing to send: v3 servers
 * connect the main namespace by themselves (and close on a second CONNECT). v4 sends
 * the auth as the packet's JSON; v3 as the namespace's query.
 */
export function connectPacket(namespace: string, auth: string, eio: EioVersion): string | undefined {
  const authValue = auth.trim() === '' ? undefined : (JSON.parse(auth) as unknown)
  if (eio === 4) return `40${namespace === '/' ? '' : `${namespace},`}${authValue === undefined ? '' : JSON.stringify(authValue)}`
  if (namespace === '/') return undefined
  const query = authValue !== null && typeof authValue === 'object' ? new URLSearchParams(Object.entries(authValue).map(([key, value]): [string, string] => [key, typeof value === 'string' ? value : JSON.stringify(value)])).toString() : ''
  return `40${namespace}${query ? `?${query}` : ''},`
}

/** `42[/ns,][ackId]["event",...args]`. */
export function emitPacket(namespace: string, event: string, args: unknown[], ackId: number | undefined): string {
  return `42${namespace === '/' ? '' : `${namespace},`}${ackId ?? ''}${JSON.stringify([event, ...args])}`
}

/**
 * Spaces the handshakes of one session (every attempt, every transport) at least
 * HANDSHAKE_FLOOR_MS apart, whatever the reconnect policy says.
 */
export class HandshakeGate {
  private last = -Infinity

  constructor(private readonly floorMs = HANDSHAKE_FLOOR_MS) {}

  /** Runs `go` once the floor since the previous handshake has passed; answers a cancel. */
  wait(go: () => void): () => void {
    const delay = Math.max(0, this.last + this.floorMs - Date.now())
    const run = () => {
      this.last = Date.now()
      go()
    }
    if (delay === 0) {
      run()
      return () => {}
    }
    const timer = setTimeout(run, delay)
    return () => clearTimeout(timer)
  }
}
