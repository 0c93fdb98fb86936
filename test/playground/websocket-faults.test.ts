import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startPlayground, type Playground } from '../../main/playground/index.js';
import { opened, untilClose, wsBase } from './helpers.js';

let playground: Playground;
let base: string;
beforeAll(async () => {
  playground = await startPlayground();
  base = wsBase(playground.baseUrl);
});
afterAll(() => playground.close());

function unexpectedResponse(ws: WebSocket): Promise<{ res: IncomingMessage; body: string }> {
  return new Promise((resolve) => {
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ res, body }));
    });
  });
}

describe('WebSocket fault endpoints', () => {
  it('/ws/close sends a close frame with the requested code and reason after the delay', async () => {
    const ws = new WebSocket(`${base}/ws/close?code=4000&reason=bye&after=20`);
    await opened(ws);
    const openedAt = Date.now();
    const { code, reason } = await untilClose(ws);
    expect(code).toBe(4000);
    expect(reason).toBe('bye');
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(15);
  });

  it('/ws/close refuses a code no close frame may carry', async () => {
    for (const code of ['1005', '1006', '2000', '5000', 'x']) {
      const { res } = await unexpectedResponse(new WebSocket(`${base}/ws/close?code=${code}`));
      expect(res.statusCode, code).toBe(400);
    }
  });

  it('/ws/drop ends TCP without a close frame, which the client reports as 1006', async () => {
    const ws = new WebSocket(`${base}/ws/drop?after=20`);
    await opened(ws);
    const { code } = await untilClose(ws);
    expect(code).toBe(1006);
  });

  it('/ws/reset resets the TCP connection: ECONNRESET on the client socket', async () => {
    const ws = new WebSocket(`${base}/ws/reset?after=20`);
    const socketError = new Promise<NodeJS.ErrnoException>((resolve) => {
      ws.once('upgrade', (res) => res.socket.once('error', resolve));
    });
    await opened(ws);
    const [error, { code }] = await Promise.all([socketError, untilClose(ws)]);
    expect(error.code).toBe('ECONNRESET');
    expect(code).toBe(1006);
  });

  it('/ws/reject answers the handshake with a plain HTTP response: status, header and body', async () => {
    const ws = new WebSocket(`${base}/ws/reject?status=403`);
    const { res, body } = await unexpectedResponse(ws);
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['x-playground-reason']).toBe('rejected');
    expect(body).toContain('rejected');
  });

  it('/ws/reject can imitate a proxy that answers 200 or 426', async () => {
    for (const status of [200, 426]) {
      const { res } = await unexpectedResponse(new WebSocket(`${base}/ws/reject?status=${status}`));
      expect(res.statusCode).toBe(status);
    }
  });

  it('an unknown WebSocket path gets 404 to its handshake', async () => {
    const { res } = await unexpectedResponse(new WebSocket(`${base}/ws/nothing-here`));
    expect(res.statusCode).toBe(404);
  });
});
