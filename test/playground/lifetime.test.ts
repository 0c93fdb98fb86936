import { request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startPlayground } from '../../main/playground/index.js';
import { createPlaygroundServer } from '../../main/playground/server.js';
import { eventually, nextMessage, opened, wsBase } from './helpers.js';

/** What keeps a Node process alive, by kind; compared before and after. */
function liveResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (['Timeout', 'Immediate', 'TCPServerWrap', 'TCPSocketWrap'].includes(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/**
 * A baseline taken once nothing changes for a moment: handles of an earlier
 * test, and the test runner's own short timers, take a few ms to go away.
 */
async function settledResources(): Promise<Record<string, number>> {
  let previous = JSON.stringify(liveResources());
  for (let attempt = 0; attempt < 40; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const current = JSON.stringify(liveResources());
    if (current === previous) break;
    previous = current;
  }
  return JSON.parse(previous) as Record<string, number>;
}

/** True when no kind of resource outnumbers the baseline. */
function noMoreThan(baseline: Record<string, number>): boolean {
  return Object.entries(liveResources()).every(([kind, count]) => count <= (baseline[kind] ?? 0));
}

/** Opens a streaming GET and resolves once the first bytes arrived; `closed` settles when it ends. */
function openStream(url: string): Promise<{ closed: Promise<void>; abort(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      const closed = new Promise<void>((done) => res.on('close', () => done()));
      res.on('error', () => {});
      res.once('data', () => resolve({ closed, abort: () => req.destroy() }));
    });
    req.on('error', () => {});
    req.on('error', reject);
    req.end();
  });
}

// Alone in its file: it counts the process's timers and sockets.
describe('playground lifetime', () => {
  it("releases a connection's timers as soon as its client goes away", async () => {
    const { server, root, close } = createPlaygroundServer({ longPollEveryMs: 10_000, pollEveryMs: 2000, endpoints: () => [] });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(root.pendingTimers).toBe(0);
      const stream = await openStream(`${baseUrl}/stream?interval=10`);
      const sse = await openStream(`${baseUrl}/sse/ticker?interval=10`);
      const held = request(`${baseUrl}/longpoll?cursor=0&hold=60000`, { agent: false }).on('error', () => {});
      held.end();
      const ws = new WebSocket(`${wsBase(baseUrl)}/ws/ticker?interval=10`);
      await nextMessage(ws);
      // stream, SSE and ticker intervals, the hold timeout and the long-poll producer
      await eventually(() => root.pendingTimers === 5);

      stream.abort();
      sse.abort();
      held.destroy();
      ws.terminate();
      await eventually(() => root.pendingTimers === 0);
    } finally {
      await close();
    }
  });

  it('close() ends every connection and timer, so nothing keeps the process alive', async () => {
    const before = await settledResources();
    const playground = await startPlayground({ longPollEveryMs: 10_000 });
    const base = wsBase(playground.baseUrl);

    const ticker = new WebSocket(`${base}/ws/ticker?interval=10`);
    const echo = new WebSocket(`${base}/ws/echo`);
    const pendingFault = new WebSocket(`${base}/ws/drop?after=60000`);
    const flood = new WebSocket(`${base}/ws/ticker?interval=0&count=1000000000`);
    const wsClosed = [ticker, echo, pendingFault, flood].map((ws) => new Promise((resolve) => ws.once('close', resolve)));
    await Promise.all([nextMessage(ticker), opened(echo), opened(pendingFault), nextMessage(flood)]);
    const streams = await Promise.all([
      openStream(`${playground.baseUrl}/sse/ticker?interval=10`),
      openStream(`${playground.baseUrl}/stream?interval=10`),
      openStream(`${playground.baseUrl}/stream/cut?after=60000&interval=10`),
    ]);
    const held = new Promise<void>((resolve) => {
      request(`${playground.baseUrl}/longpoll?cursor=0&hold=60000`, { agent: false }, () => resolve())
        .on('error', () => resolve())
        .end();
    });

    await playground.close();
    await Promise.all([...wsClosed, ...streams.map((stream) => stream.closed), held]);
    await eventually(() => noMoreThan(before));

    const refused = await new Promise<string | undefined>((resolve) => {
      connect(playground.port, '127.0.0.1').on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(refused).toBe('ECONNREFUSED');
    await playground.close(); // a second close is harmless
  });
});
