import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { MAX_HOLD_MS } from './limits.js';
import { sendTime, stamp, type Stamp } from './payload.js';
import { BadRequest, intParam } from './query.js';
import { CORS_HEADERS, sendJson } from './replies.js';
import type { RequestHandler } from './handlers.js';
import type { Scope } from './scope.js';

/** Messages kept for clients that fall behind; older ones are gone, as on a real feed. */
const RETAINED_MESSAGES = 1000;
const MAX_MESSAGES_PER_RESPONSE = 100;
const MAX_CURSOR = Number.MAX_SAFE_INTEGER;

/**
 * The feed behind /longpoll. A message is produced every `everyMs` only while
 * someone is waiting, so an idle playground schedules nothing. Each message's
 * `sentAt` is when it was produced: the lag a client measures includes the time
 * it spent between polls, which is what long-polling costs.
 */
class LongPollFeed {
  readonly #messages: Stamp[] = [];
  readonly #waiters = new Set<() => void>();
  #latest = 0;
  #stopProducer: (() => void) | undefined;

  constructor(
    private readonly root: Scope,
    private readonly everyMs: number,
  ) {}

  get latest(): number {
    return this.#latest;
  }

  /** Messages after `cursor`, oldest first, at most one response's worth. */
  after(cursor: number): Stamp[] {
    const firstSeq = this.#messages[0]?.seq ?? this.#latest + 1;
    const start = Math.max(0, cursor + 1 - firstSeq);
    return this.#messages.slice(start, start + MAX_MESSAGES_PER_RESPONSE);
  }

  /** Calls `onMessage` once at the next message; the returned function unsubscribes. */
  wait(onMessage: () => void): () => void {
    this.#waiters.add(onMessage);
    this.#stopProducer ??= this.root.interval(() => this.#produce(), this.everyMs);
    return () => {
      this.#waiters.delete(onMessage);
      if (this.#waiters.size === 0) this.#stopProducing();
    };
  }

  #produce(): void {
    this.#latest++;
    this.#messages.push(stamp(this.#latest, sendTime()));
    if (this.#messages.length > RETAINED_MESSAGES) this.#messages.shift();
    const waiting = [...this.#waiters];
    this.#waiters.clear();
    this.#stopProducing();
    for (const onMessage of waiting) onMessage();
  }

  #stopProducing(): void {
    this.#stopProducer?.();
    this.#stopProducer = undefined;
  }
}

export interface PollingTiming {
  /** How often the long-poll feed produces a message while clients wait. */
  longPollEveryMs: number;
  /** How often the polled state changes. */
  pollEveryMs: number;
}

export function createPollingEndpoints(root: Scope, timing: PollingTiming): { longPoll: RequestHandler; poll: RequestHandler } {
  const feed = new LongPollFeed(root, timing.longPollEveryMs);

  /**
   * Answers at once when the cursor is behind, otherwise holds the request up
   * to `hold` ms for the next message; on expiry the same cursor comes back
   * with no messages. The next cursor is in the body and in `X-Cursor`.
   */
  const longPoll: RequestHandler = ({ res, query, scope }) => {
    const cursor = intParam(query, 'cursor', { min: 0, max: MAX_CURSOR, fallback: 0 });
    const hold = intParam(query, 'hold', { min: 0, max: MAX_HOLD_MS, fallback: 10_000 });
    if (cursor > feed.latest) throw new BadRequest(`cursor ${cursor} is ahead of the latest message ${feed.latest}`);

    const answer = (): void => {
      const messages = feed.after(cursor);
      const next = messages.at(-1)?.seq ?? cursor;
      sendJson(res, 200, { cursor: next, sentAt: sendTime(), messages }, { 'X-Cursor': String(next) });
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

  /** Current state with validators; a matching conditional request gets 304. */
  const poll: RequestHandler = ({ req, res }) => {
    const version = Math.floor((sendTime() - startedAt) / timing.pollEveryMs) + 1;
    const changedAt = startedAt + (version - 1) * timing.pollEveryMs;
    const modifiedSecond = Math.floor(changedAt / 1000) * 1000;
    const etag = `"${bootId}-${version}"`;
    const headers = {
      ETag: etag,
      'Last-Modified': new Date(modifiedSecond).toUTCString(),
      // Stored but revalidated every time, so each poll shows a 200 or a 304.
      'Cache-Control': 'no-cache',
    };
    if (isNotModified(req, etag, modifiedSecond)) {
      res.writeHead(304, { ...CORS_HEADERS, ...headers });
      res.end();
      return;
    }
    sendJson(res, 200, stamp(version, changedAt, { counter: version }), headers);
  };

  return { longPoll, poll };
}

/** RFC 9110 §13.2.2: If-None-Match, when present, decides alone (weak comparison). */
function isNotModified(req: IncomingMessage, etag: string, modifiedSecond: number): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && modifiedSecond <= since;
}
