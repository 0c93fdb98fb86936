// The event-stream parser of WHATWG HTML §9.2.6, fed bytes as they arrive. It works
// on bytes rather than on decoded text: CR, LF and ':' are ASCII and can never be
// part of a multi-byte UTF-8 sequence, so cutting lines and fields on bytes and
// decoding each piece gives exactly what decoding the whole stream first would
// (replacement characters included), without a decoder per chunk and with chunk
// splits anywhere, even inside a character.
//
// A line ends at CRLF, at LF, or at a lone CR — and a CR ends it at once, without
// waiting for the next byte to see whether an LF follows (an LF that then opens the
// next chunk is swallowed). Everything buffered is bounded by `maxBytes`, and a line
// over it fails the stream whether it lies whole in one chunk or comes cut across
// several: where the chunks were cut never changes what a stream reads as.
//
// Speed: on a fast stream almost every event lies whole inside one chunk, with one
// `data` line. Such events are not decoded at all here: they are kept as byte
// offsets into their chunk and handed on together as an `SseEventRun`, whose
// strings are made only for the events someone looks at (the newest ones of a
// batch, a sample, a recording). Decoding and a call per event were most of what
// this parser cost. Anything else — several data lines, a `retry` in the block, a
// line that began in an earlier chunk — takes the plain path: strings and one
// `event` call. Both paths keep the order of everything reported.

import { EVENT_RUN_SLOTS as SLOTS, SseEventRun } from './sse-event-run.js'

const LF = 0x0a
const CR = 0x0d
const COLON = 0x3a
const SPACE = 0x20
const NUL = 0x00
const BOM = [0xef, 0xbb, 0xbf]

export interface SseParserHandlers {
  /** A dispatched event; `lastEventId` is the stream's last event ID after it. */
  event(type: string, data: string, lastEventId: string, retry: number | undefined): void
  /**
   * Events dispatched one after another from one chunk, not yet decoded. Without
   * this handler each of them comes to `event` instead.
   */
  events?(run: SseEventRun): void
  /** A `:` line, with one leading space removed as for field values. */
  comment(text: string): void
  /** A `retry` field with a valid value: the stream's reconnection time changes now. */
  retry(ms: number): void
  /** A line or an event grew past the limit; the parser ignores all further input. */
  tooBig(what: 'line' | 'event', bytes: number): void
}

export interface SseParserOptions {
  /** Longest line, and largest event data, in bytes. */
  maxBytes: number
  /** The last event ID the stream starts from (what a reconnect sent as Last-Event-ID). */
  lastEventId?: string
}

export class SseParser {
  private readonly maxBytes: number
  /** Bytes of a line whose end has not arrived yet. */
  private partial: Buffer[] = []
  private partialBytes = 0
  /** The previous chunk ended with a CR: an LF opening this one belongs to it. */
  private afterCr = false
  /** Leading bytes held while it is not yet known whether they are a BOM. */
  private bomHeld: Buffer | undefined
  private bomChecked = false
  private failed = false
  /** The chunk being parsed: offsets below point into it, and only while it is parsed. */
  private chunk: Buffer | undefined

  // The event being read. A value that lies in the current chunk is held as its
  // offsets (start >= 0); at the end of the chunk it becomes a string.
  private data = ''
  private dataStart = -1
  private dataEnd = 0
  private dataLines = 0
  private dataBytes = 0
  private type = ''
  private typeStart = -1
  private typeEnd = -1
  private blockRetry: number | undefined
  /** The last event ID buffer, and whether an `id` field set it since the last dispatch. */
  private idText: string
  private idStart = -1
  private idEnd = -1
  private idSeen = false
  /** The last event ID string. */
  private lastIdText: string
  private lastIdStart = -1
  private lastIdEnd = -1

  /** The run of undecoded events being gathered in this chunk. */
  private runSlots = new Int32Array(SLOTS * 256)
  private runCount = 0
  private runBase = ''

  constructor(
    private readonly handlers: SseParserHandlers,
    options: SseParserOptions,
  ) {
    this.maxBytes = options.maxBytes
    this.idText = this.lastIdText = options.lastEventId ?? ''
  }

