import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { PlaygroundEndpoint } from './endpoints.js';
import { createGraphQlSseMount, createGraphQlWsMount } from './graphql-endpoints.js';
import type { LibraryMount, RequestContext, RequestHandler, UpgradeContext, UpgradeHandler } from './handlers.js';
import { createPollingEndpoints, type PollingTiming } from './polling-endpoints.js';
import { BadRequest } from './query.js';
import { CORS_HEADERS, sendJson, sendText, writeRawResponse } from './replies.js';
import { Scope } from './scope.js';
import { createSocketIoMount } from './socket-io-endpoint.js';
import { sseTicker } from './sse-endpoint.js';
import { sseRaw } from './sse-raw-endpoint.js';
import { stream, streamCut } from './stream-endpoint.js';
import * as faults from './websocket-faults.js';
import * as websocket from './websocket-endpoints.js';

export interface PlaygroundServerOptions extends PollingTiming {
  /** Read lazily: the URLs are only known once the server listens. */
  endpoints(): PlaygroundEndpoint[];
}

export interface PlaygroundServer {
  server: Server;
  /** Everything with a lifetime hangs off this; tests read `pendingTimers`. */
  root: Scope;
  close(): Promise<void>;
}

const HEAD_ALLOWED = new Set(['/', '/poll']);

/** A client message above this is refused with close 1009 rather than buffered. */
const MAX_WS_PAYLOAD = 16 * 1024 * 1024;

/** Routes plain requests and upgrades by path, and owns every socket so close() can end them. */
export function createPlaygroundServer(options: PlaygroundServerOptions): PlaygroundServer {
  const root = new Scope();
  const { longPoll, poll } = createPollingEndpoints(root, options);

  const httpRoutes = new Map<string, RequestHandler>([
    ['/', ({ res }) => sendJson(res, 200, { name: 'Realtime Inspector playground', endpoints: options.endpoints() })],
    ['/sse/ticker', sseTicker],
    ['/sse/raw', sseRaw],
    ['/longpoll', longPoll],
    ['/poll', poll],
    ['/stream', stream],
    ['/stream/cut', streamCut],
  ]);
  const wsRoutes = new Map<string, UpgradeHandler>([
    ['/ws/echo', websocket.echo],
    ['/ws/ticker', websocket.ticker],
    ['/ws/headers', websocket.headers],
    ['/ws/close', faults.close],
    ['/ws/drop', faults.drop],
    ['/ws/reset', faults.reset],
    ['/ws/reject', faults.reject],
  ]);
  // Socket.IO and GraphQL are served by their own libraries, handed their paths whole.
  const mounts: LibraryMount[] = [createSocketIoMount(root), createGraphQlWsMount(root), createGraphQlSseMount(root)];
  const mountFor = (pathname: string): LibraryMount | undefined => mounts.find((mount) => mount.owns(pathname));

  // permessage-deflate is on so a client's toggle has something to negotiate;
  // ws only compresses messages of 1 KiB and more.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: true, maxPayload: MAX_WS_PAYLOAD });
  const server = createServer({ noDelay: true });
  const sockets = new Set<Socket>();

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  server.on('request', (req, res) => {
    const url = parseUrl(req);
    if (!url) return sendText(res, 400, 'request target must be a path');
    const mount = mountFor(url.pathname);
    if (mount?.request) return mount.request(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...CORS_HEADERS,
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': 'Last-Event-ID, If-None-Match, If-Modified-Since, Cache-Control, Authorization',
        'Access-Control-Max-Age': '600',
      });
      return res.end();
    }
    const handler = httpRoutes.get(url.pathname);
    if (!handler) {
      if (wsRoutes.has(url.pathname)) return sendText(res, 426, `${url.pathname} is a WebSocket endpoint`, { Upgrade: 'websocket' });
      return sendText(res, 404, `no playground endpoint at ${url.pathname}; GET / lists them`);
    }
    // HEAD only where the answer is finite: a HEAD to a stream would tick with nowhere to write.
    const methods = HEAD_ALLOWED.has(url.pathname) ? ['GET', 'HEAD'] : ['GET'];
    if (!methods.includes(req.method ?? '')) {
      return sendText(res, 405, `${url.pathname} answers ${methods.join(' and ')}`, { Allow: [...methods, 'OPTIONS'].join(', ') });
    }
    const scope = root.child();
    res.on('close', () => scope.dispose());
    const ctx: RequestContext = { req, res, query: url.searchParams, scope };
    try {
      handler(ctx);
    } catch (error) {
      scope.dispose();
      if (res.headersSent) res.destroy();
      else sendText(res, error instanceof BadRequest ? 400 : 500, errorText(error));
    }
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client resetting mid-handshake must not become an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    const url = parseUrl(req);
    const mount = url && mountFor(url.pathname);
    if (mount && mount.upgrade) return mount.upgrade(req, socket, head);
    const handler = url && wsRoutes.get(url.pathname);
    if (!url || !handler) return writeRawResponse(socket, 404, `no WebSocket endpoint at ${url?.pathname ?? req.url}`);
    const ctx: UpgradeContext = {
      req,
      socket: socket as Socket,
      query: url.searchParams,
      accept(onOpen) {
        wss.handleUpgrade(req, socket, head, (ws) => {
          const scope = root.child();
          ws.on('close', () => scope.dispose());
          // ws reports a client's protocol violations as 'error' and then closes.
          ws.on('error', () => {});
          onOpen(ws, scope);
        });
      },
    };
    try {
      handler(ctx);
    } catch (error) {
      writeRawResponse(socket, error instanceof BadRequest ? 400 : 500, errorText(error));
    }
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      root.dispose();
      const mountsClosed = mounts.map((mount) => mount.close());
      server.close(() => void Promise.allSettled(mountsClosed).then(() => resolve()));
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      for (const socket of sockets) socket.destroy();
    }));

  return { server, root, close };
}

function parseUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '';
  if (!target.startsWith('/')) return undefined;
  try {
    // Prefixing rather than resolving against a base keeps "//x" a path.
    return new URL(`http://playground${target}`);
  } catch {
    return undefined;
  }
}

function errorText(error: unknown): string {
  if (error instanceof BadRequest) return error.message;
  return `internal error: ${error instanceof Error ? error.message : String(error)}`;
}
