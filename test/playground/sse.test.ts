import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground, type Playground } from '../../main/playground/index.js';
import { httpGet } from './helpers.js';

let playground: Playground;
beforeAll(async () => {
  playground = await startPlayground();
});
afterAll(() => playground.close());

interface Block {
  fields: Array<[string, string]>;
}

/** Splits an event stream into its blank-line separated blocks (no CR in this server's output). */
function blocks(body: string): Block[] {
  return body
    .split('\n\n')
    .filter((block) => block.length > 0)
    .map((block) => ({
      fields: block.split('\n').map((line): [string, string] => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, '')];
      }),
    }));
}

const field = (block: Block, name: string): string | undefined => block.fields.find(([key]) => key === name)?.[1];

describe('SSE /sse/ticker', () => {
  it('is an uncached event stream starting with retry: 2000', async () => {
    const { status, headers, body } = await httpGet(`${playground.baseUrl}/sse/ticker?interval=10&count=1`);
    expect(status).toBe(200);
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    expect(headers['cache-control']).toBe('no-cache');
    expect(body.startsWith('retry: 2000\n\n')).toBe(true);
  });

  it('numbers events by id, alternates tick and unnamed events, and adds heartbeat comments', async () => {
    const { body } = await httpGet(`${playground.baseUrl}/sse/ticker?interval=10&count=6`);
    const all = blocks(body);
    const events = all.filter((block) => field(block, 'data') !== undefined);
    expect(events.map((event) => field(event, 'id'))).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(events.map((event) => field(event, 'event') ?? 'message')).toEqual(['tick', 'message', 'tick', 'message', 'tick', 'message']);
    for (const event of events) {
      const data = JSON.parse(field(event, 'data')!) as { seq: number; sentAt: number };
      expect(String(data.seq)).toBe(field(event, 'id'));
      expect(data.sentAt).toBeGreaterThan(0);
    }
    const comments = all.filter((block) => block.fields.every(([key]) => key === ''));
    expect(comments.map((block) => block.fields[0]![1])).toEqual(['heartbeat', 'heartbeat']);
  });

  it('continues after Last-Event-ID, and answers 204 once count was reached so clients stop', async () => {
    const resumed = await httpGet(`${playground.baseUrl}/sse/ticker?interval=10&count=5`, { 'Last-Event-ID': '3' });
    const ids = blocks(resumed.body).map((block) => field(block, 'id')).filter((id) => id !== undefined);
    expect(ids).toEqual(['4', '5']);

    const finished = await httpGet(`${playground.baseUrl}/sse/ticker?interval=10&count=5`, { 'Last-Event-ID': '5' });
    expect(finished.status).toBe(204);
  });

  it('answers 400 with a plain text reason for a bad interval', async () => {
    const { status, headers, body } = await httpGet(`${playground.baseUrl}/sse/ticker?interval=-5`);
    expect(status).toBe(400);
    expect(headers['content-type']).toMatch(/^text\/plain/);
    expect(body).toContain('interval');
  });
});
