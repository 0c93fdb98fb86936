import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground, type Playground } from '../../main/playground/index.js';
import { httpGet } from './helpers.js';

let playground: Playground;
beforeAll(async () => {
  playground = await startPlayground();
});
afterAll(() => playground.close());

describe('playground server', () => {
  it('listens on a free port of 127.0.0.1 by default', () => {
    expect(playground.port).toBeGreaterThan(0);
    expect(playground.baseUrl).toBe(`http://127.0.0.1:${playground.port}`);
  });

  it('lists at least one endpoint per technique, with absolute URLs of the right scheme', () => {
    const techniques = new Set(playground.endpoints.map((endpoint) => endpoint.technique));
    expect([...techniques].sort()).toEqual(['long-polling', 'polling', 'sse', 'streaming', 'websocket']);
    for (const endpoint of playground.endpoints) {
      const scheme = endpoint.technique === 'websocket' ? 'ws:' : 'http:';
      expect(new URL(endpoint.url).protocol).toBe(scheme);
      expect(new URL(endpoint.url).port).toBe(String(playground.port));
      expect(endpoint.name.length).toBeGreaterThan(0);
      expect(endpoint.description.length).toBeGreaterThan(0);
    }
  });

  it('serves the same list as JSON at /', async () => {
    const { status, headers, body } = await httpGet(`${playground.baseUrl}/`);
    expect(status).toBe(200);
    expect(headers['content-type']).toMatch(/^application\/json/);
    expect((JSON.parse(body) as { endpoints: unknown }).endpoints).toEqual(playground.endpoints);
  });

  it('answers an unknown path with 404, a wrong method with 405, a plain GET of a WebSocket path with 426', async () => {
    expect((await httpGet(`${playground.baseUrl}/nope`)).status).toBe(404);
    expect((await httpGet(`${playground.baseUrl}/poll`, {}, 'POST')).status).toBe(405);
    const plain = await httpGet(`${playground.baseUrl}/ws/echo`);
    expect(plain.status).toBe(426);
    expect(plain.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('answers HEAD only where the answer is finite', async () => {
    const head = await httpGet(`${playground.baseUrl}/poll`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.etag).toBeDefined();
    expect(head.body).toBe('');
    expect((await httpGet(`${playground.baseUrl}/stream`, {}, 'HEAD')).status).toBe(405);
  });

  it('allows cross-origin reads so a browser page can use it directly', async () => {
    const preflight = await httpGet(`${playground.baseUrl}/sse/ticker`, { Origin: 'http://example.test', 'Access-Control-Request-Headers': 'last-event-id' }, 'OPTIONS');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/Last-Event-ID/i);
    expect((await httpGet(`${playground.baseUrl}/poll`)).headers['access-control-expose-headers']).toMatch(/ETag/);
  });

  it('refuses an out-of-range port before listening', async () => {
    await expect(startPlayground({ port: 70000 })).rejects.toThrow(RangeError);
  });
});
