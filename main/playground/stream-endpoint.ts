import { gzipSync, createGzip } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { countRule, delayRule, intervalRule, MAX_COUNT, MAX_SIZE } from './limits.js';
import { sendTime, stampedText } from './payload.js';
import { BadRequest, enumParam, intParam, textParam } from './query.js';
import { CORS_HEADERS } from './replies.js';
import type { RequestHandler } from './handlers.js';
import type { Scope } from './scope.js';
import { FORMATS, framingFor, recordPieces, recordText, SPLITS, type Format, type Split } from './stream-records.js';

const HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** One write per byte is only sensible for small records. */
const MAX_BYTE_SPLIT_SIZE = 4096;
/** With length=1 every record is padded to at least this, so all have one known length. */
const FIXED_RECORD_SIZE = 100;
const NO_BODY_STATUSES = new Set([204, 205, 304]);

interface StreamOptions {
  interval: number;
  count: number | undefined;
  size: number;
  format: Format;
  delimiter: string;
  cut: { after: number; how: 'fin' | 'reset' } | undefined;
  silence: number;
  gzip: boolean;
  split: Split;
  status: number;
  type: string | undefined;
  headerDelay: number;
  length: boolean;
}

function flagParam(query: URLSearchParams, name: string): boolean {
  return enumParam(query, name, ['0', '1'], '0') === '1';
}

function parseOptions(query: URLSearchParams): StreamOptions {
  const interval = intParam(query, 'interval', intervalRule);
  const count = intParam(query, 'count', countRule);
  const size = intParam(query, 'size', { min: 0, max: MAX_SIZE, fallback: 0 });
  const delimiterGiven = query.has('delimiter');
  const format = enumParam(query, 'format', FORMATS, delimiterGiven ? 'delimiter' : 'ndjson');
  if (delimiterGiven && format !== 'delimiter') throw new BadRequest('delimiter only applies to format=delimiter');
  const delimiter = textParam(query, 'delimiter', { minBytes: 1, maxBytes: 16, fallback: '\x1e' });
  const fin = intParam(query, 'fin', { min: 0, max: MAX_COUNT });
  const reset = intParam(query, 'reset', { min: 0, max: MAX_COUNT });
  if (fin !== undefined && reset !== undefined) throw new BadRequest('fin and reset cannot both be given');
  const cut = fin !== undefined ? { after: fin, how: 'fin' as const } : reset !== undefined ? { after: reset, how: 'reset' as const } : undefined;
  if (cut && count !== undefined && cut.after >= count) throw new BadRequest(`${cut.how} must be less than count, or the stream ends first`);
  const split = enumParam(query, 'split', SPLITS, 'none');
  if (split === 'byte' && size > MAX_BYTE_SPLIT_SIZE) throw new BadRequest(`split=byte takes size up to ${MAX_BYTE_SPLIT_SIZE}`);
  const type = query.get('type') ?? undefined;
  if (type !== undefined && !/^[\x21-\x7e][\x20-\x7e]{0,199}$/.test(type)) throw new BadRequest('type must be 1 to 200 visible ASCII characters');
  const gzip = flagParam(query, 'gzip');
  const length = flagParam(query, 'length');
  if (length && count === undefined) throw new BadRequest('length=1 needs count: the body length is announced up front');
  if (length && gzip) throw new BadRequest('length=1 cannot be combined with gzip=1');
  return {
    interval,
    count,
    size,
    format,
    delimiter,
    cut,
    silence: intParam(query, 'silence', { ...delayRule, fallback: 0 }),
    gzip,
    split,
    status: intParam(query, 'status', { min: 200, max: 599, fallback: 200 }),
    type,
    headerDelay: intParam(query, 'headerDelay', { ...delayRule, fallback: 0 }),
    length,
  };
}

function streamHeaders(contentType: string): Record<string, string> {
  return {
    ...CORS_HEADERS,
    'Content-Type': contentType,
    'Cache-Control': 'no-cache',
    // Browsers hold back a body while sniffing its type; this keeps it incremental.
    'X-Content-Type-Options': 'nosniff',
    'X-Accel-Buffering': 'no',
  };
}

/** Where the body goes: straight to the response, or through gzip flushed after every write. */
interface BodyOut {
  write(bytes: Buffer | string): void;
  end(last: string): void;
  /** Runs `fn` once everything written so far has reached the socket. */
  whenFlushed(fn: () => void): void;
}

function plainOut(res: ServerResponse): BodyOut {
  return { write: (bytes) => void res.write(bytes), end: (last) => void res.end(last), whenFlushed: (fn) => fn() };
}