  /** The stream's last event ID so far. */
  get lastEventId(): string {
    return this.lastIdStart >= 0 ? this.chunk!.toString('utf8', this.lastIdStart, this.lastIdEnd) : this.lastIdText
  }

  /**
   * Nothing of an event or a line is pending: the next byte starts a new event, so
   * another client started here would parse the rest exactly as this one does.
   */
  get atEventBoundary(): boolean {
    return this.bomChecked && !this.failed && this.partialBytes === 0 && !this.afterCr && this.dataLines === 0 && this.type === '' && this.typeStart < 0 && this.blockRetry === undefined && !this.idSeen
  }

  feed(chunk: Buffer): void {
    if (this.failed || chunk.length === 0) return
    if (!this.bomChecked) {
      const rest = this.stripBom(chunk)
      if (!rest) return
      chunk = rest
    }
    this.chunk = chunk
    try {
      this.parse(chunk)
      this.flushRun()
    } finally {
      this.leaveChunk()
    }
  }

  private parse(chunk: Buffer): void {
    let pos = 0
    const end = chunk.length
    if (this.afterCr) {
      this.afterCr = false
      if (chunk[0] === LF) pos = 1
    }
    // Most streams never use CR: then only LF is searched for, one native search a
    // line — but not for the blank line that ends an event, seen by its first byte.
    let nextCr = chunk.indexOf(CR, pos)
    // The first LF at or after `pos`, or -1 for none in the rest of the chunk; below `pos`, not searched yet.
    let nextLf = -2
    while (pos < end) {
      let lineEnd: number
      if (chunk[pos] === LF) lineEnd = pos
      else {
        if (nextLf !== -1 && nextLf < pos) nextLf = chunk.indexOf(LF, pos)
        if (nextCr === -1) lineEnd = nextLf
        else if (nextLf === -1) lineEnd = nextCr
        else lineEnd = nextCr < nextLf ? nextCr : nextLf
      }
      if (lineEnd === -1) {
        this.keepPartial(chunk, pos, end)
        return
      }
      if (this.partialBytes > 0) this.joinLine(chunk, pos, lineEnd)
      else if (lineEnd - pos > this.maxBytes) return this.fail('line', lineEnd - pos)
      else this.line(chunk, pos, lineEnd, true)
      if (this.failed) return
      pos = lineEnd + 1
      if (lineEnd === nextCr) {
        if (pos === end) this.afterCr = true
        else if (chunk[pos] === LF) pos++
        nextCr = chunk.indexOf(CR, pos)
      }
    }
  }

  /** End of the stream: an event without its blank line is never dispatched. */
  end(): void {
    this.partial = []
    this.partialBytes = 0
    this.bomHeld = undefined
    this.resetEvent()
  }

  /** Strips a UTF-8 BOM once, at the very start, even when it comes split across chunks. */
  private stripBom(chunk: Buffer): Buffer | undefined {
    const bytes = this.bomHeld ? Buffer.concat([this.bomHeld, chunk]) : chunk
    this.bomHeld = undefined
    let matched = 0
    while (matched < 3 && matched < bytes.length && bytes[matched] === BOM[matched]) matched++
    if (matched === 3) {
      this.bomChecked = true
      return bytes.subarray(3)
    }
    if (matched === bytes.length) {
      this.bomHeld = bytes
      return undefined
    }
    this.bomChecked = true
    return bytes
  }

  private keepPartial(chunk: Buffer, start: number, end: number): void {
    if (start === end) return
    this.partialBytes += end - start
    if (this.partialBytes > this.maxBytes) return this.fail('line', this.partialBytes)
    this.partial.push(chunk.subarray(start, end))
  }

  /** A line that began in an earlier chunk: its bytes joined, and not part of this chunk. */
  private joinLine(chunk: Buffer, start: number, end: number): void {
    const length = this.partialBytes + end - start
    if (length > this.maxBytes) return this.fail('line', length)
    this.partial.push(chunk.subarray(start, end))
    const line = Buffer.concat(this.partial, length)
    this.partial = []
    this.partialBytes = 0
    this.line(line, 0, length, false)
  }

