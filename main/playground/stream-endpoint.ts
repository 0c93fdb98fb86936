import { countRule, delayRule, intervalRule } from './limits.js';
import { sendTime, stampedText } from './payload.js';
import { BadRequest, enumParam, intParam, textParam } from './query.js';
import { CORS_HEADERS } from './replies.js';
import type { RequestHandler } from './handlers.js';

const HIGH_WATER_BYTES = 4 * 1024 * 1024;
const FORMATS = ['ndjson', 'delimiter', 'script'] as const;
type Format = (typeof FORMATS)[number];

interface Framing {
  contentType: string;
  preamble: string;
  record(text: string): string;
  epilogue: string;
}

// Old browsers only rendered a streamed document incrementally after a kilobyte
// or two, so hidden-iframe servers sent padding first; kept for realism.
const SCRIPT_PADDING = `<!-- ${' '.repeat(2048)} -->\n`;

function framingFor(format: Format, delimiter: string): Framing {
  switch (format) {
    case 'ndjson':
      return { contentType: 'application/x-ndjson', preamble: '', record: (t) => t + '\n', epilogue: '' };
    case 'delimiter':
      // The delimiter ends each record, so a record is complete as soon as it arrives.
      return { contentType: 'text/plain; charset=utf-8', preamble: '', record: (t) => t + delimiter, epilogue: '' };
    case 'script':
      return {
        contentType: 'text/html; charset=utf-8',
        preamble: `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>stream</title></head><body>\n${SCRIPT_PADDING}`,
        record: (t) => `<script>parent.push(${t})</script>\n`,
        epilogue: '</body></html>\n',
      };
  }
}

function streamHeaders(contentType: string): Record<string, string> {
  return {
    ...CORS_HEADERS,
    'Content-Type': contentType,
    'Cache-Control': 'no-cache',
    // Browsers hold back a body while sniffing its type; this keeps it incremental.
    'X-Content-Type-Options': 'nosniff',
    'X-Accel-Buffering': 'no',
  };
}

/**
 * One long chunked response carrying a stamped record every `interval` ms,
 * ended properly (terminating chunk) after `count` records.
 */
export const stream: RequestHandler = ({ res, query, scope }) => {
  const interval = intParam(query, 'interval', intervalRule);
  const count = intParam(query, 'count', countRule);
  const delimiterGiven = query.has('delimiter');
  const format = enumParam(query, 'format', FORMATS, delimiterGiven ? 'delimiter' : 'ndjson');
  if (delimiterGiven && format !== 'delimiter') throw new BadRequest('delimiter only applies to format=delimiter');
  const delimiter = textParam(query, 'delimiter', { minBytes: 1, maxBytes: 16, fallback: '\x1e' });
  const framing = framingFor(format, delimiter);

  res.writeHead(200, streamHeaders(framing.contentType));
  if (framing.preamble) res.write(framing.preamble);
  else res.flushHeaders();

  let seq = 0;
  const stop = scope.interval(() => {
    if (res.writableLength > HIGH_WATER_BYTES) return;
    seq++;
    res.write(framing.record(stampedText(seq, sendTime())));
    if (count !== undefined && seq >= count) {
      stop();
      res.end(framing.epilogue);
    }
  }, interval);
};

/**
 * A few NDJSON records, then the connection is destroyed without the
 * terminating chunk: the incomplete body an intermediary's timeout leaves.
 */
export const streamCut: RequestHandler = ({ req, res, query, scope }) => {
  const after = intParam(query, 'after', { ...delayRule, fallback: 1000 });
  const interval = intParam(query, 'interval', { ...intervalRule, fallback: Math.max(1, Math.floor(after / 4)) });

  res.writeHead(200, streamHeaders('application/x-ndjson'));
  let seq = 0;
  const send = (): void => {
    seq++;
    res.write(stampedText(seq, sendTime()) + '\n');
  };
  send();
  scope.interval(send, interval);
  scope.timeout(() => req.socket.destroy(), after);
};
