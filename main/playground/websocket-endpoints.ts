import type { WebSocket } from 'ws';
import { countRule, intervalRule, MAX_SIZE } from './limits.js';
import { sendTime, stamp, stampedText } from './payload.js';
import { BadRequest, intParam } from './query.js';
import type { UpgradeHandler } from './handlers.js';
import { flood } from './websocket-flood.js';
import { MAX_RATE, paced } from './websocket-paced.js';

/**
 * Above this many buffered bytes a client is not keeping up. Echo stops reading
 * from it and the ticker skips ticks, so a slow client cannot grow our memory.
 */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;

/** Echoes every message back as it came, text as text and binary as binary. */
export const echo: UpgradeHandler = (ctx) => {
  ctx.accept((ws) => {
    ws.on('message', (data, isBinary) => {
      const overloaded = ws.bufferedAmount > HIGH_WATER_BYTES;
      if (overloaded) ws.pause();
      ws.send(data as Buffer, { binary: isBinary }, () => {
        if (overloaded && ws.isPaused) ws.resume();
      });
    });
  });
};

/**
 * Stamped messages every `interval` ms, closing with 1000 after `count`.
 * `interval=0` floods `count` messages as fast as the client reads them.
 * `rate` (instead of interval) sends that many a second, changeable live.
 */
export const ticker: UpgradeHandler = (ctx) => {
  const interval = intParam(ctx.query, 'interval', { ...intervalRule, min: 0 });
  const count = intParam(ctx.query, 'count', countRule);
  const size = intParam(ctx.query, 'size', { min: 0, max: MAX_SIZE, fallback: 0 });
  const rate = intParam(ctx.query, 'rate', { min: 1, max: MAX_RATE });
  if (rate !== undefined && ctx.query.has('interval')) throw new BadRequest('give either interval or rate, not both');
  if (interval === 0 && count === undefined) throw new BadRequest('interval=0 sends as fast as possible and needs a count');

  ctx.accept((ws, scope) => {
    if (rate !== undefined) {
      paced(ws, scope, { rate, count, size, highWaterBytes: HIGH_WATER_BYTES });
      return;
    }
    if (interval === 0) {
      flood(ws, ctx.socket, scope, count!, size);
      return;
    }
    let seq = 0;
    const stop = scope.interval(() => {
      // Skipping keeps seq gap-free: the client sees lag, not loss.
      if (ws.bufferedAmount > HIGH_WATER_BYTES) return;
      seq++;
      ws.send(stampedText(seq, sendTime(), size));
      if (count !== undefined && seq >= count) {
        stop();
        ws.close(1000, 'count reached');
      }
    }, interval);
  });
};

/** Reports the handshake as the server saw it, so a client can prove what reached it. */
export const headers: UpgradeHandler = (ctx) => {
  ctx.accept((ws: WebSocket) => {
    const report = stamp(1, sendTime(), {
      url: ctx.req.url,
      protocol: ws.protocol,
      extensions: ws.extensions,
      headers: ctx.req.headers,
      rawHeaders: ctx.req.rawHeaders,
    });
    ws.send(JSON.stringify(report));
  });
};
