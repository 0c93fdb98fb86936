import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground, type Playground } from '../../main/playground/index.js';
import { httpGet, rawHttp } from './helpers.js';

let playground: Playground;
beforeAll(async () => {
  playground = await startPlayground();
});
afterAll(() => playground.close());

describe('HTTP streaming /stream', () => {
  it('ndjson: a chunked response with one stamped JSON object per line, ended after count', async () => {
    const { status, headers, body } = await httpGet(`${playground.baseUrl}/stream?format=ndjson&interval=10&count=4`);
    expect(status).toBe(200);
    expect(headers['transfer-encoding']).toBe('chunked');
    expect(headers['content-type']).toBe('application/x-ndjson');
    const lines = body.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([1, 2, 3, 4]);
  });

  it('sends each record as its own chunk and ends with the terminating chunk', async () => {
    const raw = await rawHttp(playground.port, '/stream?interval=10&count=2');
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    const chunks = body.split('\r\n');
    expect(chunks.filter((part) => part.startsWith('{"seq":'))).toHaveLength(2);
    expect(body.endsWith('0\r\n\r\n')).toBe(true);
  });

  it('delimiter: records end with \\x1e by default, or with the given delimiter', async () => {
    const byDefault = await httpGet(`${playground.baseUrl}/stream?format=delimiter&interval=10&count=3`);
    expect(byDefault.body.split('\x1e')).toHaveLength(4);
    const custom = await httpGet(`${playground.baseUrl}/stream?delimiter=%7C%7C&interval=10&count=3`);
    const records = custom.body.split('||');
    expect(records.pop()).toBe('');
    expect(records.map((record) => (JSON.parse(record) as { seq: number }).seq)).toEqual([1, 2, 3]);
  });

  it('script: an HTML document with padding, then one parent.push(...) script per message', async () => {
    const { headers, body } = await httpGet(`${playground.baseUrl}/stream?format=script&interval=10&count=2`);
    expect(headers['content-type']).toMatch(/^text\/html/);
    const firstScript = body.indexOf('<script>');
    expect(firstScript).toBeGreaterThan(1024);
    const pushes = [...body.matchAll(/<script>parent\.push\((.*?)\)<\/script>/g)].map((m) => JSON.parse(m[1]!) as { seq: number });
    expect(pushes.map((p) => p.seq)).toEqual([1, 2]);
  });

  it('refuses an unknown format and a delimiter with another format', async () => {
    expect((await httpGet(`${playground.baseUrl}/stream?format=xml`)).status).toBe(400);
    expect((await httpGet(`${playground.baseUrl}/stream?format=ndjson&delimiter=x`)).status).toBe(400);
  });
});

describe('HTTP streaming /stream/cut', () => {
  it('closes the connection mid-body: no terminating chunk on the wire', async () => {
    const raw = await rawHttp(playground.port, '/stream/cut?after=60&interval=15');
    expect(raw).toMatch(/transfer-encoding: chunked/i);
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    expect(body.split('\r\n').filter((part) => part.startsWith('{"seq":')).length).toBeGreaterThanOrEqual(2);
    expect(body.endsWith('0\r\n\r\n')).toBe(false);
  });

  it('an HTTP client sees the body aborted after the records that arrived', async () => {
    const outcome = await new Promise<{ body: string; error?: NodeJS.ErrnoException; ended: boolean }>((resolve) => {
      request(`${playground.baseUrl}/stream/cut?after=40&interval=10`, { agent: false }, (res) => {
        let body = '';
        let ended = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => (ended = true));
        res.on('error', (error) => resolve({ body, error, ended }));
        res.on('close', () => setImmediate(() => resolve({ body, ended })));
      }).end();
    });
    expect(outcome.ended).toBe(false);
    expect(outcome.error?.code).toBe('ECONNRESET');
    expect(outcome.body.length).toBeGreaterThan(0);
    for (const line of outcome.body.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  });
});
