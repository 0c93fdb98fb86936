import { delayRule } from './limits.js';
import { writeRawResponse } from './replies.js';
import { BadRequest, intParam, textParam } from './query.js';
import type { UpgradeHandler } from './handlers.js';

/**
 * Endpoints that end a WebSocket in each way a real server or intermediary can,
 * so that clients and detectors can be tested against the real wire behaviour.
 */

/** Same rule as `ws` and RFC 6455 §7.4: codes a close frame may carry. */
function isLegalCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

/** A clean close frame with the given code and reason after `after` ms. */
export const close: UpgradeHandler = (ctx) => {
  const code = intParam(ctx.query, 'code', { min: 1000, max: 4999, fallback: 1000 });
  if (!isLegalCloseCode(code)) throw new BadRequest(`code ${code} may not be sent in a close frame`);
  // A control frame payload is at most 125 bytes, two of them the code.
  const reason = textParam(ctx.query, 'reason', { minBytes: 0, maxBytes: 123, fallback: '' });
  const after = intParam(ctx.query, 'after', { ...delayRule, fallback: 0 });
  ctx.accept((ws, scope) => {
    scope.timeout(() => ws.close(code, reason), after);
  });
};

/** TCP FIN without a close frame: what a proxy's idle timeout looks like (1006). */
export const drop: UpgradeHandler = (ctx) => {
  const after = intParam(ctx.query, 'after', { ...delayRule, fallback: 0 });
  ctx.accept((_ws, scope) => {
    scope.timeout(() => ctx.socket.end(), after);
  });
};

/** TCP RST: the peer or a middlebox aborting the connection. */
export const reset: UpgradeHandler = (ctx) => {
  const after = intParam(ctx.query, 'after', { ...delayRule, fallback: 0 });
  ctx.accept((_ws, scope) => {
    scope.timeout(() => ctx.socket.resetAndDestroy(), after);
  });
};

/** A non-101 answer to the handshake, like an auth layer or a proxy that strips Upgrade. */
export const reject: UpgradeHandler = (ctx) => {
  const status = intParam(ctx.query, 'status', { min: 200, max: 599, fallback: 403 });
  writeRawResponse(ctx.socket, status, `WebSocket upgrade rejected by the playground with ${status}`, {
    'X-Playground-Reason': 'rejected',
  });
};
