import type { IncomingMessage } from 'node:http';
import { countRule, intervalRule, MAX_COUNT } from './limits.js';
import { sendTime, stampedText } from './payload.js';
import { intParam } from './query.js';
import { CORS_HEADERS } from './replies.js';
import type { RequestHandler } from './handlers.js';

/** One comment per this many events, to exercise clients' heartbeat handling. */
const HEARTBEAT_EVERY = 3;
/** A reader this far behind gets ticks skipped rather than buffered without bound. */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;

/**
 * Server-Sent Events ticker. Odd ids are `tick` events and even ids unnamed
 * (`message`), so a client's handling of both is visible. The id is the seq, and
 * a reconnect with Last-Event-ID continues after it; once `count` is reached a
 * reconnect gets 204, which tells a spec-following client to stop.
 */
export const sseTicker: RequestHandler = ({ req, res, query, scope }) => {
  const interval = intParam(query, 'interval', intervalRule);
  const count = intParam(query, 'count', countRule);
  const lastId = lastEventId(req);

  if (count !== undefined && lastId >= count) {
    res.writeHead(204, CORS_HEADERS);
    res.end();
    return;
  }

  res.writeHead(200, {
    ...CORS_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    // nginx buffers proxied responses unless told not to.
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n\n');

  let seq = lastId;
  const stop = scope.interval(() => {
    if (res.writableLength > HIGH_WATER_BYTES) return;
    seq++;
    const name = seq % 2 === 1 ? 'event: tick\n' : '';
    res.write(`id: ${seq}\n${name}data: ${stampedText(seq, sendTime())}\n\n`);
    if (seq % HEARTBEAT_EVERY === 0) res.write(': heartbeat\n\n');
    if (count !== undefined && seq >= count) {
      stop();
      res.end();
    }
  }, interval);
};

/** Anything but a plain in-range number starts from the beginning, as a fresh client would. */
function lastEventId(req: IncomingMessage): number {
  const raw = req.headers['last-event-id'];
  if (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw.trim())) return 0;
  const id = Number(raw.trim());
  return id <= MAX_COUNT ? id : 0;
}
