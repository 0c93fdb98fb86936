import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { execute, parse, subscribe, validate } from 'graphql';
import { createHandler } from 'graphql-sse/lib/use/http';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { playgroundSchema, type PlaygroundGraphQlContext } from './graphql-schema.js';
import type { LibraryMount } from './handlers.js';
import { CORS_HEADERS, sendText } from './replies.js';
import type { Scope } from './scope.js';

/**
 * GraphQL subscriptions served by the reference libraries on the playground's schema:
 * graphql-ws (subprotocol graphql-transport-ws) at /graphql and graphql-sse (both its
 * distinct-connections and single-connection modes) at /graphql/stream.
 */

export const GRAPHQL_WS_PATH = '/graphql';
export const GRAPHQL_SSE_PATH = '/graphql/stream';
/** A connection_init payload with a `token` other than this is refused (4403 Forbidden); no token is fine. */
export const GRAPHQL_TOKEN = 'secret';

/** GraphQL documents are small; a bigger message is refused with close 1009 rather than buffered. */
const MAX_MESSAGE_BYTES = 1024 * 1024;
const STREAM_TOKEN_HEADER = 'x-graphql-event-stream-token';

/**
 * graphql-js checks that a schema comes from its own module instance. Where a loader
 * gives the libraries a different copy of graphql than the schema's (its ESM and CJS
 * builds), their own validate/execute would refuse it, so they get the schema's.
 */
const GRAPHQL = { execute, subscribe, validate };

export function createGraphQlWsMount(root: Scope): LibraryMount {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  // Each connection's operations run in its scope, ended when the socket closes.
  const scopes = new WeakMap<WebSocket, Scope>();
  const server = useServer(
    {
      schema: playgroundSchema,
      ...GRAPHQL,
      parse,
      context: (ctx): PlaygroundGraphQlContext => ({ scope: scopes.get(ctx.extra.socket) ?? root }),
      onConnect: (ctx) => {
        const token = ctx.connectionParams?.['token'];
        return token === undefined || token === GRAPHQL_TOKEN;
      },
    },
    wss,
  );

  return {
    owns: (pathname) => pathname === GRAPHQL_WS_PATH,
    request: (_req, res) =>
      sendText(res, 426, `${GRAPHQL_WS_PATH} is a WebSocket endpoint (subprotocol graphql-transport-ws); GraphQL over SSE is at ${GRAPHQL_SSE_PATH}`, { Upgrade: 'websocket' }),
    upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      wss.handleUpgrade(req, socket, head, (ws) => {
        const scope = root.child();
        scopes.set(ws, scope);
        ws.on('close', () => scope.dispose());
        // useServer listens for 'connection', as when ws owns the HTTP server.
        wss.emit('connection', ws, req);
      });
    },
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await server.dispose();
    },
  };
}

export function createGraphQlSseMount(root: Scope): LibraryMount {
  // Distinct-connections operations live as long as their own request; in the
  // single-connection mode the operation is posted on one request and streamed on
  // another, and graphql-sse itself returns it when the stream or the client ends it.
  const requestScopes = new WeakMap<IncomingMessage, Scope>();
  const handler = createHandler({
    schema: playgroundSchema,
    ...GRAPHQL,
    context: (req): PlaygroundGraphQlContext => {
      const token = req.headers.get(STREAM_TOKEN_HEADER) ?? new URL(req.url, 'http://playground').searchParams.get('token');
      return { scope: (!token && requestScopes.get(req.raw)) || root };
    },
  });

  return {
    owns: (pathname) => pathname === GRAPHQL_SSE_PATH,
    request: (req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          ...CORS_HEADERS,
          'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
          'Access-Control-Allow-Headers': 'Content-Type, Accept, Authorization, X-GraphQL-Event-Stream-Token',
          'Access-Control-Max-Age': '600',
        });
        res.end();
        return;
      }
      const scope = root.child();
      requestScopes.set(req, scope);
      res.on('close', () => scope.dispose());
      for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
      handler(req, res).catch((error: unknown) => {
        scope.dispose();
        if (res.headersSent) res.destroy();
        else sendText(res, 500, `internal error: ${error instanceof Error ? error.message : String(error)}`);
      });
    },
    close: () => Promise.resolve(),
  };
}
