import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Scope } from './scope.js';

/**
 * The shapes endpoints are written against. Handlers validate their query first
 * and throw BadRequest; the router turns that into a 400 before anything is sent.
 */

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  /** Disposed when the response closes, whether finished or cut by the client. */
  scope: Scope;
}

export type RequestHandler = (ctx: RequestContext) => void;

export interface UpgradeContext {
  req: IncomingMessage;
  /** The raw TCP socket, kept so fault endpoints can end or reset it under `ws`. */
  socket: Socket;
  query: URLSearchParams;
  /** Completes the handshake; `scope` is disposed when the WebSocket closes. */
  accept(onOpen: (ws: WebSocket, scope: Scope) => void): void;
}

export type UpgradeHandler = (ctx: UpgradeContext) => void;

/**
 * A library server (Socket.IO, graphql-ws, graphql-sse) that does its own HTTP
 * handling. The router hands it the requests and upgrades of the paths it owns,
 * before its own method and CORS rules, which the library applies itself.
 */
export interface LibraryMount {
  owns(pathname: string): boolean;
  request?(req: IncomingMessage, res: ServerResponse): void;
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ends its connections and timers; the router calls it once, on close. */
  close(): Promise<void>;
}
