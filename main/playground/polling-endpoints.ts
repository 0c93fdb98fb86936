import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HeldReply } from './held-reply.js';
import { MAX_HOLD_MS, MAX_INTERVAL_MS, MAX_SIZE } from './limits.js';
import { FaultCounter, faultPlan, sendGatewayError, type Fault } from './long-poll-faults.js';
import { LongPollFeeds } from './long-poll-feed.js';
import { sendTime, stamp, stampedText } from './payload.js';
import { BadRequest, enumParam, intParam, textParam } from './query.js';
import { CORS_HEADERS, sendText } from './replies.js';
import type { RequestHandler } from './handlers.js';
import type { Scope } from './scope.js';

const MAX_MESSAGES_PER_RESPONSE = 100;
/** Padding per answer stays below this, whatever size and batch ask for. */
const MAX_ANSWER_PADDING = 8 * 1024 * 1024;
const MAX_CURSOR = Number.MAX_SAFE_INTEGER;
const MAX_AGE_S = 365 * 24 * 3600;

export interface PollingTiming {
  /** How often the long-poll feed produces a message while clients wait. */
  longPollEveryMs: number;
  /** How often the polled state changes. */
  pollEveryMs: number;
}

export function createPollingEndpoints(root: Scope, timing: PollingTiming): { longPoll: RequestHandler; poll: RequestHandler } {
  const feeds = new LongPollFeeds(root);
  const faults = new FaultCounter();

  /**
   * Answers at once when the cursor is behind, otherwise holds the request up
   * to `hold` ms for the next batch; on expiry the same cursor comes back with
   * no messages. Knobs: every/batch (the feed), size (each message padded),
   * cursorIn (header, json or both), shape (object or a bare array, cursor then
   * in the header), delayHeaders, and the faults of long-poll-faults.ts, which
   * strike when the hold would have ended, as a gateway giving up.
   */
  const longPoll: RequestHandler = ({ res, query, scope }) => {
    const cursor = intParam(query, 'cursor', { min: 0, max: MAX_CURSOR, fallback: 0 });
    const hold = intParam(query, 'hold', { min: 0, max: MAX_HOLD_MS, fallback: 10_000 });
    const every = intParam(query, 'every', { min: 1, max: MAX_INTERVAL_MS, fallback: timing.longPollEveryMs });
    const batch = intParam(query, 'batch', { min: 1, max: MAX_MESSAGES_PER_RESPONSE, fallback: 1 });
    const size = intParam(query, 'size', { min: 0, max: MAX_SIZE, fallback: 0 });
    const shape = enumParam(query, 'shape', ['object', 'array'] as const, 'object');
    const cursorIn = enumParam(query, 'cursorIn', ['both', 'header', 'json'] as const, shape === 'array' ? 'header' : 'both');
    if (shape === 'array' && cursorIn !== 'header') throw new BadRequest('a bare array has no room for the cursor; shape=array needs cursorIn=header');
    const delayHeaders = intParam(query, 'delayHeaders', { min: 0, max: MAX_HOLD_MS });
    const plan = faultPlan(query);
    const feed = feeds.get(every, batch);
    if (cursor > feed.latest) throw new BadRequest(`cursor ${cursor} is ahead of the latest message ${feed.latest}`);

    const reply = new HeldReply(res, scope, delayHeaders);
    const strike = (fault: Fault): void => {
      if (fault.kind === 'reset') {
        res.socket?.resetAndDestroy();
      } else if (fault.kind === 'fin' || reply.headSent) {
        // A 200 head already out cannot turn into an error: the gateway can only cut the body.
        res.socket?.destroy();
      } else {
        sendGatewayError(res, fault.status);
      }
    };
    if (plan && faults.failsNow(plan)) {
      scope.timeout(() => strike(plan.fault), hold);
      return;
    }
    const perAnswer = Math.min(MAX_MESSAGES_PER_RESPONSE, Math.max(1, Math.floor(MAX_ANSWER_PADDING / Math.max(size, 1))));

    const answer = (): void => {
      const messages = feed.after(cursor, perAnswer);
      const next = messages.at(-1)?.seq ?? cursor;
      const list = `[${messages.map((m) => stampedText(m.seq, m.sentAt, size)).join(',')}]`;
      const cursorField = cursorIn === 'header' ? '' : `"cursor":${next},`;
      const body = shape === 'array' ? list : `{${cursorField}"sentAt":${sendTime()},"messages":${list}}`;
      reply.send(cursorIn === 'json' ? {} : { 'X-Cursor': String(next) }, body);
    };

    if (cursor < feed.latest || hold === 0) {
      answer();
      return;
    }
    const stopWaiting = feed.wait(() => {
      stopHolding();
      answer();
    });
    const stopHolding = scope.timeout(() => {
      stopWaiting();
      answer();
    }, hold);
    scope.onDispose(stopWaiting);
  };

  // The polled state is derived from the clock, so it needs no timer of its own.
  const bootId = randomBytes(4).toString('hex');
  const startedAt = sendTime();

  /**
   * Current state with validators; a matching conditional request gets 304.
   * Knobs: every (change period), etag=0|1, lastModified=0|1, cacheControl,
   * age (Age and X-Cache: HIT, as if a cache answered), status, size.
   */
  const poll: RequestHandler = ({ req, res, query }) => {
    const every = intParam(query, 'every', { min: 1, max: MAX_INTERVAL_MS, fallback: timing.pollEveryMs });
    const withEtag = intParam(query, 'etag', { min: 0, max: 1, fallback: 1 }) === 1;
    const withLastModified = intParam(query, 'lastModified', { min: 0, max: 1, fallback: 1 }) === 1;
    const cacheControl = textParam(query, 'cacheControl', { minBytes: 0, maxBytes: 200, fallback: 'no-cache' });
    if (!/^[\x20-\x7e]*$/.test(cacheControl)) throw new BadRequest('cacheControl must be printable ASCII');
    const age = intParam(query, 'age', { min: 0, max: MAX_AGE_S });
    const status = intParam(query, 'status', { min: 200, max: 599, fallback: 200 });
    if (status === 304) throw new BadRequest('304 is the answer to a conditional request; send If-None-Match instead');
    const size = intParam(query, 'size', { min: 0, max: MAX_SIZE, fallback: 0 });

    const version = Math.floor((sendTime() - startedAt) / every) + 1;
    const changedAt = startedAt + (version - 1) * every;
    const modifiedSecond = Math.floor(changedAt / 1000) * 1000;
    // Strong validator: a different period or size is a different body.
    const etag = every === timing.pollEveryMs && size === 0 ? `"${bootId}-${version}"` : `"${bootId}-${every}-${size}-${version}"`;
    const cacheHeaders: Record<string, string> = {
      // By default stored but revalidated every time, so each poll shows a 200 or a 304.
      ...(cacheControl ? { 'Cache-Control': cacheControl } : {}),
      ...(age !== undefined ? { Age: String(age), 'X-Cache': 'HIT from playground-cache' } : {}),
    };
    if (status === 204) {
      res.writeHead(204, { ...CORS_HEADERS, ...cacheHeaders });
      res.end();
      return;
    }
    if (status !== 200) return sendText(res, status, `the playground answers ${status} as asked`, cacheHeaders);
    const headers = {
      ...(withEtag ? { ETag: etag } : {}),
      ...(withLastModified ? { 'Last-Modified': new Date(modifiedSecond).toUTCString() } : {}),
      ...cacheHeaders,
    };
    if (isNotModified(req, withEtag ? etag : undefined, withLastModified ? modifiedSecond : undefined)) {
      res.writeHead(304, { ...CORS_HEADERS, ...headers });
      res.end();
      return;
    }
    // Written here rather than with sendJson: an empty cacheControl must leave the header out.
    const body = JSON.stringify(padded(stamp(version, changedAt, { counter: version }), size));
    res.writeHead(200, { ...CORS_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), ...headers });
    res.end(body);
  };

  return { longPoll, poll };
}

/** The state with a `pad` field, so its JSON is about `size` bytes. */
function padded(state: Record<string, unknown>, size: number): Record<string, unknown> {
  const room = size - JSON.stringify(state).length - ',"pad":""'.length;
  return room > 0 ? { ...state, pad: 'x'.repeat(room) } : state;
}

/** RFC 9110 §13.2.2: If-None-Match, when present, decides alone (weak comparison). */
function isNotModified(req: IncomingMessage, etag: string | undefined, modifiedSecond: number | undefined): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (etag === undefined) return false;
    const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince === undefined || modifiedSecond === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && modifiedSecond <= since;
}
