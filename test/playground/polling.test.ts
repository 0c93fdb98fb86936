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
