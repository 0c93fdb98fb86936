// The event-stream parser of WHATWG HTML §9.2.6, fed bytes as they arrive. It works
// on bytes rather than on decoded text: CR, LF and ':' are ASCII and can never be
// part of a multi-byte UTF-8 sequence, so cutting lines and fields on bytes and
// decoding each piece gives exactly what decoding the whole stream first would
// (replacement characters included), without a decoder per chunk and with chunk
// splits anywhere, even inside a character.
//
// A line ends at CRLF, at LF, or at a lone CR — and a CR ends it at once, without
// waiting for the next byte to see whether an LF follows (an LF that then opens the
// next chunk is swallowed). Everything buffered is bounded by `maxBytes`.

const LF = 0x0a
const CR = 0x0d
const COLON = 0x3a
const SPACE = 0x20
const NUL = 0x00
const BOM = [0xef, 0xbb, 0xbf]
/** Length of the longest field name with a meaning (`event`, `retry`). */
const MAX_NAME = 5

export interface SseParserHandlers {
  /** A dispatched event; `lastEventId` is the stream's last event ID after it. */
  event(type: string, data: string, lastEventId: string, retry: number | undefined): void
  /** A `:` line, with one leading space removed as for field values. */
  comment(text: string): void
  /** A `retry` field with a valid value: the stream's reconnection time changes now. */
  retry(ms: number): void
  /** The stream's last event ID string changed (at dispatch, with or without data). */
  lastEventId(id: string): void
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
  /** The chunk being parsed and, when it is ASCII, its text: then a value is a slice of it, not a decode. */
  private chunk: Buffer | undefined
  private chunkText: string | undefined

  private data = ''
  private dataLines = 0
  private dataBytes = 0
  private type = ''
  private idBuffer: string
  private lastId: string
  private blockRetry: number | undefined

  constructor(
    private readonly handlers: SseParserHandlers,
    options: SseParserOptions,
  ) {
    this.maxBytes = options.maxBytes
    this.idBuffer = this.lastId = options.lastEventId ?? ''
  }

  /** The stream's last event ID string so far. */
  get lastEventId(): string {
    return this.lastId
  }

  /**
   * Nothing of an event or a line is pending: the next byte starts a new event, so
   * another client started here would parse the rest exactly as this one does.
   */
  get atEventBoundary(): boolean {
    return this.bomChecked && !this.failed && this.partialBytes === 0 && !this.afterCr && this.dataLines === 0 && this.type === '' && this.blockRetry === undefined && this.idBuffer === this.lastId
  }

  /**
   * `asciiText` may be given when the chunk is all ASCII: its text, which the
   * caller has anyway. Values are then slices of it (no copy in V8), which is
   * most of the cost saved on a fast stream.
   */
  feed(chunk: Buffer, asciiText?: string): void {
    if (this.failed || chunk.length === 0) return
    if (!this.bomChecked) {
      const rest = this.stripBom(chunk)
      if (!rest) return
      if (rest !== chunk) asciiText = undefined
      chunk = rest
    }
    this.chunk = chunk
    this.chunkText = asciiText
    try {
      this.parse(chunk)
    } finally {
      this.chunk = this.chunkText = undefined
    }
  }

