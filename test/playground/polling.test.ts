import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground, type Playground } from '../../main/playground/index.js';
import { httpGet } from './helpers.js';

let playground: Playground;
beforeAll(async () => {
  // The polled state stays put for the whole file; changes are tested on their own instance.
  playground = await startPlayground({ longPollEveryMs: 20, pollEveryMs: 600_000 });
});
afterAll(() => playground.close());

interface LongPollAnswer {
  cursor: number;
  sentAt: number;
  messages: Array<{ seq: number; sentAt: number }>;
}

async function longPoll(query: string): Promise<{ status: number; cursorHeader: unknown; answer: LongPollAnswer; ms: number }> {
  const started = Date.now();
  const { status, headers, body } = await httpGet(`${playground.baseUrl}/longpoll?${query}`);
  return { status, cursorHeader: headers['x-cursor'], answer: JSON.parse(body) as LongPollAnswer, ms: Date.now() - started };
}

describe('long-poll /longpoll', () => {
  it('holds the request until a message exists, then advances the cursor in body and X-Cursor', async () => {
    const first = await longPoll('cursor=0&hold=5000');
    expect(first.status).toBe(200);
    expect(first.answer.messages.length).toBeGreaterThanOrEqual(1);
    const firstCursor = first.answer.cursor;
    expect(firstCursor).toBe(first.answer.messages.at(-1)!.seq);
    expect(first.cursorHeader).toBe(String(firstCursor));

    const second = await longPoll(`cursor=${firstCursor}&hold=5000`);
    expect(second.answer.messages.map((m) => m.seq)).toEqual([firstCursor + 1]);
    expect(second.answer.cursor).toBe(firstCursor + 1);
    expect(second.answer.messages[0]!.sentAt).toBeGreaterThan(first.answer.messages.at(-1)!.sentAt);
  });

  it('answers at once when the cursor is behind', async () => {
    await longPoll('cursor=0&hold=5000');
    const { answer, ms } = await longPoll('cursor=0&hold=5000');
    expect(answer.messages[0]!.seq).toBe(1);
    expect(ms).toBeLessThan(500);
  });

  it('on hold expiry answers 200 with no messages and the same cursor', async () => {
    const slow = await startPlayground({ longPollEveryMs: 10_000 });
    try {
      const started = Date.now();
      const { status, headers, body } = await httpGet(`${slow.baseUrl}/longpoll?cursor=0&hold=30`);
      expect(status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(25);
      expect(JSON.parse(body)).toMatchObject({ cursor: 0, messages: [] });
      expect(headers['x-cursor']).toBe('0');
    } finally {
      await slow.close();
    }
  });

  it('refuses a cursor ahead of the feed and a hold over 60 s', async () => {
    expect((await httpGet(`${playground.baseUrl}/longpoll?cursor=999999999`)).status).toBe(400);
    expect((await httpGet(`${playground.baseUrl}/longpoll?hold=60001`)).status).toBe(400);
  });
});

describe('polling /poll', () => {
  it('returns the stamped state with ETag and Last-Modified', async () => {
    const { status, headers, body } = await httpGet(`${playground.baseUrl}/poll`);
    expect(status).toBe(200);
    expect(headers.etag).toMatch(/^".+"$/);
    expect(Number.isNaN(Date.parse(String(headers['last-modified'])))).toBe(false);
    const state = JSON.parse(body) as { seq: number; sentAt: number; counter: number };
    expect(state.seq).toBe(state.counter);
    expect(state.sentAt).toBeGreaterThan(0);
  });

  it('answers 304 to a matching If-None-Match or a current If-Modified-Since', async () => {
    const first = await httpGet(`${playground.baseUrl}/poll`);
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers['last-modified']);

    const byTag = await httpGet(`${playground.baseUrl}/poll`, { 'If-None-Match': `"other", ${etag}` });
    expect(byTag.status).toBe(304);
    expect(byTag.body).toBe('');
    expect(byTag.headers.etag).toBe(etag);
    expect((await httpGet(`${playground.baseUrl}/poll`, { 'If-Modified-Since': lastModified })).status).toBe(304);

    expect((await httpGet(`${playground.baseUrl}/poll`, { 'If-None-Match': '"other"' })).status).toBe(200);
    expect((await httpGet(`${playground.baseUrl}/poll`, { 'If-Modified-Since': new Date(0).toUTCString() })).status).toBe(200);
  });

  it('changes its state, and so its ETag, every period', async () => {
    const fast = await startPlayground({ pollEveryMs: 20 });
    try {
      const first = await httpGet(`${fast.baseUrl}/poll`);
      await new Promise((resolve) => setTimeout(resolve, 30));
      const later = await httpGet(`${fast.baseUrl}/poll`, { 'If-None-Match': String(first.headers.etag) });
      expect(later.status).toBe(200);
      expect(later.headers.etag).not.toBe(first.headers.etag);
      expect((JSON.parse(later.body) as { seq: number }).seq).toBeGreaterThan((JSON.parse(first.body) as { seq: number }).seq);
    } finally {
      await fast.close();
    }
  });
});

