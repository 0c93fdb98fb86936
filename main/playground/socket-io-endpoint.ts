import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Server, type Socket } from 'socket.io';
import type { LibraryMount } from './handlers.js';
import { sendTime } from './payload.js';
import type { Scope } from './scope.js';

/**
 * A real Socket.IO 4 server (the `socket.io` package) under /socket.io/, so the
 * protocol can be tried against the implementation most servers run:
 *
 * - `/` emits `welcome` on connect, `tick` {n, sentAt} every second and `bin` (a
 *   binary attachment) every 5 s; `chat` is echoed to the sender and acknowledged
 *   with ["ok", {receivedAt}]; `get-bin` answers with a binary attachment (in the ack
 *   when one is asked for); `kick` disconnects the socket from the server side; any
 *   other event sent with an ack is acknowledged with ["ok", {event}].
 * - `/admin` needs the auth payload {"token":"secret"}; anything else gets
 *   CONNECT_ERROR "invalid token".
 *
 * Engine.IO 3 clients are accepted too (allowEIO3), as many deployed servers do.
 */

export const SOCKET_IO_PATH = '/socket.io/';
export const ADMIN_TOKEN = 'secret';

const TICK_MS = 1000;
const BIN_MS = 5000;
const BIN_BYTES = 16;

export function createSocketIoMount(root: Scope): LibraryMount {
  // socket.io attaches to an HTTP server by taking over its 'request' and 'upgrade'
  // listeners; the playground routes by path itself, so socket.io gets a server of
  // its own that never listens and is handed only /socket.io/ traffic below.
  const detached = createServer();
  const io = new Server(detached, {
    path: SOCKET_IO_PATH,
    allowEIO3: true,
    serveClient: false,
    // The playground's policy: any origin may read (see replies.ts). Engine.IO
    // answers the preflight of its POSTs itself.
    cors: { origin: '*', methods: ['GET', 'POST'] },
  });

  io.on('connection', (socket) => mainNamespace(socket, root));

  const admin = io.of('/admin');
  admin.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    if (auth?.token === ADMIN_TOKEN) next();
    else next(new Error('invalid token'));
  });
  admin.on('connection', (socket) => {
    socket.emit('welcome', { namespace: '/admin', id: socket.id, clients: io.engine.clientsCount });
    socket.on('stats', (...args: unknown[]) => {
      const ack = takeAck(args);
      const stats = { clients: io.engine.clientsCount, sentAt: sendTime() };
      if (ack) ack(stats);
      else socket.emit('stats', stats);
    });
  });

  return {
    owns: (pathname) => pathname.startsWith(SOCKET_IO_PATH),
    request: (req: IncomingMessage, res: ServerResponse) => io.engine.handleRequest(req, res),
    upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => io.engine.handleUpgrade(req, socket, head),
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}

function mainNamespace(socket: Socket, root: Scope): void {
  const scope = root.child();
  socket.on('disconnect', () => scope.dispose());

  socket.emit('welcome', {
    id: socket.id,
    message: 'Welcome to the Realtime Inspector playground',
    events: { in: ['chat (ack)', 'get-bin (ack)', 'kick'], out: ['tick every 1 s', 'bin every 5 s'] },
  });

  let ticks = 0;
  scope.interval(() => socket.emit('tick', { n: ++ticks, sentAt: sendTime() }), TICK_MS);
  let bins = 0;
  scope.interval(() => socket.emit('bin', binary(++bins)), BIN_MS);

  socket.on('chat', (...args: unknown[]) => {
    const ack = takeAck(args);
    socket.emit('chat', ...args);
    ack?.('ok', { receivedAt: sendTime() });
  });
  socket.on('get-bin', (...args: unknown[]) => {
    const ack = takeAck(args);
    const payload = binary(++bins);
    if (ack) ack(payload);
    else socket.emit('bin', payload);
  });
  socket.on('kick', () => socket.disconnect(true));
  // Acks for any other event, so an emit with an ack always has an answer to time.
  socket.onAny((event: string, ...args: unknown[]) => {
    if (['chat', 'get-bin', 'kick'].includes(event)) return;
    takeAck(args)?.('ok', { event });
  });
}

/** An event's bytes: the counter in the first four bytes, then 0x01, 0x02… */
function binary(n: number): { n: number; sentAt: number; bytes: Buffer } {
  const bytes = Buffer.alloc(BIN_BYTES);
  bytes.writeUInt32BE(n, 0);
  for (let i = 4; i < BIN_BYTES; i++) bytes[i] = i - 3;
  return { n, sentAt: sendTime(), bytes };
}

/**
 * Socket.IO passes the ack callback as the last argument when the client asked for
 * one. It is taken off `args`: echoed back with them, it would ask the client for an ack.
 */
function takeAck(args: unknown[]): ((...reply: unknown[]) => void) | undefined {
  if (typeof args[args.length - 1] !== 'function') return undefined;
  return args.pop() as (...reply: unknown[]) => void;
}
