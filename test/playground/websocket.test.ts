import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startPlayground, type Playground } from '../../main/playground/index.js';
import { nextMessage, opened, untilClose, wsBase } from './helpers.js';

let playground: Playground;
let base: string;
beforeAll(async () => {
  playground = await startPlayground();
  base = wsBase(playground.baseUrl);
});
afterAll(() => playground.close());

interface Tick {
  seq: number;
  sentAt: number;
  pad?: string;
}

describe('WebSocket /ws/echo', () => {
  it('sends text back as text and binary back as binary, byte for byte', async () => {
    const ws = new WebSocket(`${base}/ws/echo`);
    await opened(ws);

    ws.send('héllo ✓');
    const text = await nextMessage(ws);
    expect(text.isBinary).toBe(false);
    expect(text.data.toString('utf8')).toBe('héllo ✓');

    const bytes = Buffer.from([0, 1, 2, 0xfe, 0xff]);
    ws.send(bytes);
    const binary = await nextMessage(ws);
    expect(binary.isBinary).toBe(true);
    expect(Buffer.compare(binary.data, bytes)).toBe(0);
    ws.close();
  });

  it('selects the first subprotocol the client offers', async () => {
    const ws = new WebSocket(`${base}/ws/echo`, ['chat.v2', 'chat.v1']);
    await opened(ws);
    expect(ws.protocol).toBe('chat.v2');
    ws.close();
  });
});

describe('WebSocket /ws/ticker', () => {
  it('stamps every message with an increasing seq and sentAt, then closes 1000 after count', async () => {
    const ws = new WebSocket(`${base}/ws/ticker?interval=10&count=5`);
    const { code, messages } = await untilClose(ws);
    expect(code).toBe(1000);
    const ticks = messages.map((m) => JSON.parse(m) as Tick);
    expect(ticks.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.sentAt).toBeGreaterThan(ticks[i - 1]!.sentAt);
    expect(Math.abs(ticks[0]!.sentAt - Date.now())).toBeLessThan(5000);
  });

  it('pads messages to the requested size', async () => {
    const ws = new WebSocket(`${base}/ws/ticker?interval=10&count=2&size=300`);
    const { messages } = await untilClose(ws);
    for (const message of messages) {
      expect(Buffer.byteLength(message)).toBe(300);
      expect(JSON.parse(message)).toMatchObject({ pad: expect.stringMatching(/^x+$/) });
    }
  });

  it('with interval=0 sends count messages as fast as the client reads, in order, then closes 1000', async () => {
    const count = 20_000;
    const ws = new WebSocket(`${base}/ws/ticker?interval=0&count=${count}&size=64`);
    let received = 0;
    let inOrder = true;
    let lastSentAt = 0;
    ws.on('message', (data) => {
      const tick = JSON.parse(String(data)) as Tick;
      received++;
      if (tick.seq !== received || tick.sentAt < lastSentAt || String(data).length !== 64) inOrder = false;
      lastSentAt = tick.sentAt;
    });
    const code = await new Promise<number>((resolve) => ws.once('close', resolve));
    expect(code).toBe(1000);
    expect(received).toBe(count);
    expect(inOrder).toBe(true);
  });

  it('with interval=0 frames messages of every length class (7-bit, 16-bit and 64-bit lengths)', async () => {
    for (const size of [300, 70_000]) {
      const ws = new WebSocket(`${base}/ws/ticker?interval=0&count=3&size=${size}`);
      const { code, messages } = await untilClose(ws);
      expect(code).toBe(1000);
      expect(messages.map((m) => m.length)).toEqual([size, size, size]);
      expect(messages.map((m) => (JSON.parse(m) as Tick).seq)).toEqual([1, 2, 3]);
    }
  });

  it('refuses the handshake with 400 for an out-of-range or missing parameter', async () => {
    for (const query of ['interval=abc', 'size=2000000', 'interval=0', 'count=0']) {
      const ws = new WebSocket(`${base}/ws/ticker?${query}`);
      const [status, body] = await new Promise<[number, string]>((resolve) => {
        ws.once('unexpected-response', (_req, res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk));
          res.on('end', () => resolve([res.statusCode ?? 0, text]));
        });
      });
      expect(status, query).toBe(400);
      expect(body.length).toBeGreaterThan(0);
    }
  });
});

describe('WebSocket /ws/headers', () => {
  it('reports the handshake headers and the selected subprotocol it received', async () => {
    const ws = new WebSocket(`${base}/ws/headers`, ['inspector.v1'], { headers: { 'X-Custom-Header': 'hello' } });
    const { data } = await nextMessage(ws);
    const report = JSON.parse(data.toString()) as { seq: number; sentAt: number; protocol: string; headers: Record<string, string> };
    expect(report.protocol).toBe('inspector.v1');
    expect(report.headers['x-custom-header']).toBe('hello');
    expect(report.headers['sec-websocket-protocol']).toBe('inspector.v1');
    expect(report.seq).toBe(1);
    expect(typeof report.sentAt).toBe('number');
    ws.close();
  });
});