describe('long-poll knobs', () => {
  it('produces `batch` messages per tick, padded to `size`, with the cursor where cursorIn says', async () => {
    const { answer, cursorHeader } = await longPoll('hold=2000&every=10&batch=3&size=200&cursorIn=json');
    expect(answer.messages).toHaveLength(3);
    for (const m of answer.messages) expect(JSON.stringify(m).length).toBe(200);
    expect(cursorHeader).toBeUndefined();
    expect(answer.cursor).toBe(answer.messages.at(-1)!.seq);

    const { status, headers, body } = await httpGet(`${playground.baseUrl}/longpoll?hold=2000&every=10&batch=2&cursorIn=header`);
    expect(status).toBe(200);
    const parsed = JSON.parse(body) as { cursor?: number; messages: unknown[] };
    expect(parsed.cursor).toBeUndefined();
    expect(Number(headers['x-cursor'])).toBeGreaterThan(0);
  });

  it('answers a bare JSON array with shape=array, the cursor in X-Cursor', async () => {
    const { status, headers, body } = await httpGet(`${playground.baseUrl}/longpoll?hold=2000&every=10&shape=array`);
    expect(status).toBe(200);
    const list = JSON.parse(body) as Array<{ seq: number }>;
    expect(Array.isArray(list)).toBe(true);
    expect(headers['x-cursor']).toBe(String(list.at(-1)!.seq));
    expect((await httpGet(`${playground.baseUrl}/longpoll?shape=array&cursorIn=json`)).status).toBe(400);
  });

  it('fails the requests after failAfter with a gateway page, failFor of them, per client', async () => {
    const url = (client: string) => `${playground.baseUrl}/longpoll?hold=5&status=502&failAfter=1&failFor=2&client=${client}`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await httpGet(url('a'))).status);
    expect(statuses).toEqual([200, 502, 502, 200]);
    expect((await httpGet(url('b'))).status).toBe(200);

    const failed = await httpGet(`${playground.baseUrl}/longpoll?hold=5&failAfter=0&client=c`);
    expect(failed.status).toBe(504);
    expect(failed.headers.server).toBe('playground-gateway');
    expect(failed.headers.via).toBe('1.1 playground-gateway');
    expect(failed.body).toContain('<h1>504 Gateway Timeout</h1>');
  });

  it('fails every failEvery-th request', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await httpGet(`${playground.baseUrl}/longpoll?hold=5&failEvery=3&client=every`)).status);
    expect(statuses).toEqual([200, 200, 504, 200, 200, 504]);
  });

  it('cuts the held request without an answer (fin=1) or resets it (reset=1)', async () => {
    await expect(httpGet(`${playground.baseUrl}/longpoll?hold=10&fin=1`)).rejects.toMatchObject({ code: 'ECONNRESET', message: 'socket hang up' });
    await expect(httpGet(`${playground.baseUrl}/longpoll?hold=10&reset=1`)).rejects.toMatchObject({ code: 'ECONNRESET', message: expect.stringMatching(/read ECONNRESET/) });
  });

  it('sends the head after delayHeaders ms, ahead of a body that comes later', async () => {
    const slow = await startPlayground({ longPollEveryMs: 10_000 });
    try {
      const { request } = await import('node:http');
      const started = Date.now();
      const times = await new Promise<{ head: number; end: number; body: string }>((resolve, reject) => {
        const req = request(`${slow.baseUrl}/longpoll?hold=150&delayHeaders=20`, { agent: false }, (res) => {
          const head = Date.now() - started;
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ head, end: Date.now() - started, body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(times.head).toBeGreaterThanOrEqual(15);
      expect(times.head).toBeLessThan(120);
      expect(times.end).toBeGreaterThanOrEqual(145);
      expect(JSON.parse(times.body)).toMatchObject({ cursor: 0, messages: [] });
    } finally {
      await slow.close();
    }
  });

  it('refuses contradictory or out-of-range knobs', async () => {
    for (const query of ['fin=1&reset=1', 'status=502&fin=1', 'failFor=2', 'status=302', 'batch=0', 'batch=101', 'every=0', 'size=1048577', 'cursorIn=body', 'delayHeaders=60001']) {
      expect((await httpGet(`${playground.baseUrl}/longpoll?${query}`)).status, query).toBe(400);
    }
  });
});

describe('poll knobs', () => {
  it('leaves out the validators on etag=0 and lastModified=0, so every answer is a 200', async () => {
    const first = await httpGet(`${playground.baseUrl}/poll?etag=0&lastModified=0`);
    expect(first.headers.etag).toBeUndefined();
    expect(first.headers['last-modified']).toBeUndefined();
    const again = await httpGet(`${playground.baseUrl}/poll?etag=0&lastModified=0`, { 'If-None-Match': '*', 'If-Modified-Since': new Date().toUTCString() });
    expect(again.status).toBe(200);
    expect(again.body).toBe(first.body);
  });

  it('looks cached with age, and sets Cache-Control, status and size as asked', async () => {
    const cached = await httpGet(`${playground.baseUrl}/poll?age=42&cacheControl=${encodeURIComponent('public, max-age=60')}&size=300`);
    expect(cached.headers.age).toBe('42');
    expect(cached.headers['x-cache']).toMatch(/^HIT/);
    expect(cached.headers['cache-control']).toBe('public, max-age=60');
    expect(cached.body.length).toBe(300);
    expect((await httpGet(`${playground.baseUrl}/poll?cacheControl=`)).headers['cache-control']).toBeUndefined();
    const failing = await httpGet(`${playground.baseUrl}/poll?status=503`);
    expect(failing.status).toBe(503);
    expect(failing.headers.etag).toBeUndefined();
  });

  it('changes every `every` ms', async () => {
    const first = await httpGet(`${playground.baseUrl}/poll?every=20`);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const later = await httpGet(`${playground.baseUrl}/poll?every=20`, { 'If-None-Match': String(first.headers.etag) });
    expect(later.status).toBe(200);
    expect(later.headers.etag).not.toBe(first.headers.etag);
  });

  it('refuses bad knobs', async () => {
    for (const query of ['etag=2', 'status=304', 'status=199', 'every=0', 'cacheControl=%0Ax', 'age=-1', 'size=1048577']) {
      expect((await httpGet(`${playground.baseUrl}/poll?${query}`)).status, query).toBe(400);
    }
  });
});
