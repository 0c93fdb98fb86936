// A real Socket.IO 4 server (the `socket.io` package) on 127.0.0.1, port 0, for the
// protocol tests; and the real socket.io-client as the oracle against it.
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server, type ServerOptions } from 'socket.io'
import { packetsOf, type FrameOf, type Packet } from '../../main/contract/index.js'
import type { Harness } from './session-harness.js'
import { io as connectClient, type ManagerOptions, type Socket as ClientSocket, type SocketOptions } from 'socket.io-client'

export interface SocketIoServer {
  io: Server
  http: HttpServer
  port: number
  /** http://127.0.0.1:port/socket.io/ */
  httpUrl: string
  /** ws://127.0.0.1:port/socket.io/ */
  wsUrl: string
  /** Engine.IO handshakes seen (requests without a sid). */
  handshakes: () => number
  close(): Promise<void>
}

/** The events the standard handlers send; an oracle and the inspector must see the same. */
export const WELCOME = [{ n: 1, text: 'héllo' }, 'second arg'] as const
export const ADMIN_TOKEN = 'let-me-in'

export async function startSocketIoServer(options: Partial<ServerOptions> = {}): Promise<SocketIoServer> {
  const http = createServer()
  const io = new Server(http, { serveClient: false, ...options })
  // Counted ahead of Engine.IO's own listeners (it takes over the server's).
  let handshakes = 0
  const count = (req: { url?: string }) => {
    if (req.url?.includes('/socket.io/') && !req.url.includes('sid=')) handshakes++
  }
  http.prependListener('request', count)
  http.prependListener('upgrade', count)
  standardHandlers(io)
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const port = (http.address() as AddressInfo).port
  return {
    io,
    http,
    port,
    httpUrl: `http://127.0.0.1:${port}/socket.io/`,
    wsUrl: `ws://127.0.0.1:${port}/socket.io/`,
    handshakes: () => handshakes,
    close: () =>
      new Promise<void>((resolve) => {
        io.close(() => resolve())
        http.closeAllConnections()
      }),
  }
}

/**
 * `/`: `welcome` with two args on connect; `chat` acknowledged with `ok` and the
 * args; `binary` answered by an event `file` with two attachments; `bye` makes the
 * server disconnect the socket. `/admin`: needs `auth.token` (v4) or the `token`
 * query (v3), then `hello-admin`.
 */
function standardHandlers(io: Server): void {
  io.on('connection', (socket) => {
    socket.emit('welcome', ...WELCOME)
    socket.on('chat', (...args: unknown[]) => {
      const ack = args.at(-1)
      if (typeof ack === 'function') (ack as (...a: unknown[]) => void)('ok', args.slice(0, -1))
    })
    socket.on('binary', () => socket.emit('file', { name: 'a.bin', data: Buffer.from([1, 2, 3]) }, Buffer.from('second')))
    socket.on('bye', () => socket.disconnect())
  })
  const admin = io.of('/admin')
  admin.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: string }).token ?? (socket.handshake.query as { token?: string }).token
    if (token === ADMIN_TOKEN) next()
    else next(Object.assign(new Error('unauthorized'), { data: { reason: 'bad token' } }))
  })
  admin.on('connection', (socket) => socket.emit('hello-admin', { admin: true }))
}

/** The real client, connected and collecting every event it gets (name and args). */
export async function oracleClient(url: string, options: Partial<ManagerOptions & SocketOptions> = {}): Promise<{ socket: ClientSocket; events: { event: string; args: unknown[] }[] }> {
  const socket = connectClient(url, { reconnection: false, ...options })
  const events: { event: string; args: unknown[] }[] = []
  socket.onAny((event: string, ...args: unknown[]) => events.push({ event, args }))
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
  return { socket, events }
}

/** A decoded packet with the frame that carried it. */
export type SeenPacket = Packet & { frame: FrameOf<'message'> }

/** Every packet of a session's message frames, in order (optionally one direction's). */
export function packetsSeen(h: Harness, direction?: 'in' | 'out'): SeenPacket[] {
  return h.ofKind('message')
    .filter((f) => direction === undefined || f.direction === direction)
    .flatMap((f) => packetsOf(f.decoded).map((p) => ({ ...p, frame: f }) as SeenPacket))
}

/** The first packet that matches, waiting for its frame. */
export async function waitForPacket(h: Harness, match: (p: Packet) => boolean, timeoutMs = 5000): Promise<SeenPacket> {
  await h.waitFor('message', (f) => packetsOf(f.decoded).some(match), timeoutMs)
  return packetsSeen(h).find(match)!
}

/** Events counted as a checker would: incoming packets of type EVENT/BINARY_EVENT with `event` set. */
export function eventsSeen(h: Harness): SeenPacket[] {
  return packetsSeen(h, 'in').filter((p) => (p.type === 'EVENT' || p.type === 'BINARY_EVENT') && p.event !== undefined)
}
