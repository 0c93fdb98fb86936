import type { AddressInfo } from 'node:net';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createPlaygroundServer, type PlaygroundServer } from '../../main/playground/server.js';
import { eventually, httpGet, wsBase } from './helpers.js';

// The reference clients (graphql-ws, graphql-sse) are the oracles for what the playground serves.
let playground: PlaygroundServer;
let baseUrl: string;

beforeAll(async () => {
  playground = createPlaygroundServer({ longPollEveryMs: 1000, pollEveryMs: 2000, endpoints: () => [] });
  await new Promise<void>((resolve) => playground.server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(playground.server.address() as AddressInfo).port}`;
});
afterAll(() => playground.close());

interface Result {
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<{ message: string }>;
}

function wsClient(options: Partial<Parameters<typeof createWsClient>[0]> = {}): WsClient {
  return createWsClient({ url: `${wsBase(baseUrl)}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, ...options });
}

/** Every result of one operation, until it completes (or the error it ends with). */
async function collect(iterable: AsyncIterable<Result>): Promise<Result[]> {
  const results: Result[] = [];
  for await (const result of iterable) results.push(result);
  return results;
}

const TICKS = 'subscription { ticks(count: 3, intervalMs: 100) { n sentAt } }';

describe('playground graphql-ws at /graphql', () => {
  it('negotiates graphql-transport-ws and streams ticks until they complete', async () => {
    const client = wsClient();
    try {
      const results = await collect(client.iterate({ query: TICKS }));
      expect(results.map((r) => (r.data?.['ticks'] as { n: number }).n)).toEqual([1, 2, 3]);
      const sentAt = (results[0]!.data!['ticks'] as { sentAt: number }).sentAt;
      expect(Math.abs(sentAt - Date.now())).toBeLessThan(5000);
    } finally {
      await client.dispose();
    }
  });

  it('answers the query, greetings, and an error result from failing, then completes', async () => {
    const client = wsClient();
    try {
      expect(await collect(client.iterate({ query: '{ hello }' }))).toEqual([{ data: { hello: expect.stringMatching(/playground/) } }]);
      const greetings = await collect(client.iterate({ query: 'subscription { greetings }' }));
      expect(greetings.map((r) => r.data?.['greetings'])).toEqual(['Hello', 'Bonjour', 'Hola', 'Ciao', 'Hallo']);
      const failing = await collect(client.iterate({ query: 'subscription { failing(after: 1) { n } }' }));
      expect(failing).toHaveLength(2);
      expect(failing[0]!.data).toEqual({ failing: { n: 1 } });
      expect(failing[1]!.data).toEqual({ failing: null });
      expect(failing[1]!.errors?.[0]?.message).toBe('tick 2 failed on purpose');
    } finally {
      await client.dispose();
    }
  });

  it('refuses out-of-bounds arguments instead of flooding', async () => {
    const client = wsClient();
    try {
      const [result] = await collect(client.iterate({ query: 'subscription { ticks(count: 3, intervalMs: 1) { n } }' }));
      expect(result!.errors?.[0]?.message).toMatch(/intervalMs must be from 100/);
    } finally {
      await client.dispose();
    }
  });

  it('closes 4403 Forbidden when connection_init carries a wrong token, and accepts the right one', async () => {
    const refused = wsClient({ connectionParams: { token: 'wrong' } });
    const closed = new Promise<number>((resolve) => refused.on('closed', (event) => resolve((event as { code: number }).code)));
    await expect(collect(refused.iterate({ query: '{ hello }' }))).rejects.toMatchObject({ code: 4403 });
    expect(await closed).toBe(4403);
    await refused.dispose();

    const admitted = wsClient({ connectionParams: { token: 'secret' } });
    expect(await collect(admitted.iterate({ query: '{ hello }' }))).toHaveLength(1);
    await admitted.dispose();
  });

  it('closes 4406 when the subprotocol is not graphql-transport-ws', async () => {
    const ws = new WebSocket(`${wsBase(baseUrl)}/graphql`);
    const code = await new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
    expect(code).toBe(4406);
  });

  it('answers a plain GET of /graphql with 426 pointing at the SSE endpoint', async () => {
    const plain = await httpGet(`${baseUrl}/graphql`);
    expect(plain.status).toBe(426);
    expect(plain.body).toContain('/graphql/stream');
  });

  it('stops an operation and its timers when the client completes it', async () => {
    const client = wsClient();
    try {
      const iterator = client.iterate({ query: 'subscription { ticks(count: 1000, intervalMs: 100) { n } }' });
      expect((await iterator.next()).done).toBe(false);
      expect(playground.root.pendingTimers).toBeGreaterThanOrEqual(1);
      await iterator.return?.();
      await eventually(() => playground.root.pendingTimers === 0, 5000);
    } finally {
      await client.dispose();
    }
  });
});

describe('playground graphql-sse at /graphql/stream', () => {
  for (const singleConnection of [false, true]) {
    it(`streams ticks until they complete (${singleConnection ? 'single-connection' : 'distinct-connections'} mode)`, async () => {
      const client = createSseClient({ url: `${baseUrl}/graphql/stream`, singleConnection, retryAttempts: 0 });
      try {
        const results = await collect(client.iterate({ query: TICKS }) as AsyncIterable<Result>);
        expect(results.map((r) => (r.data?.['ticks'] as { n: number }).n)).toEqual([1, 2, 3]);
        const failing = await collect(client.iterate({ query: 'subscription { failing(after: 0) { n } }' }) as AsyncIterable<Result>);
        expect(failing).toEqual([{ data: { failing: null }, errors: [expect.objectContaining({ message: 'tick 1 failed on purpose' })] }]);
      } finally {
        client.dispose();
      }
    });
  }

  it('serves an event stream to a plain POST, with the next and complete events', async () => {
    const response = await fetch(`${baseUrl}/graphql/stream`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { greetings }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const body = await response.text();
    expect(body.match(/^event: next$/gm)).toHaveLength(5);
    expect(body).toMatch(/event: complete\n/);
  });

  it('stops a distinct-connections operation when its client goes away', async () => {
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/graphql/stream`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { ticks(count: 1000, intervalMs: 100) { n } }' }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('event: next')) text += new TextDecoder().decode((await reader.read()).value);
    expect(playground.root.pendingTimers).toBeGreaterThanOrEqual(1);
    controller.abort();
    await eventually(() => playground.root.pendingTimers === 0, 5000);
  });
});

describe('the playground catalogue', () => {
  it('lists the Socket.IO and GraphQL endpoints at /, each with its protocol', async () => {
    const { startPlayground } = await import('../../main/playground/index.js');
    const started = await startPlayground();
    try {
      const { endpoints } = JSON.parse((await httpGet(`${started.baseUrl}/`)).body) as { endpoints: Array<{ name: string; technique: string; url: string; protocol?: string }> };
      const withProtocol = endpoints.filter((endpoint) => endpoint.protocol).map(({ name, technique, url, protocol }) => [name, technique, url, protocol]);
      const ws = wsBase(started.baseUrl);
      expect(withProtocol).toEqual([
        ['Socket.IO chat', 'websocket', `${ws}/socket.io/`, 'socket.io'],
        ['GraphQL subscription (graphql-ws)', 'websocket', `${ws}/graphql`, 'graphql-transport-ws'],
        ['GraphQL over SSE', 'sse', `${started.baseUrl}/graphql/stream`, 'graphql-sse'],
        ['Socket.IO over polling', 'long-polling', `${started.baseUrl}/socket.io/`, 'socket.io'],
      ]);
    } finally {
      await started.close();
    }
  });
});
