import type { AddressInfo } from 'node:net';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createPlaygroundServer, type PlaygroundServer } from '../../main/playground/server.js';
import { eventually, httpGet, nextMessage, wsBase } from './helpers.js';

async function httpPost(url: string, body: string): Promise<{ status: number }> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
  await response.text();
  return { status: response.status };
}

// The real socket.io-client is the oracle: what it sees is what the server serves.
let playground: PlaygroundServer;
let baseUrl: string;
const clients: Socket[] = [];

beforeAll(async () => {
  playground = createPlaygroundServer({ longPollEveryMs: 1000, pollEveryMs: 2000, endpoints: () => [] });
  await new Promise<void>((resolve) => playground.server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(playground.server.address() as AddressInfo).port}`;
});
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});
afterAll(() => playground.close());

function client(namespace = '/', options: Parameters<typeof connectSocketIo>[1] = {}): Socket {
  const socket = connectSocketIo(baseUrl + namespace, { reconnection: false, forceNew: true, ...options });
  clients.push(socket);
  return socket;
}

function once<T>(socket: Socket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, (value: T) => resolve(value)));
}

describe('playground Socket.IO server', () => {
  it('greets, ticks every second with {n, sentAt}, echoes chat and acknowledges it (WebSocket transport)', async () => {
    const socket = client('/', { transports: ['websocket'] });
    const welcome = await once<{ id: string; message: string }>(socket, 'welcome');
    expect(welcome.message).toMatch(/playground/);
    expect(welcome.id).toBe(socket.id);

    const tick = await once<{ n: number; sentAt: number }>(socket, 'tick');
    expect(tick.n).toBeGreaterThanOrEqual(1);
    expect(Math.abs(tick.sentAt - Date.now())).toBeLessThan(5000);

    const echoed = new Promise<unknown[]>((resolve) => socket.once('chat', (...args: unknown[]) => resolve(args)));
    // emitWithAck resolves with the ack's first argument.
    expect(await socket.timeout(5000).emitWithAck('chat', 'hi', { from: 'test' })).toBe('ok');
    // The echo carries the arguments only: the server asks no ack of its own.
    expect(await echoed).toEqual(['hi', { from: 'test' }]);
    expect(socket.io.engine.transport.name).toBe('websocket');
  });

  it('acknowledges chat with ["ok", …] as the ack arguments', async () => {
    const socket = client('/', { transports: ['websocket'] });
    await once(socket, 'welcome');
    const args = await new Promise<unknown[]>((resolve) => socket.emit('chat', 'one', 'two', (...reply: unknown[]) => resolve(reply)));
    expect(args[0]).toBe('ok');
    expect(args[1]).toMatchObject({ receivedAt: expect.any(Number) });
  });

  it('sends binary attachments: get-bin in its ack, or as a bin event without one', async () => {
    const socket = client('/', { transports: ['websocket'] });
    await once(socket, 'welcome');
    const acked = await new Promise<{ n: number; bytes: Buffer }>((resolve) => socket.emit('get-bin', (value: { n: number; bytes: Buffer }) => resolve(value)));
    expect(Buffer.isBuffer(acked.bytes)).toBe(true);
    expect(acked.bytes).toHaveLength(16);
    expect(acked.bytes.readUInt32BE(0)).toBe(acked.n);

    const event = once<{ n: number; bytes: Buffer }>(socket, 'bin');
    socket.emit('get-bin');
    expect((await event).bytes.readUInt32BE(0)).toBe(acked.n + 1);
  });

  it('acknowledges any other event sent with an ack', async () => {
    const socket = client('/', { transports: ['websocket'] });
    await once(socket, 'welcome');
    const reply = await new Promise<unknown[]>((resolve) => socket.emit('anything', 1, (...args: unknown[]) => resolve(args)));
    expect(reply).toEqual(['ok', { event: 'anything' }]);
  });

  it('starts on polling and upgrades to WebSocket, as socket.io-client does by default', async () => {
    const socket = client();
    await once(socket, 'welcome');
    expect(['polling', 'websocket']).toContain(socket.io.engine.transport.name);
    await eventually(() => socket.io.engine.transport.name === 'websocket', 5000);
    expect(await socket.timeout(5000).emitWithAck('chat', 'after upgrade')).toBe('ok');
  });

  it('stays on polling when told to, sending by POST', async () => {
    const socket = client('/', { transports: ['polling'] });
    await once(socket, 'welcome');
    expect(await socket.timeout(5000).emitWithAck('chat', 'by post')).toBe('ok');
    expect(socket.io.engine.transport.name).toBe('polling');
  });

  it('serves Engine.IO 3 clients too (allowEIO3): a v3 polling handshake', async () => {
    const { status, body } = await httpGet(`${baseUrl}/socket.io/?EIO=3&transport=polling`);
    expect(status).toBe(200);
    // EIO 3 payloads are length-prefixed: `<len>:0{"sid":…}`.
    expect(body).toMatch(/^\d+:0\{"sid":"[^"]+".*"pingInterval":\d+/);
    const sid = (JSON.parse(body.slice(body.indexOf(':') + 2)) as { sid: string }).sid;
    const session = `${baseUrl}/socket.io/?EIO=3&transport=polling&sid=${encodeURIComponent(sid)}`;
    // A v3 client is connected to the main namespace without asking; the welcome follows.
    const next = await httpGet(session);
    expect(next.body).toMatch(/\d+:40/);
    expect(next.body).toMatch(/\d+:42\["welcome"/);
    // A close packet ends the session (and its timers) instead of waiting for the ping timeout.
    expect((await httpPost(session, '1:1')).status).toBe(200);
  });

  it('lets /admin in only with the auth token, and refuses others with CONNECT_ERROR "invalid token"', async () => {
    const admitted = client('/admin', { transports: ['websocket'], auth: { token: 'secret' } });
    expect(await once<{ namespace: string }>(admitted, 'welcome')).toMatchObject({ namespace: '/admin' });
    const stats = await admitted.timeout(5000).emitWithAck('stats');
    expect(stats).toMatchObject({ clients: expect.any(Number) });

    const refused = client('/admin', { transports: ['websocket'], auth: { token: 'wrong' } });
    const error = await once<Error>(refused, 'connect_error');
    expect(error.message).toBe('invalid token');
    const anonymous = client('/admin', { transports: ['websocket'] });
    expect((await once<Error>(anonymous, 'connect_error')).message).toBe('invalid token');
  });

  it('disconnects a socket that sends kick, from the server side', async () => {
    const socket = client('/', { transports: ['websocket'] });
    await once(socket, 'welcome');
    const reason = once<string>(socket, 'disconnect');
    socket.emit('kick');
    expect(await reason).toBe('io server disconnect');
  });

  it("leaves the playground's own paths alone: plain endpoints and other upgrades route as before", async () => {
    const echo = new WebSocket(`${wsBase(baseUrl)}/ws/echo`);
    await new Promise((resolve) => echo.once('open', resolve));
    echo.send('still here');
    expect(String((await nextMessage(echo)).data)).toBe('still here');
    echo.close();
    const missing = new WebSocket(`${wsBase(baseUrl)}/nope`);
    const status = await new Promise<number | undefined>((resolve) => missing.once('unexpected-response', (_req, res) => resolve(res.statusCode)));
    expect(status).toBe(404);
    expect((await httpGet(`${baseUrl}/poll`)).status).toBe(200);
    // Engine.IO answers its own path, with its own error for a request that is not Engine.IO.
    const bad = await httpGet(`${baseUrl}/socket.io/`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/Transport unknown|Unsupported protocol version/);
  });

  it("stops a socket's timers when it disconnects", async () => {
    const socket = client('/', { transports: ['websocket'] });
    await once(socket, 'welcome');
    expect(playground.root.pendingTimers).toBeGreaterThanOrEqual(2);
    socket.disconnect();
    await eventually(() => playground.root.pendingTimers === 0, 5000);
  });
});

describe('playground Socket.IO on close', () => {
  it('ends its clients and leaves no timer when the playground closes', async () => {
    const own = createPlaygroundServer({ longPollEveryMs: 1000, pollEveryMs: 2000, endpoints: () => [] });
    await new Promise<void>((resolve) => own.server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(own.server.address() as AddressInfo).port}`;
    const socket = connectSocketIo(url, { reconnection: false, forceNew: true, transports: ['websocket'] });
    await once(socket, 'welcome');
    const disconnected = once<string>(socket, 'disconnect');
    await own.close();
    expect(await disconnected).toMatch(/transport close|io server disconnect/);
    expect(own.root.pendingTimers).toBe(0);
  });
});