function gzipOut(res: ServerResponse, scope: Scope): BodyOut {
  const gzip = createGzip();
  gzip.pipe(res);
  scope.onDispose(() => gzip.destroy());
  return {
    write(bytes) {
      gzip.write(bytes);
      // A sync flush per write keeps the stream incremental, as a streaming-aware server would.
      gzip.flush();
    },
    end: (last) => void gzip.end(last),
    // The output of a flush reaches the response a tick after its callback.
    whenFlushed: (fn) => gzip.flush(() => scope.immediate(fn)),
  };
}

/** A non-2xx answer, as evidence for clients to show: a short text body (gzipped when asked). */
function refuse(res: ServerResponse, options: StreamOptions): void {
  const headers: Record<string, string> = { ...CORS_HEADERS, 'Content-Type': options.type ?? 'text/plain; charset=utf-8', 'X-Playground-Reason': 'status' };
  if (NO_BODY_STATUSES.has(options.status)) {
    res.writeHead(options.status, headers);
    res.end();
    return;
  }
  const text = Buffer.from(`playground: answered ${options.status} because the URL asked (status=${options.status})\n`);
  const body = options.gzip ? gzipSync(text) : text;
  if (options.gzip) headers['Content-Encoding'] = 'gzip';
  res.writeHead(options.status, { ...headers, 'Content-Length': String(body.length) });
  res.end(body);
}

/**
 * One long response carrying a stamped record every `interval` ms, ended properly
 * (terminating chunk) after `count` records — or cut (FIN or RST) after some, with
 * the knobs that imitate what servers and intermediaries do to a stream.
 */
export const stream: RequestHandler = ({ req, res, query, scope }) => {
  const options = parseOptions(query);
  const start = (): void => {
    const ok = options.status >= 200 && options.status < 300 && !NO_BODY_STATUSES.has(options.status);
    if (!ok) return refuse(res, options);
    const framing = framingFor(options.format, options.delimiter);
    const terminatorBytes = Buffer.byteLength(framing.terminator);
    const recordSize = options.length ? Math.max(options.size, FIXED_RECORD_SIZE) : options.size;
    const encode = (seq: number) => Buffer.from(framing.record(recordText(seq, recordSize, options.split === 'utf8')));
    const headers = streamHeaders(options.type ?? framing.contentType);
    if (options.gzip) headers['Content-Encoding'] = 'gzip';
    if (options.length) {
      const bodyLength = Buffer.byteLength(framing.preamble) + options.count! * encode(1).length + Buffer.byteLength(framing.epilogue);
      headers['Content-Length'] = String(bodyLength);
    }
    res.writeHead(options.status, headers);
    const out = options.gzip ? gzipOut(res, scope) : plainOut(res);
    if (framing.preamble) out.write(framing.preamble);
    else res.flushHeaders();

    let seq = 0;
    let done = false;
    let stop = (): void => {};
    const tick = (): void => {
      if (res.writableLength > HIGH_WATER_BYTES) return;
      const cut = options.cut;
      if (cut && seq >= cut.after) {
        done = true;
        stop();
        // Due when the next record would be: the records before it have long arrived.
        const socket = req.socket;
        return out.whenFlushed(() => (cut.how === 'fin' ? socket.end() : socket.resetAndDestroy()));
      }
      seq++;
      for (const piece of recordPieces(encode(seq), options.split, terminatorBytes)) out.write(piece);
      if (options.count !== undefined && seq >= options.count) {
        done = true;
        stop();
        out.end(framing.epilogue);
      }
    };
    const begin = (): void => {
      tick();
      if (!done) stop = scope.interval(tick, options.interval);
    };
    if (options.silence > 0) scope.timeout(begin, options.silence);
    else stop = scope.interval(tick, options.interval);
  };
  if (options.headerDelay > 0) scope.timeout(start, options.headerDelay);
  else start();
};

/**
 * A few NDJSON records, then the connection is destroyed without the
 * terminating chunk: the incomplete body an intermediary's timeout leaves.
 */
export const streamCut: RequestHandler = ({ req, res, query, scope }) => {
  const after = intParam(query, 'after', { ...delayRule, fallback: 1000 });
  const interval = intParam(query, 'interval', { ...intervalRule, fallback: Math.max(1, Math.floor(after / 4)) });

  res.writeHead(200, streamHeaders('application/x-ndjson'));
  let seq = 0;
  const send = (): void => {
    seq++;
    res.write(stampedText(seq, sendTime()) + '\n');
  };
  send();
  scope.interval(send, interval);
  scope.timeout(() => req.socket.destroy(), after);
};
