/**
 * What the /stream endpoint writes: stamped records wrapped for a format, and the
 * awkward places a record can be cut into separate writes (each its own chunk on
 * the wire) so clients can prove that a chunk boundary is never a message boundary.
 */
import { sendTime, stampedText } from './payload.js';

export const FORMATS = ['ndjson', 'delimiter', 'script'] as const;
export type Format = (typeof FORMATS)[number];
export const SPLITS = ['none', 'byte', 'utf8', 'delimiter'] as const;
export type Split = (typeof SPLITS)[number];

export interface StreamFraming {
  contentType: string;
  preamble: string;
  record(text: string): string;
  /** What ends each record; `split=delimiter` cuts inside it. */
  terminator: string;
  epilogue: string;
}

// Old browsers only rendered a streamed document incrementally after a kilobyte
// or two, so hidden-iframe servers sent padding first; kept for realism.
const SCRIPT_PADDING = `<!-- ${' '.repeat(2048)} -->\n`;

export function framingFor(format: Format, delimiter: string): StreamFraming {
  switch (format) {
    case 'ndjson':
      return { contentType: 'application/x-ndjson', preamble: '', record: (t) => t + '\n', terminator: '\n', epilogue: '' };
    case 'delimiter':
      // The delimiter ends each record, so a record is complete as soon as it arrives.
      return { contentType: 'text/plain; charset=utf-8', preamble: '', record: (t) => t + delimiter, terminator: delimiter, epilogue: '' };
    case 'script':
      return {
        contentType: 'text/html; charset=utf-8',
        preamble: `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>stream</title></head><body>\n${SCRIPT_PADDING}`,
        record: (t) => `<script>parent.push(${t})</script>\n`,
        terminator: '</script>\n',
        epilogue: '</body></html>\n',
      };
  }
}

/** Two-, three- and four-byte UTF-8 characters, for `split=utf8` to cut inside. */
export const UTF8_SAMPLE = 'Grüße € 😀';

/** A stamped record (padded to about `size` bytes), with non-ASCII text when asked. */
export function recordText(seq: number, size: number, withUtf8: boolean): string {
  const text = stampedText(seq, sendTime(), size);
  return withUtf8 ? `{"text":"${UTF8_SAMPLE}",${text.slice(1)}` : text;
}

/** The separate writes one wrapped record goes out in. */
export function recordPieces(record: Buffer, split: Split, terminatorBytes: number): Buffer[] {
  const cuts: number[] = [];
  if (split === 'byte') {
    for (let at = 1; at < record.length; at++) cuts.push(at);
  } else if (split === 'utf8') {
    for (let at = 0; at < record.length; at++) {
      const length = utf8Length(record[at]!);
      for (let inner = 1; inner < length; inner++) cuts.push(at + inner);
    }
  } else if (split === 'delimiter') {
    for (let at = record.length - terminatorBytes; at < record.length; at++) if (at > 0) cuts.push(at);
  }
  const pieces: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    pieces.push(record.subarray(from, cut));
    from = cut;
  }
  pieces.push(record.subarray(from));
  return pieces;
}

/** Length of the character a UTF-8 lead byte starts; 1 for ASCII and continuation bytes. */
function utf8Length(byte: number): number {
  if (byte >= 0xf0) return 4;
  if (byte >= 0xe0) return 3;
  if (byte >= 0xc0) return 2;
  return 1;
}
