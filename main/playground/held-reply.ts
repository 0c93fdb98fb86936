import type { ServerResponse } from 'node:http';
import { CORS_HEADERS } from './replies.js';
import type { Scope } from './scope.js';

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

/**
 * A held JSON answer whose head may go out on its own schedule (`delayHeaders`):
 * a backend that sends its status line and headers after a fixed time, before
 * the body when the body is not ready yet — then only what fits a head sent
 * early goes out (no per-answer headers like X-Cursor), and the body follows.
 * Without a delay the head and body go out together when the answer is ready.
 */
export class HeldReply {
  #headSent = false;
  #pending: { headers: Record<string, string>; body: string } | undefined;
  readonly #scheduled: boolean;

  constructor(
    private readonly res: ServerResponse,
    scope: Scope,
    delayHeadersMs: number | undefined,
  ) {
    this.#scheduled = delayHeadersMs !== undefined;
    if (delayHeadersMs !== undefined) scope.timeout(() => this.#sendHead(), delayHeadersMs);
  }

  /** True once a 200 head is on the wire: the status can no longer change. */
  get headSent(): boolean {
    return this.#headSent;
  }

  send(headers: Record<string, string>, body: string): void {
    if (this.#headSent) {
      this.res.end(body);
    } else if (this.#scheduled) {
      this.#pending = { headers, body };
    } else {
      this.#headSent = true;
      this.#whole(headers, body);
    }
  }

  #sendHead(): void {
    if (this.#headSent || this.res.writableEnded) return;
    this.#headSent = true;
    const pending = this.#pending;
    if (pending) return this.#whole(pending.headers, pending.body);
    this.res.writeHead(200, { ...CORS_HEADERS, ...JSON_HEADERS });
    this.res.flushHeaders();
  }

  #whole(headers: Record<string, string>, body: string): void {
    this.res.writeHead(200, { ...CORS_HEADERS, ...JSON_HEADERS, 'Content-Length': String(Buffer.byteLength(body)), ...headers });
    this.res.end(body);
  }
}
