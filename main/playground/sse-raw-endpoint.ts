import { BadRequest, enumParam, intParam } from './query.js';
import { CORS_HEADERS } from './replies.js';
import type { RequestHandler } from './handlers.js';

/** Decoded bytes; a URL cannot carry much more anyway. */
const MAX_RAW_BYTES = 64 * 1024;
const MAX_SPLITS = 1000;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const CONTENT_TYPE = /^[\x20-\x7e]{1,100}$/;
const ENDINGS = ['end', 'fin', 'reset', 'open'] as const;

/**
 * Exactly the bytes given (base64 in `b64`), as an event stream, written in
 * pieces cut at the `splits` offsets with `gap` ms between them, so a test can
 * feed the same tricky bytes to any client and compare what each one makes of
 * them. `end`: end (terminating chunk, the default), fin (close mid-body),
 * reset (TCP RST), open (keep the connection open until the client leaves).
 */
export const sseRaw: RequestHandler = ({ req, res, query, scope }) => {
  const bytes = decodeBytes(query.get('b64'));
  const splits = parseSplits(query.get('splits'), bytes.length);
  const gap = intParam(query, 'gap', { min: 0, max: 10_000, fallback: 10 });
  const type = query.get('type') ?? 'text/event-stream';
  if (!CONTENT_TYPE.test(type)) throw new BadRequest('type must be 1 to 100 printable ASCII characters');
  const ending = enumParam(query, 'end', ENDINGS, 'end');

  res.writeHead(200, { ...CORS_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  const pieces: Buffer[] = [];
  let from = 0;
  for (const cut of [...splits, bytes.length]) {
    if (cut > from) pieces.push(bytes.subarray(from, cut));
    from = cut;
  }
  const finish = (): void => {
    if (ending === 'end') res.end();
    else if (ending === 'fin') req.socket.end();
    else if (ending === 'reset') req.socket.resetAndDestroy();
  };
  const next = (i: number): void => {
    if (i === pieces.length) {
      // Let the last piece reach the client before a FIN or RST.
      if (ending === 'fin' || ending === 'reset') scope.timeout(finish, gap);
      else finish();
      return;
    }
    res.write(pieces[i]);
    if (gap === 0) next(i + 1);
    else scope.timeout(() => next(i + 1), gap);
  };
  next(0);
};

function decodeBytes(raw: string | null): Buffer {
  if (raw === null) throw new BadRequest('b64 is required: the base64 of the exact bytes to send');
  // A '+' that was not percent-encoded arrives as a space.
  const text = raw.replace(/ /g, '+');
  if (!BASE64.test(text)) throw new BadRequest('b64 must be base64 (standard or URL-safe)');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length > MAX_RAW_BYTES) throw new BadRequest(`b64 may carry at most ${MAX_RAW_BYTES} bytes`);
  return bytes;
}

function parseSplits(raw: string | null, length: number): number[] {
  if (raw === null || raw === '') return [];
  const parts = raw.split(',');
  if (parts.length > MAX_SPLITS) throw new BadRequest(`at most ${MAX_SPLITS} split offsets`);
  const offsets = parts.map((part) => {
    const offset = /^\d{1,6}$/.test(part) ? Number(part) : NaN;
    if (!(offset >= 0 && offset <= length)) throw new BadRequest(`splits must be offsets from 0 to ${length}, got ${JSON.stringify(part.slice(0, 20))}`);
    return offset;
  });
  return offsets.sort((a, b) => a - b);
}
