import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startPlayground, type Playground } from '../../main/playground/index.js';
import { eventually, opened, untilClose, wsBase } from './helpers.js';

let playground: Playground;
let base: string;
beforeAll(async () => {
  playground = await startPlayground();
  base = wsBase(playground.baseUrl);
});
afterAll(() => playground.close());

const seqOf = (message: string) => (JSON.parse(message) as { seq: number }).seq;

describe('WebSocket /ws/ticker?rate', () => {
  it('sends rate messages a second, in order, then closes 1000 after count', async () => {
    const started = performance.now();
    const { code, messages } = await untilClose(new WebSocket(`${base}/ws/ticker?rate=2000&count=400&size=80`));
    const elapsed = performance.now() - started;
    expect(code).toBe(1000);
    expect(messages.map(seqOf)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(messages.every((m) => m.length === 80)).toBe(true);
    // 400 at 2000/s is 200 ms of pacing: a flood would be done in a few ms.
    expect(elapsed).toBeGreaterThan(150);
    expect(elapsed).toBeLessThan(3000);
  });

  it('changes its rate live on a "rate=N" text message; rate=0 pauses and bad values are ignored', async () => {
    const ws = new WebSocket(`${base}/ws/ticker?rate=1000`);
    const seqs: number[] = [];
    ws.on('message', (data) => seqs.push(seqOf(String(data))));
    await opened(ws);
    await eventually(() => seqs.length >= 5);

    ws.send('rate=0');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const paused = seqs.length;
    for (const bad of ['rate=100001', 'rate=-5', 'rate=fast', 'hello']) ws.send(bad);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seqs.length).toBe(paused);

    ws.send('rate=5000');
    await eventually(() => seqs.length >= paused + 50);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    ws.close();
  });

  it('refuses the handshake with 400 for a rate out of range or given with interval', async () => {
    for (const query of ['rate=0', 'rate=100001', 'rate=1e3', 'rate=10&interval=5']) {
      const ws = new WebSocket(`${base}/ws/ticker?${query}`);
      const [status, body] = await new Promise<[number, string]>((resolve) => {
        ws.once('unexpected-response', (_req, res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk));
          res.on('end', () => resolve([res.statusCode ?? 0, text]));
        });
      });
      expect(status, query).toBe(400);
      expect(body, query).toMatch(/rate/);
    }
  });
});
