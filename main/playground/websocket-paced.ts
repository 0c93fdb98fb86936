import { WebSocket } from 'ws';
import { sendTime, stampedText } from './payload.js';
import type { Scope } from './scope.js';

/** The most messages a second the paced ticker sends (a UI benchmark asks for 10,000). */
export const MAX_RATE = 100_000;
/**
 * Messages go out in bursts on one timer, as many as are due: 10,000 a second is
 * 100 per tick, not a timer per message, and a late timer still keeps the rate.
 */
const TICK_MS = 10;
/** A stalled process catches up at most this much, so it never sends a huge burst. */
const MAX_CATCH_UP_MS = 100;
const RATE_MESSAGE = /^rate=(\d{1,7})$/;

export interface PacedOptions {
  rate: number;
  count: number | undefined;
  size: number;
  /** Above this many buffered bytes the client is not keeping up: due messages are skipped. */
  highWaterBytes: number;
}

/**
 * Stamped messages at `rate` a second until `count`, then a close with 1000. A text
 * message `rate=N` (0 pauses, at most MAX_RATE) from the client changes the rate
 * live, so one connection can fill a view fast and then go on at a measured pace;
 * other messages are ignored.
 */
export function paced(ws: WebSocket, scope: Scope, options: PacedOptions): void {
  const { count, size, highWaterBytes } = options;
  let rate = options.rate;
  let seq = 0;
  /** Messages due but not sent yet; fractional so that any rate comes out right. */
  let due = 0;
  let lastTick = performance.now();

  ws.on('message', (data, isBinary) => {
    const match = isBinary ? null : RATE_MESSAGE.exec(String(data).trim());
    const next = match ? Number(match[1]) : NaN;
    if (next >= 0 && next <= MAX_RATE) {
      rate = next;
      due = 0;
    }
  });

  const stop = scope.interval(() => {
    const now = performance.now();
    due = Math.min(due + (rate * (now - lastTick)) / 1000, Math.max(1, (rate * MAX_CATCH_UP_MS) / 1000));
    lastTick = now;
    // Skipping keeps seq gap-free: the client sees lag, not loss.
    if (ws.bufferedAmount > highWaterBytes) {
      due = 0;
      return;
    }
    const sentAt = sendTime();
    for (; due >= 1 && ws.readyState === WebSocket.OPEN; due--) {
      ws.send(stampedText(++seq, sentAt, size));
      if (count !== undefined && seq >= count) {
        stop();
        ws.close(1000, 'count reached');
        return;
      }
    }
  }, TICK_MS);
}