  private parse(chunk: Buffer): void {
    let pos = 0
    const end = chunk.length
    if (this.afterCr) {
      this.afterCr = false
      if (chunk[0] === LF) pos = 1
    }
    // Searching the text when there is one is cheaper than a native Buffer search per
    // line (a binding call each). Most streams never use CR: then only LF is searched.
    const text = this.chunkText
    let nextCr = text !== undefined ? text.indexOf('\r', pos) : chunk.indexOf(CR, pos)
    let nextLf = text !== undefined ? text.indexOf('\n', pos) : chunk.indexOf(LF, pos)
    while (pos < end) {
      let lineEnd: number
      if (nextCr === -1) lineEnd = nextLf
      else if (nextLf === -1) lineEnd = nextCr
      else lineEnd = nextCr < nextLf ? nextCr : nextLf
      if (lineEnd === -1) {
        this.keepPartial(chunk, pos, end)
        return
      }
      this.endLine(chunk, pos, lineEnd)
      if (this.failed) return
      pos = lineEnd + 1
      if (lineEnd === nextCr) {
        if (pos === end) this.afterCr = true
        else if (chunk[pos] === LF) pos++
        nextCr = text !== undefined ? text.indexOf('\r', pos) : chunk.indexOf(CR, pos)
      }
      if (nextLf !== -1 && nextLf < pos) nextLf = text !== undefined ? text.indexOf('\n', pos) : chunk.indexOf(LF, pos)
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

  private endLine(chunk: Buffer, start: number, end: number): void {
    if (this.partialBytes === 0) return this.processLine(chunk, start, end)
    const length = this.partialBytes + end - start
    if (length > this.maxBytes) return this.fail('line', length)
    this.partial.push(chunk.subarray(start, end))
    const line = Buffer.concat(this.partial, length)
    this.partial = []
    this.partialBytes = 0
    this.processLine(line, 0, length)
  }

  private processLine(line: Buffer, start: number, end: number): void {
    if (start === end) return this.dispatch()
    const first = line[start]
    if (first === COLON) {
      const from = line[start + 1] === SPACE ? start + 2 : start + 1
      this.handlers.comment(this.text(line, Math.min(from, end), end))
      return
    }
    // The four field names that matter are at most 5 bytes, so the colon is only
    // looked for that far: a longer name is ignored whatever follows. (A native
    // indexOf would search to the end of the chunk, for every line.)
    const scanEnd = Math.min(end, start + MAX_NAME + 1)
    let colon = start
    while (colon < scanEnd && line[colon] !== COLON) colon++
    if (colon === scanEnd) {
      if (scanEnd < end) return
      colon = end
    }
    let valueStart = colon + 1
    if (valueStart < end && line[valueStart] === SPACE) valueStart++
    if (valueStart > end) valueStart = end
    const nameLength = colon - start
    // Field names compared as bytes: the four that matter are ASCII.
    if (nameLength === 4 && first === 0x64 && line[start + 1] === 0x61 && line[start + 2] === 0x74 && line[start + 3] === 0x61) return this.onData(line, valueStart, end)
    if (nameLength === 5 && first === 0x65 && line[start + 1] === 0x76 && line[start + 2] === 0x65 && line[start + 3] === 0x6e && line[start + 4] === 0x74) {
      this.type = this.text(line, valueStart, end)
      return
    }
    if (nameLength === 2 && first === 0x69 && line[start + 1] === 0x64) {
      for (let i = valueStart; i < end; i++) if (line[i] === NUL) return
      this.idBuffer = this.text(line, valueStart, end)
      return
    }
    if (nameLength === 5 && first === 0x72 && line[start + 1] === 0x65 && line[start + 2] === 0x74 && line[start + 3] === 0x72 && line[start + 4] === 0x79) this.onRetry(line, valueStart, end)
    // Any other field is ignored, as the spec says.
  }

  private onData(line: Buffer, start: number, end: number): void {
    this.dataBytes += end - start + (this.dataLines > 0 ? 1 : 0)
    if (this.dataBytes > this.maxBytes) return this.fail('event', this.dataBytes)
    const value = this.text(line, start, end)
    this.data = this.dataLines === 0 ? value : this.data + '\n' + value
    this.dataLines++
  }

  private text(line: Buffer, start: number, end: number): string {
    return line === this.chunk && this.chunkText !== undefined ? this.chunkText.slice(start, end) : line.toString('utf8', start, end)
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
    this.handlers.retry(ms)
  }

  private dispatch(): void {
    if (this.idBuffer !== this.lastId) {
      this.lastId = this.idBuffer
      this.handlers.lastEventId(this.lastId)
    }
    if (this.dataLines > 0) this.handlers.event(this.type === '' ? 'message' : this.type, this.data, this.lastId, this.blockRetry)
    this.resetEvent()
  }

  private resetEvent(): void {
    this.data = ''
    this.dataLines = 0
    this.dataBytes = 0
    this.type = ''
    this.blockRetry = undefined
  }

  private fail(what: 'line' | 'event', bytes: number): void {
    this.failed = true
    this.partial = []
    this.partialBytes = 0
    this.resetEvent()
    this.handlers.tooBig(what, bytes)
  }
}
