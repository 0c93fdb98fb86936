import type { ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { constants as zlib, createGzip, type Gzip } from 'node:zlib';
import type { Scope } from './scope.js';
import type { Split } from './sse-options.js';

const CR = 0x0d;
const LF = 0x0a;

export interface SseWriterOptions {
  gzip: boolean;
  split: Split;
  /** The line end written: LF, CR or CRLF. */
  eol: string;
  /** Pause between the pieces of a split event, so a client reads them apart. */
  gap: number;
}

type Item = Buffer | (() => void);

/**
 * Writes event-stream text the way awkward servers do: with a chosen line end,
 * compressed and flushed per write, or cut into pieces at the worst places
 * (inside a CRLF, inside a UTF-8 character, every byte). Pieces and actions
 * (end, FIN, reset) go through one queue so they happen in order.
 */
export class SseWriter {
  private readonly out: Writable;
  private readonly gzip: Gzip | undefined;
  private readonly queue: Item[] = [];
  private queuedBytes = 0;
  private waiting = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly scope: Scope,
    private readonly options: SseWriterOptions,
  ) {
    if (options.gzip) {
      const gzip = (this.gzip = createGzip());
      gzip.pipe(res);
      scope.onDispose(() => gzip.destroy());
      this.out = gzip;
    } else {
      this.out = res;
    }
  }

  /** Bytes not yet handed to the socket: a slow reader makes the ticker skip. */
  get backlog(): number {
    return this.queuedBytes + this.res.writableLength + (this.gzip?.writableLength ?? 0);
  }

  event(fields: ReadonlyArray<readonly [string, string]>): void {
    const { eol } = this.options;
    this.write(fields.map(([name, value]) => `${name}: ${value}`).join(eol) + eol + eol);
  }

  comment(text: string): void {
    this.write(`: ${text}${this.options.eol}${this.options.eol}`);
  }

  /** Text as given (its line ends included), split like events. */
  write(text: string): void {
    for (const piece of pieces(Buffer.from(text, 'utf8'), this.options.split)) {
      this.queue.push(piece);
      this.queuedBytes += piece.length;
    }
    this.pump();
  }

  /** Runs `action` once everything queued before it was written. */
  then(action: () => void): void {
    this.queue.push(action);
    this.pump();
  }

  /** Ends the body properly (terminating chunk) after what is queued. */
  end(): void {
    this.then(() => this.out.end());
  }

  private pump(): void {
    while (!this.waiting && this.queue.length > 0) {
      const item = this.queue.shift()!;
      if (typeof item === 'function') {
        item();
        continue;
      }
      this.queuedBytes -= item.length;
      this.out.write(item);
      this.gzip?.flush(zlib.Z_SYNC_FLUSH);
      if (this.options.split !== 'none' && this.options.gap > 0 && this.queue.length > 0) {
        this.waiting = true;
        this.scope.timeout(() => {
          this.waiting = false;
          this.pump();
        }, this.options.gap);
      }
    }
  }
}

/** Where a split mode cuts one write. */
export function pieces(bytes: Buffer, split: Split): Buffer[] {
  if (split === 'none' || bytes.length < 2) return [bytes];
  if (split === 'byte') return Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  const cuts: number[] = [];
  if (split === 'crlf') {
    for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === CR && bytes[i + 1] === LF) cuts.push(i + 1);
  } else {
    // After the lead byte of the first multi-byte character.
    const lead = bytes.findIndex((b) => b >= 0xc0);
    if (lead !== -1 && lead + 1 < bytes.length) cuts.push(lead + 1);
  }
  const result: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    result.push(bytes.subarray(from, cut));
    from = cut;
  }
  result.push(bytes.subarray(from));
  return result;
}
