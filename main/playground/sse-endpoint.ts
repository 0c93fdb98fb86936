import type { IncomingMessage } from 'node:http';
import { MAX_COUNT } from './limits.js';
import { sendTime, stampedText } from './payload.js';
import { CORS_HEADERS, sendText } from './replies.js';
import { parseSseTickerOptions, type SseTickerOptions } from './sse-options.js';
import { SseWriter } from './sse-writer.js';
import type { RequestContext, RequestHandler } from './handlers.js';

/** One comment per this many events by default, to exercise clients' heartbeat handling. */
const HEARTBEAT_EVERY = 3;
/** A reader this far behind gets ticks skipped rather than buffered without bound. */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** Appended to the data with split=utf8, so there is a character to split. */
const MULTIBYTE = ' é€😀';

/**
 * Server-Sent Events ticker. By default odd ids are `tick` events and even ids
 * unnamed (`message`), so a client's handling of both is visible. The id is the
 * seq, and a reconnect with Last-Event-ID continues after it; once `count` is
 * reached a reconnect gets 204, which tells a spec-following client to stop.
 * The query knobs (sse-options.ts) imitate what servers and intermediaries do.
 */
export const sseTicker: RequestHandler = (ctx) => {
  const options = parseSseTickerOptions(ctx.query);
  if (options.redirect > 0) return redirect(ctx, options);
  if (options.headerDelay > 0) ctx.scope.timeout(() => answer(ctx, options), options.headerDelay);
  else answer(ctx, options);
};

function answer({ req, res, scope }: RequestContext, options: SseTickerOptions): void {
  const lastId = lastEventId(req);
  if ((options.count !== undefined && lastId >= options.count) || options.status === 204) {
    res.writeHead(204, CORS_HEADERS);
    res.end();
    return;
  }
  if (options.status !== 200) {
    return sendText(res, options.status, `playground: answering ${options.status} as asked (status=${options.status})`);
  }
  const gzip = options.gzip && acceptsGzip(req);
  res.writeHead(200, {
    ...CORS_HEADERS,
    'Content-Type': options.contentType,
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    // nginx buffers proxied responses unless told not to.
    'X-Accel-Buffering': 'no',
    ...(gzip ? { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } : {}),
  });
  res.flushHeaders();
  const writer = new SseWriter(res, scope, { gzip, split: options.split, eol: options.eol, gap: options.gap });
  if (options.retry !== undefined) writer.write(`retry: ${options.retry}${options.eol}${options.eol}`);

  const received = typeof req.headers['last-event-id'] === 'string' ? req.headers['last-event-id'] : null;
  const stops: Array<() => void> = [];
  let stopped = false;
  const stopAll = (): void => {
    stopped = true;
    stops.splice(0).forEach((stop) => stop());
  };
  let seq = lastId;
  let sent = 0;
  const tick = (): void => {
    if (writer.backlog > HIGH_WATER_BYTES) return;
    // Faults come at the tick after the Nth event, so the client has read it.
    if (options.fin !== undefined && sent >= options.fin) {
      stopAll();
      // FIN without the terminating chunk: what an intermediary's idle timeout leaves.
      return writer.then(() => scope.immediate(() => req.socket.end()));
    }
    if (options.reset !== undefined && sent >= options.reset) {
      stopAll();
      return writer.then(() => scope.immediate(() => req.socket.resetAndDestroy()));
    }
    seq++;
    sent++;
    writer.event(eventFields(options, seq, received));
    if (options.heartbeat === undefined && seq % HEARTBEAT_EVERY === 0) writer.comment('heartbeat');
    if (options.count !== undefined && seq >= options.count) {
      stopAll();
      writer.end();
    }
  };
  const startTicking = (): void => {
    stops.push(scope.interval(tick, options.interval));
    if (options.heartbeat) stops.push(scope.interval(() => writer.comment('heartbeat'), options.heartbeat));
  };
  if (options.silence > 0) {
    stops.push(
      scope.timeout(() => {
        tick();
        if (!stopped) startTicking();
      }, options.silence),
    );
  } else {
    startTicking();
  }
}

function eventFields(options: SseTickerOptions, seq: number, received: string | null): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  if (options.ids) fields.push(['id', String(seq)]);
  const name = eventName(options.names, seq);
  if (name) fields.push(['event', name]);
  let data = options.echo ? `{"seq":${seq},"sentAt":${sendTime()},"lastEventId":${JSON.stringify(received)}}` : stampedText(seq, sendTime(), options.size);
  if (options.split === 'utf8') data += MULTIBYTE;
  fields.push(['data', data]);
  for (let line = 2; line <= options.lines; line++) fields.push(['data', `line ${line}`]);
  return fields;
}

function eventName(names: string[] | undefined, seq: number): string {
  if (names === undefined) return seq % 2 === 1 ? 'tick' : '';
  if (names.length === 0) return '';
  return names[(seq - 1) % names.length]!;
}

/** The same URL with one redirect fewer to go. */
function redirect({ req, res }: RequestContext, options: SseTickerOptions): void {
  const url = new URL(`http://playground${req.url ?? '/'}`);
  if (options.redirect > 1) url.searchParams.set('redirect', String(options.redirect - 1));
  else url.searchParams.delete('redirect');
  sendText(res, options.redirectStatus, `redirecting (${options.redirect} to go)`, { Location: url.pathname + url.search });
}

/** Whether Accept-Encoding allows gzip (named or `*`, with a q above 0). */
function acceptsGzip(req: IncomingMessage): boolean {
  const accept = req.headers['accept-encoding'];
  if (typeof accept !== 'string') return false;
  return accept.split(',').some((entry) => {
    const [coding = '', ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/** Anything but a plain in-range number starts from the beginning, as a fresh client would. */
function lastEventId(req: IncomingMessage): number {
  const raw = req.headers['last-event-id'];
  if (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw.trim())) return 0;
  const id = Number(raw.trim());
  return id <= MAX_COUNT ? id : 0;
}