  /** One line; `inChunk` says that `line` is the current chunk, so values may stay offsets. */
  private line(line: Buffer, start: number, end: number, inChunk: boolean): void {
    if (start === end) return this.dispatch()
    // Only four field names have a meaning, all ASCII: each is recognised by its bytes,
    // then a colon or the end of the line. A byte past the end of the line is its LF or
    // CR (or none), which matches no letter, so the names are read without bounds checks.
    switch (line[start]) {
      case COLON: {
        const from = line[start + 1] === SPACE ? start + 2 : start + 1
        this.flushRun()
        this.handlers.comment(line.toString('utf8', Math.min(from, end), end))
        return
      }
      case 0x64: // data
        if (line[start + 1] === 0x61 && line[start + 2] === 0x74 && line[start + 3] === 0x61) {
          const valueStart = this.valueStart(line, start + 4, end)
          if (valueStart >= 0) this.onData(line, valueStart, end, inChunk)
        }
        return
      case 0x69: // id
        if (line[start + 1] === 0x64) {
          const valueStart = this.valueStart(line, start + 2, end)
          if (valueStart >= 0) this.onId(line, valueStart, end, inChunk)
        }
        return
      case 0x65: // event
        if (line[start + 1] === 0x76 && line[start + 2] === 0x65 && line[start + 3] === 0x6e && line[start + 4] === 0x74) {
          const valueStart = this.valueStart(line, start + 5, end)
          if (valueStart >= 0) this.onEvent(line, valueStart, end, inChunk)
        }
        return
      case 0x72: // retry
        if (line[start + 1] === 0x65 && line[start + 2] === 0x74 && line[start + 3] === 0x72 && line[start + 4] === 0x79) {
          const valueStart = this.valueStart(line, start + 5, end)
          if (valueStart >= 0) this.onRetry(line, valueStart, end)
        }
        return
    }
    // Any other field is ignored, as the spec says.
  }

  /**
   * Where the value starts when the field name ends at `nameEnd`: after the colon and
   * one space, or at the end of a line that is only the name; -1 when the name goes
   * on (a longer name, not this field).
   */
  private valueStart(line: Buffer, nameEnd: number, end: number): number {
    if (nameEnd >= end) return nameEnd === end ? end : -1
    if (line[nameEnd] !== COLON) return -1
    return nameEnd + 1 < end && line[nameEnd + 1] === SPACE ? nameEnd + 2 : nameEnd + 1
  }

  private onEvent(line: Buffer, start: number, end: number, inChunk: boolean): void {
    if (inChunk) {
      this.type = ''
      this.typeStart = start
      this.typeEnd = end
    } else {
      this.type = line.toString('utf8', start, end)
      this.typeStart = this.typeEnd = -1
    }
  }

  /** An `id` with a NUL in it is ignored. */
  private onId(line: Buffer, start: number, end: number, inChunk: boolean): void {
    for (let i = start; i < end; i++) if (line[i] === NUL) return
    if (inChunk) {
      this.idStart = start
      this.idEnd = end
    } else {
      this.idText = line.toString('utf8', start, end)
      this.idStart = -1
    }
    this.idSeen = true
  }

  private onData(line: Buffer, start: number, end: number, inChunk: boolean): void {
    this.dataBytes += end - start + (this.dataLines > 0 ? 1 : 0)
    if (this.dataBytes > this.maxBytes) return this.fail('event', this.dataBytes)
    if (this.dataLines === 0 && inChunk) {
      this.dataStart = start
      this.dataEnd = end
    } else {
      const value = line.toString('utf8', start, end)
      this.data = this.dataLines === 0 ? value : this.dataText() + '\n' + value
      this.dataStart = -1
    }
    this.dataLines++
  }

  /** Only ASCII digits count (an empty value too is ignored); anything else leaves the time as it was. */
  private onRetry(line: Buffer, start: number, end: number): void {
    if (start === end) return
    let value = 0
    for (let i = start; i < end; i++) {
      const digit = line[i]! - 0x30
      if (digit < 0 || digit > 9) return
      value = value * 10 + digit
    }
    // Absurd values are still "digits only"; keep them representable.
    const ms = Math.min(value, Number.MAX_SAFE_INTEGER)
    this.blockRetry = ms
    this.flushRun()
    this.handlers.retry(ms)
  }

