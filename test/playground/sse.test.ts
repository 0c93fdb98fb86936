import { request, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
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

/** Every body chunk as it arrived, and how the body ended. */
function readChunks(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; chunks: Buffer[]; ended: 'end' | 'aborted' | 'reset' }> {
  return new Promise((resolve, reject) => {
    let finish: ((ended: 'end' | 'aborted' | 'reset') => void) | undefined;
    const req = request(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      finish = (ended) => {
        finish = () => {};
        resolve({ status: res.statusCode ?? 0, headers: res.headers, chunks, ended });
      };
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => finish?.('end'));
      res.on('aborted', () => finish?.('aborted'));
      res.on('error', () => {});
    });
    // After the head, a socket error is how the body ended: a real RST says ECONNRESET on read.
    req.on('error', (error: NodeJS.ErrnoException) => (finish ? finish(error.code === 'ECONNRESET' ? 'reset' : 'aborted') : reject(error)));
    req.end();
  });
}

const ticker = (query: string) => `${playground.baseUrl}/sse/ticker?interval=5&${query}`;

describe('SSE /sse/ticker knobs', () => {
  it('names events from `event`, cycling, or leaves them unnamed', async () => {
    const named = blocks((await httpGet(ticker('count=3&event=a,b&heartbeat=0'))).body).filter((b) => field(b, 'data') !== undefined);
    expect(named.map((b) => field(b, 'event'))).toEqual(['a', 'b', 'a']);
    const unnamed = blocks((await httpGet(ticker('count=2&event='))).body).filter((b) => field(b, 'data') !== undefined);
    expect(unnamed.map((b) => field(b, 'event'))).toEqual([undefined, undefined]);
  });

  it('leaves ids out with ids=0, sends a chosen retry or none, and more data lines with lines=N', async () => {
    const { body } = await httpGet(ticker('count=1&ids=0&retry=750&lines=3'));
    expect(body.startsWith('retry: 750\n\n')).toBe(true);
    const [event] = blocks(body).filter((b) => field(b, 'data') !== undefined);
    expect(field(event!, 'id')).toBeUndefined();
    expect(event!.fields.filter(([key]) => key === 'data').map(([, value]) => value).slice(1)).toEqual(['line 2', 'line 3']);
    expect((await httpGet(ticker('count=1&retry=none'))).body.includes('retry')).toBe(false);
  });

  it('pads the data to `size` bytes', async () => {
    const [event] = blocks((await httpGet(ticker('count=1&size=500'))).body).filter((b) => field(b, 'data') !== undefined);
    expect(field(event!, 'data')!.length).toBe(500);
  });

  it('writes the chosen line end', async () => {
    expect((await httpGet(ticker('count=1&eol=cr&retry=none&event=x'))).body).toMatch(/^id: 1\revent: x\rdata: \{[^\r\n]*\}\r\r$/);
    expect((await httpGet(ticker('count=1&eol=crlf&retry=none&event=x'))).body).toMatch(/^id: 1\r\nevent: x\r\ndata: \{[^\r\n]*\}\r\n\r\n$/);
  });

  it('splits inside every CRLF, inside a UTF-8 character, or into single bytes', async () => {
    const crlf = await readChunks(ticker('count=1&split=crlf&retry=none&gap=15'));
    expect(crlf.chunks.every((chunk, i) => i === crlf.chunks.length - 1 || chunk[chunk.length - 1] === 0x0d)).toBe(true);
    expect(crlf.chunks.length).toBeGreaterThanOrEqual(4);

    const utf8 = await readChunks(ticker('count=1&split=utf8&retry=none&gap=15'));
    expect(utf8.chunks.length).toBe(2);
    expect(utf8.chunks[0]![utf8.chunks[0]!.length - 1]).toBeGreaterThanOrEqual(0xc0);
    expect(Buffer.concat(utf8.chunks).toString()).toContain(' é€😀');

    const bytes = await readChunks(ticker('count=1&split=byte&retry=none&gap=1'));
    expect(bytes.chunks.length).toBeGreaterThan(20);
  });

  it('answers a chosen status or Content-Type', async () => {
    const failed = await httpGet(ticker('status=500'));
    expect(failed.status).toBe(500);
    expect(failed.body).toContain('500');
    expect((await httpGet(ticker('status=204'))).status).toBe(204);
    const plain = await httpGet(ticker('count=1&type=text/plain'));
    expect(plain.headers['content-type']).toBe('text/plain');
    expect(plain.body).toContain('data: ');
  });

  it('redirects `redirect` times before answering', async () => {
    const first = await httpGet(ticker('count=1&redirect=2&redirectStatus=307'));
    expect(first.status).toBe(307);
    expect(first.headers.location).toBe('/sse/ticker?interval=5&count=1&redirect=1&redirectStatus=307');
  });

  it('compresses with gzip=1 when the client accepts gzip, flushing every event', async () => {
    const zipped = await readChunks(ticker('count=3&gzip=1&interval=20'), { 'Accept-Encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.chunks.length).toBeGreaterThanOrEqual(3);
    expect(gunzipSync(Buffer.concat(zipped.chunks)).toString()).toContain('id: 3\n');
    const plain = await readChunks(ticker('count=1&gzip=1'));
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('echoes the Last-Event-ID it got', async () => {
    const { body } = await httpGet(ticker('count=5&echo=1'), { 'Last-Event-ID': '3' });
    const [event] = blocks(body).filter((b) => field(b, 'data') !== undefined);
    expect(JSON.parse(field(event!, 'data')!)).toMatchObject({ seq: 4, lastEventId: '3' });
  });

  it('stays silent for `silence` ms, and holds the headers for `headerDelay` ms', async () => {
    const started = Date.now();
    const { body } = await httpGet(ticker('count=1&silence=150&headerDelay=100&interval=1000'));
    expect(body).toContain('id: 1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('cuts the body with fin=N (no terminating chunk) and resets with reset=N', async () => {
    const fin = await readChunks(ticker('fin=2&interval=10'));
    expect(fin.ended).toBe('aborted');
    expect(Buffer.concat(fin.chunks).toString()).toContain('id: 2\n');
    const reset = await readChunks(ticker('reset=1&interval=10'));
    expect(reset.ended).toBe('reset');
  });

  it.each(['event=a:b', 'ids=2', 'retry=-1', 'lines=0', 'split=crlf&eol=lf', 'status=99', 'redirectStatus=305', 'type=%0a', 'gap=5000', 'eol=x'])('answers 400 for %s', async (query) => {
    expect((await httpGet(ticker(query))).status).toBe(400);
  });
});

describe('SSE /sse/raw', () => {
  const raw = (bytes: Buffer, query = '') => `${playground.baseUrl}/sse/raw?b64=${encodeURIComponent(bytes.toString('base64'))}${query}`;

  it('sends exactly the given bytes as an event stream, cut at the given offsets', async () => {
    const bytes = Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('data: é\r'), 0x00, 0x0d, 0x0a]);
    const { status, headers, chunks, ended } = await readChunks(raw(bytes, '&splits=4,9&gap=20'));
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('text/event-stream');
    expect(headers['access-control-allow-origin']).toBe('*');
    expect(ended).toBe('end');
    expect(Buffer.concat(chunks)).toEqual(bytes);
    expect(chunks.map((c) => c.length)).toEqual([4, 5, bytes.length - 9]);
  });

  it('can end with a FIN mid-body instead', async () => {
    const { ended, chunks } = await readChunks(raw(Buffer.from('data: x\n\n'), '&end=fin&gap=5'));
    expect(ended).toBe('aborted');
    expect(Buffer.concat(chunks).toString()).toBe('data: x\n\n');
  });

  it.each(['', '&splits=99', '&splits=a', '&end=later', '&gap=-1'])('answers 400 for a bad query (%s)', async (query) => {
    const url = query === '' ? `${playground.baseUrl}/sse/raw` : raw(Buffer.from('data: x\n\n'), query);
    expect((await httpGet(url)).status).toBe(400);
  });
});
