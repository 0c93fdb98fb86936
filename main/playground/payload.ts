/**
 * The stamped payload every playground endpoint sends. `sentAt` is the server's
 * send time in epoch milliseconds, so a client can measure lag per message.
 *
 * Built by string concatenation rather than JSON.stringify because the flood
 * ticker emits millions of these a second and must not be the bottleneck of the
 * ingest benchmark it feeds.
 */

/** Largest payload any endpoint will pad up to. */
export const MAX_PAYLOAD_SIZE = 1024 * 1024;

const origin = performance.timeOrigin;

/** Epoch milliseconds with sub-millisecond resolution from the monotonic clock. */
export function sendTime(): number {
  return origin + performance.now();
}

// Shared once so that padding a message is a cheap slice, not a fresh repeat().
const PADDING = 'x'.repeat(MAX_PAYLOAD_SIZE);
const PAD_OVERHEAD = ',"pad":""}'.length;

/**
 * `{"seq":N,"sentAt":T}`, or with a `pad` field so the whole text is `size`
 * characters (when `size` is bigger than the bare stamp). Always ASCII, so its
 * length in characters is its length in bytes.
 */
export function stampedText(seq: number, sentAt: number = sendTime(), size = 0): string {
  const head = `{"seq":${seq},"sentAt":${sentAt}`;
  const padLength = Math.min(size, MAX_PAYLOAD_SIZE) - head.length - PAD_OVERHEAD;
  if (padLength <= 0) return head + '}';
  return `${head},"pad":"${PADDING.slice(0, padLength)}"}`;
}

const SEQ_PREFIX = Buffer.from('{"seq":', 'latin1');
const SENT_AT_PREFIX = Buffer.from(',"sentAt":', 'latin1');
const PAD_PREFIX = Buffer.from(',"pad":"', 'latin1');
const QUOTE = 0x22;
const CLOSE_BRACE = 0x7d;
const PAD_BYTE = 0x78; // 'x'

function decimalDigits(n: number): number {
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.trunc(rest / 10)) digits++;
  return digits;
}

// A byte loop beats Buffer#set for a dozen bytes, and this runs per message.
function copyBytes(source: Uint8Array, target: Buffer, offset: number): number {
  for (let i = 0; i < source.length; i++) target[offset + i] = source[i]!;
  return offset + source.length;
}

/**
 * Byte length of what `writeStamped` writes: the same text as `stampedText`
 * for a given `sentAt`, whose decimal form is passed in already encoded.
 */
export function stampedByteLength(seq: number, sentAtBytes: Uint8Array, size: number): number {
  const head = SEQ_PREFIX.length + decimalDigits(seq) + SENT_AT_PREFIX.length + sentAtBytes.length;
  const target = Math.min(size, MAX_PAYLOAD_SIZE);
  return target - head - PAD_OVERHEAD > 0 ? target : head + 1;
}

/**
 * Writes `stampedText(seq, sentAt, size)` as bytes without building a string:
 * formatting a fractional number per message would cap the flood ticker near a
 * million messages a second. Returns the offset after the payload.
 */
export function writeStamped(buffer: Buffer, offset: number, seq: number, sentAtBytes: Uint8Array, size: number): number {
  const end = offset + stampedByteLength(seq, sentAtBytes, size);
  offset = copyBytes(SEQ_PREFIX, buffer, offset);
  const digits = decimalDigits(seq);
  for (let i = offset + digits - 1, n = seq; i >= offset; i--) {
    const quotient = Math.trunc(n / 10);
    buffer[i] = 48 + n - quotient * 10;
    n = quotient;
  }
  offset = copyBytes(SENT_AT_PREFIX, buffer, offset + digits);
  offset = copyBytes(sentAtBytes, buffer, offset);
  if (end - offset > 1) {
    offset = copyBytes(PAD_PREFIX, buffer, offset);
    buffer.fill(PAD_BYTE, offset, end - 2);
    buffer[end - 2] = QUOTE;
  }
  buffer[end - 1] = CLOSE_BRACE;
  return end;
}

export interface Stamp {
  seq: number;
  sentAt: number;
  [field: string]: unknown;
}

/** For the slower paths that embed stamps in a larger JSON document. */
export function stamp(seq: number, sentAt: number = sendTime(), extra: Record<string, unknown> = {}): Stamp {
  return { seq, sentAt, ...extra };
}
