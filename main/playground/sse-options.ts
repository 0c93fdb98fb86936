import { countRule, delayRule, intervalRule, MAX_SIZE } from './limits.js';
import { BadRequest, enumParam, intParam } from './query.js';

/**
 * The query knobs of `/sse/ticker`, validated and bounded. Each one imitates
 * something real servers or intermediaries do to event streams.
 */
export interface SseTickerOptions {
  interval: number;
  count: number | undefined;
  /** Pads each event's data to about this many bytes. */
  size: number;
  /** undefined: alternate `tick` and unnamed; []: all unnamed; otherwise cycle these. */
  names: string[] | undefined;
  ids: boolean;
  /** The `retry` sent first; undefined sends none. */
  retry: number | undefined;
  /** Data lines per event. */
  lines: number;
  /** Comment every this many ms; undefined: one after every third event; 0: none. */
  heartbeat: number | undefined;
  /** Quiet time after the headers before the first event. */
  silence: number;
  /** After this many events: close without the terminating chunk (FIN mid-body). */
  fin: number | undefined;
  /** After this many events: reset the TCP connection. */
  reset: number | undefined;
  contentType: string;
  status: number;
  headerDelay: number;
  gzip: boolean;
  split: Split;
  eol: string;
  /** Pause between the pieces of a split event, ms. */
  gap: number;
  /** Put the Last-Event-ID the request carried into each event's data. */
  echo: boolean;
  /** Answer with a redirect to the same URL this many more times first. */
  redirect: number;
  redirectStatus: number;
}

export const SPLITS = ['none', 'crlf', 'utf8', 'byte'] as const;
export type Split = (typeof SPLITS)[number];
const EOLS = { lf: '\n', cr: '\r', crlf: '\r\n' } as const;
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
/** Event names as a server would write them; no line breaks, no colon. */
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const CONTENT_TYPE = /^[\x20-\x7e]{1,100}$/;
const MAX_LINES = 100;
const MAX_NAMES = 16;
const MAX_RETRY_MS = 3_600_000;
const MAX_REDIRECTS = 20;

export function parseSseTickerOptions(query: URLSearchParams): SseTickerOptions {
  const split = enumParam(query, 'split', SPLITS, 'none');
  const eolName = enumParam(query, 'eol', ['lf', 'cr', 'crlf'] as const, split === 'crlf' ? 'crlf' : 'lf');
  if (split === 'crlf' && eolName !== 'crlf') throw new BadRequest('split=crlf needs eol=crlf: it splits inside each CRLF');
  const status = intParam(query, 'status', { min: 200, max: 599, fallback: 200 });
  return {
    interval: intParam(query, 'interval', intervalRule),
    count: intParam(query, 'count', countRule),
    size: intParam(query, 'size', { min: 0, max: MAX_SIZE, fallback: 0 }),
    names: parseNames(query),
    ids: flag(query, 'ids', true),
    retry: parseRetry(query),
    lines: intParam(query, 'lines', { min: 1, max: MAX_LINES, fallback: 1 }),
    heartbeat: intParam(query, 'heartbeat', { min: 0, max: intervalRule.max }),
    silence: intParam(query, 'silence', { ...delayRule, fallback: 0 }),
    fin: intParam(query, 'fin', { min: 0, max: countRule.max }),
    reset: intParam(query, 'reset', { min: 0, max: countRule.max }),
    contentType: parseContentType(query),
    status,
    headerDelay: intParam(query, 'headerDelay', { ...delayRule, fallback: 0 }),
    gzip: flag(query, 'gzip', false),
    split,
    eol: EOLS[eolName],
    gap: intParam(query, 'gap', { min: 0, max: 1000, fallback: 2 }),
    echo: flag(query, 'echo', false),
    redirect: intParam(query, 'redirect', { min: 0, max: MAX_REDIRECTS, fallback: 0 }),
    redirectStatus: parseRedirectStatus(query),
  };
}

function flag(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new BadRequest(`${name} must be 1 or 0, got ${JSON.stringify(raw.slice(0, 40))}`);
}

function parseNames(query: URLSearchParams): string[] | undefined {
  const raw = query.get('event');
  if (raw === null) return undefined;
  if (raw === '' || raw === 'none') return [];
  const names = raw.split(',');
  if (names.length > MAX_NAMES || !names.every((name) => NAME.test(name))) {
    throw new BadRequest(`event must be up to ${MAX_NAMES} comma-separated names of letters, digits, _ . - (or empty for unnamed events)`);
  }
  return names;
}

function parseRetry(query: URLSearchParams): number | undefined {
  if (query.get('retry') === 'none') return undefined;
  return intParam(query, 'retry', { min: 0, max: MAX_RETRY_MS, fallback: 2000 });
}

function parseContentType(query: URLSearchParams): string {
  const raw = query.get('type');
  if (raw === null || raw === '') return 'text/event-stream; charset=utf-8';
  if (!CONTENT_TYPE.test(raw)) throw new BadRequest('type must be 1 to 100 printable ASCII characters');
  return raw;
}

function parseRedirectStatus(query: URLSearchParams): number {
  const status = intParam(query, 'redirectStatus', { min: 300, max: 399, fallback: 302 });
  if (!REDIRECT_STATUSES.includes(status)) throw new BadRequest(`redirectStatus must be one of ${REDIRECT_STATUSES.join(', ')}`);
  return status;
}