  private dispatch(): void {
    // The last event ID is set at every dispatch, with data or without; the getter
    // `lastEventId` tells it (the technique reads it once a chunk).
    if (this.idSeen) {
      this.idSeen = false
      this.lastIdText = this.idText
      this.lastIdStart = this.idStart
      this.lastIdEnd = this.idEnd
    }
    if (this.dataLines > 0) {
      if (this.dataStart >= 0 && this.type === '' && this.blockRetry === undefined) this.addToRun()
      else {
        this.flushRun()
        const type = this.typeStart >= 0 ? this.chunk!.toString('utf8', this.typeStart, this.typeEnd) : this.type
        this.handlers.event(type === '' ? 'message' : type, this.dataText(), this.lastEventId, this.blockRetry)
      }
    }
    this.resetEvent()
  }

  /** The event just read, as offsets: one data line, in this chunk, no `retry`. */
  private addToRun(): void {
    // Events before any `id` in this chunk share the ID as it was; if it changed by
    // other means in between (an `id` line that began in an earlier chunk), start a new run.
    if (this.lastIdStart < 0) {
      if (this.runCount > 0 && this.runBase !== this.lastIdText) this.flushRun()
      if (this.runCount === 0) this.runBase = this.lastIdText
    }
    let slots = this.runSlots
    const at = this.runCount * SLOTS
    if (at + SLOTS > slots.length) {
      const grown = new Int32Array(slots.length * 2)
      grown.set(slots)
      slots = this.runSlots = grown
    }
    slots[at] = this.dataStart
    slots[at + 1] = this.dataEnd
    slots[at + 2] = this.typeStart
    slots[at + 3] = this.typeEnd
    slots[at + 4] = this.lastIdStart
    slots[at + 5] = this.lastIdEnd
    this.runCount++
  }

  /** Hands on the events gathered so far, before anything that must come after them. */
  private flushRun(): void {
    const count = this.runCount
    if (count === 0) return
    this.runCount = 0
    const run = new SseEventRun(this.chunk!, count, this.runSlots.slice(0, count * SLOTS), this.runBase)
    if (this.handlers.events) return this.handlers.events(run)
    for (let i = 0; i < count; i++) this.handlers.event(run.type(i), run.data(i), run.lastEventId(i), undefined)
  }

  /** The data buffer as text (the event's only data line may still be offsets). */
  private dataText(): string {
    return this.dataStart >= 0 ? this.chunk!.toString('utf8', this.dataStart, this.dataEnd) : this.data
  }

  /** The next chunk has other bytes: what is held as offsets into this one becomes text. */
  private leaveChunk(): void {
    const chunk = this.chunk!
    if (this.dataStart >= 0) {
      this.data = chunk.toString('utf8', this.dataStart, this.dataEnd)
      this.dataStart = -1
    }
    if (this.typeStart >= 0) {
      this.type = chunk.toString('utf8', this.typeStart, this.typeEnd)
      this.typeStart = this.typeEnd = -1
    }
    if (this.lastIdStart >= 0) {
      this.lastIdText = chunk.toString('utf8', this.lastIdStart, this.lastIdEnd)
      this.lastIdStart = -1
    }
    if (this.idStart >= 0) {
      this.idText = chunk.toString('utf8', this.idStart, this.idEnd)
      this.idStart = -1
    }
    this.runCount = 0
    this.chunk = undefined
  }

  private resetEvent(): void {
    this.data = ''
    this.dataStart = -1
    this.dataLines = 0
    this.dataBytes = 0
    this.type = ''
    this.typeStart = this.typeEnd = -1
    this.blockRetry = undefined
  }

  private fail(what: 'line' | 'event', bytes: number): void {
    this.flushRun()
    this.failed = true
    this.partial = []
    this.partialBytes = 0
    this.resetEvent()
    this.handlers.tooBig(what, bytes)
  }
}
