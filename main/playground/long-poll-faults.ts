import { STATUS_CODES, type ServerResponse } from 'node:http';
import { MAX_COUNT } from './limits.js';
import { BadRequest, intParam, textParam } from './query.js';
import { CORS_HEADERS } from './replies.js';

/**
 * What a gateway in front of a long-poll server does to held requests: answer
 * 502/504 when it gives up, close the connection without an answer (FIN), or
 * reset it. Which requests fail is counted per client, so a session sees a
 * recovery after `failFor` failures and tests do not disturb each other.
 */
export type Fault = { kind: 'status'; status: number } | { kind: 'fin' } | { kind: 'reset' };

export interface FaultPlan {
  fault: Fault;
  /** Requests after the first `failAfter` fail, `failFor` of them (default: all). */
  failAfter?: number;
  failFor: number;
  /** Every `failEvery`th request fails. */
  failEvery?: number;
  /** Counter key: the `client` parameter, else every knob but the cursor. */
  key: string;
}

const MAX_COUNTERS = 1000;

export function faultPlan(query: URLSearchParams): FaultPlan | undefined {
  const status = intParam(query, 'status', { min: 400, max: 599 });
  const fin = intParam(query, 'fin', { min: 0, max: 1, fallback: 0 }) === 1;
  const reset = intParam(query, 'reset', { min: 0, max: 1, fallback: 0 }) === 1;
  const failAfter = intParam(query, 'failAfter', { min: 0, max: MAX_COUNT });
  const failFor = intParam(query, 'failFor', { min: 1, max: MAX_COUNT });
  const failEvery = intParam(query, 'failEvery', { min: 1, max: MAX_COUNT });
  const client = textParam(query, 'client', { minBytes: 1, maxBytes: 64, fallback: '' });
  if ([status !== undefined, fin, reset].filter(Boolean).length > 1) throw new BadRequest('choose one fault: status, fin=1 or reset=1');
  if (failFor !== undefined && failAfter === undefined) throw new BadRequest('failFor counts the failures after failAfter; give failAfter too');
  const when = failAfter !== undefined || failEvery !== undefined;
  let fault: Fault;
  if (fin) fault = { kind: 'fin' };
  else if (reset) fault = { kind: 'reset' };
  else if (status !== undefined) fault = { kind: 'status', status };
  else if (when) fault = { kind: 'status', status: 504 };
  else return undefined;
  const rest = new URLSearchParams(query);
  rest.delete('cursor');
  rest.sort();
  return {
    fault,
    ...(failAfter !== undefined ? { failAfter } : {}),
    failFor: failFor ?? Number.POSITIVE_INFINITY,
    ...(failEvery !== undefined ? { failEvery } : {}),
    key: client || rest.toString(),
  };
}

/** Counts requests per plan key and says whether this one fails. */
export class FaultCounter {
  readonly #counts = new Map<string, number>();

  failsNow(plan: FaultPlan): boolean {
    if (plan.failAfter === undefined && plan.failEvery === undefined) return true;
    const n = (this.#counts.get(plan.key) ?? 0) + 1;
    this.#counts.delete(plan.key);
    this.#counts.set(plan.key, n);
    // Forget the least recently used client; a map without bound is a leak.
    if (this.#counts.size > MAX_COUNTERS) this.#counts.delete(this.#counts.keys().next().value!);
    const afterHit = plan.failAfter !== undefined && n > plan.failAfter && n <= plan.failAfter + plan.failFor;
    const everyHit = plan.failEvery !== undefined && n % plan.failEvery === 0;
    return afterHit || everyHit;
  }
}

/** The error page of a gateway that gave up, shaped like nginx's (a 5xx with a small HTML body). */
export function sendGatewayError(res: ServerResponse, status: number): void {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>playground-gateway</center>\r\n</body>\r\n</html>\r\n`;
  res.writeHead(status, {
    ...CORS_HEADERS,
    Server: 'playground-gateway',
    Via: '1.1 playground-gateway',
    'Content-Type': 'text/html',
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}
