import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Cross-origin reads allowed so a page in a browser (the renderer in browser
 * mode, Chromium as an EventSource oracle) can talk to the playground directly.
 */
export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, Last-Modified, X-Cursor',
};

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = text.endsWith('\n') ? text : text + '\n';
  res.writeHead(status, {
    ...CORS_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...CORS_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

/**
 * Answers an upgrade request with a plain HTTP response. After 'upgrade' Node
 * hands over the raw socket, so there is no ServerResponse to use.
 */
export function writeRawResponse(socket: Duplex, status: number, text: string, headers: Record<string, string> = {}): void {
  const noBody = status === 204 || status === 304;
  const body = noBody ? '' : text.endsWith('\n') ? text : text + '\n';
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}`,
    'Connection: close',
    'Cache-Control: no-store',
    ...Object.entries({ 'Content-Type': 'text/plain; charset=utf-8', ...headers }).map(([k, v]) => `${k}: ${v}`),
  ];
  if (!noBody) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  socket.end(lines.join('\r\n') + '\r\n\r\n' + body);
}
