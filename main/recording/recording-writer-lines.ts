// Frames as recording lines, written straight into a byte buffer. A recording holds
// every frame, also the hundreds of thousands a second a flood brings, so the hot
// kinds (incoming messages, raw chunks, SSE events) are encoded here without a frame
// object, a JSON.stringify or an intermediate string each: short ASCII payloads are
// escaped byte by byte, numbers written as digits. Every line is byte-for-byte what
// JSON.stringify gives for the frame the session materialises (same keys, same
// order), so a recording reads exactly like `rti connect --json` — except for the
// secrets a request repeats (recording-writer-redact.ts).
import { isUtf8 } from 'node:buffer'
import type { Frame, FrameBody } from '../contract/index.js'
import { messageFrame } from '../frames/message-frame.js'
import { redactFrameBody } from './recording-writer-redact.js'

/**
 * Payloads up to this long are escaped here, byte by byte; longer ones go through
 * V8's JSON.stringify, which costs more per call but less per byte.
 */
const SHORT_PAYLOAD = 256
/** Room for a line's fixed parts: keys, seq, time, size, retry. */
const LINE_OVERHEAD = 160

const bytes = (text: string) => Buffer.from(text, 'latin1')
const MESSAGE_TEXT = bytes('{"kind":"message","direction":"in","data":')
const SIZE = bytes(',"size":')
const CHUNK_SIZE = bytes('{"kind":"chunk","direction":"in","size":')
const DATA = bytes(',"data":')
const EVENT = bytes('{"kind":"event","direction":"in","event":')
const ID = bytes(',"id":')
const RETRY = bytes(',"retry":')
const SEQ = bytes(',"seq":')
const TIME = bytes(',"time":')

const QUOTE = 0x22
const BACKSLASH = 0x5c
const HEX = bytes('0123456789abcdef')
/** JSON.stringify's short escapes: \b \t \n \f \r. */
const SHORT_ESCAPES: Record<number, number> = { 8: 0x62, 9: 0x74, 10: 0x6e, 12: 0x66, 13: 0x72 }

/**
 * Recording lines, appended into buffers of `chunkBytes` and taken out in bulk for
 * the disk. Each append returns the line's length in bytes; the newest line can be
 * dropped again (`drop`) as long as nothing was taken since.
 */
export class LineBuffer {
  private buffer: Buffer
  private offset = 0
  /** Where the bytes not yet taken start in `buffer`. */
  private taken = 0
  /** Full buffers not yet taken. */
  private full: Buffer[] = []
  private fullBytes = 0

  /** The current buffer, read four bytes at a time to check payloads for what JSON must escape. */
  private view: DataView

  constructor(private readonly chunkBytes = 256 * 1024) {
    this.buffer = Buffer.allocUnsafe(chunkBytes)
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.length)
  }

  /** Bytes appended and not yet taken. */
  get length(): number {
    return this.fullBytes + this.offset - this.taken
  }

  /** Everything appended since the last take, in order. Buffers are never written over once taken. */
  take(): Buffer[] {
    const out = this.full
    if (this.offset > this.taken) out.push(this.buffer.subarray(this.taken, this.offset))
    this.taken = this.offset
    this.full = []
    this.fullBytes = 0
    return out
  }

  /** Takes back the newest `bytes` (one line just appended). */
  drop(bytes: number): void {
    this.offset -= bytes
  }

  /** An incoming message, as `messageFrame` makes it. */
  message(data: Buffer, binary: boolean, seq: number, time: number): number {
    const n = data.length
    if (binary) return this.text(JSON.stringify(messageFrame(data, binary, seq, time)) + '\n')
    // Most text is plain ASCII with nothing to escape: copied natively, then checked
    // where it landed (a byte loop that copies and checks cost three times as much).
    let start = this.reserve(LINE_OVERHEAD + n)
    let b = this.buffer
    b.set(MESSAGE_TEXT, start)
    let o = start + MESSAGE_TEXT.length
    b[o] = QUOTE
    b.set(data, o + 1)
    if (plainAscii(b, this.view, o + 1, n)) {
      o += n + 1
      b[o++] = QUOTE
    } else if (n <= SHORT_PAYLOAD) {
      start = this.reserve(LINE_OVERHEAD + n * 6)
      b = this.buffer
      b.set(MESSAGE_TEXT, start)
      o = jsonBytes(b, start + MESSAGE_TEXT.length, data)
    } else {
      return this.text(JSON.stringify(messageFrame(data, binary, seq, time)) + '\n')
    }
    o = put(b, o, SIZE)
    o = uint(b, o, n)
    this.offset = end(b, o, seq, time)
    return this.offset - start
  }

  /** A raw chunk: `text` when it is valid UTF-8, else its bytes in base64. */
  chunk(data: Buffer, text: string | undefined, seq: number, time: number): number {
    if (text !== undefined && text.length > SHORT_PAYLOAD && text.length === data.length) {
      // Chunks are long: an ASCII one (as many bytes as characters) is copied natively
      // and checked where it landed, like a message.
      const start = this.reserve(LINE_OVERHEAD + data.length)
      const b = this.buffer
      b.set(CHUNK_SIZE, start)
      let o = uint(b, start + CHUNK_SIZE.length, data.length)
      o = put(b, o, DATA)
      b[o] = QUOTE
      b.set(data, o + 1)
      if (plainAscii(b, this.view, o + 1, data.length)) {
        o += data.length + 1
        b[o++] = QUOTE
        this.offset = end(b, o, seq, time)
        return this.offset - start
      }
    }
    if (text === undefined || text.length > SHORT_PAYLOAD) {
      const frame = text !== undefined
        ? { kind: 'chunk', direction: 'in', size: data.length, data: text, seq, time }
        : { kind: 'chunk', direction: 'in', size: data.length, dataBase64: data.toString('base64'), binary: true, seq, time }
      return this.text(JSON.stringify(frame) + '\n')
    }
    const start = this.reserve(LINE_OVERHEAD + text.length * 6)
    const b = this.buffer
    b.set(CHUNK_SIZE, start)
    let o = start + CHUNK_SIZE.length
    o = uint(b, o, data.length)
    o = put(b, o, DATA)
    o = jsonString(b, o, text)
    this.offset = end(b, o, seq, time)
    return this.offset - start
  }

  /** An SSE event, keys in the order the session's event frames have them. */
  event(type: string, data: string, id: string, retry: number | undefined, seq: number, time: number): number {
    if (type.length > SHORT_PAYLOAD || data.length > SHORT_PAYLOAD || id.length > SHORT_PAYLOAD) {
      const frame = retry === undefined
        ? { kind: 'event', direction: 'in', event: type, data, id, seq, time }
        : { kind: 'event', direction: 'in', event: type, data, id, retry, seq, time }
      return this.text(JSON.stringify(frame) + '\n')
    }
    const start = this.reserve(LINE_OVERHEAD + (type.length + data.length + id.length) * 6)
    const b = this.buffer
    b.set(EVENT, start)
    let o = start + EVENT.length
    o = jsonString(b, o, type)
    o = put(b, o, DATA)
    o = jsonString(b, o, data)
    o = put(b, o, ID)
    o = jsonString(b, o, id)
    if (retry !== undefined) {
      o = put(b, o, RETRY)
      o = number(b, o, retry)
    }
    this.offset = end(b, o, seq, time)
    return this.offset - start
  }

  /**
   * Any frame from its body: the body's keys, then seq and time, as the session's
   * frame objects have them — with the secrets a request or handshake repeats redacted.
   */
  body(body: FrameBody, seq: number, time: number): number {
    const frame = Object.assign({}, redactFrameBody(body)) as Frame
    frame.seq = seq
    frame.time = time
    return this.text(JSON.stringify(frame) + '\n')
  }

  /** Complete lines of text, newline included. */
  text(lines: string): number {
    const size = Buffer.byteLength(lines)
    const start = this.reserve(size)
    this.offset = start + this.buffer.write(lines, start, size, 'utf8')
    return size
  }

  /** Room for `bound` more bytes in the current buffer; returns where they go. */
  private reserve(bound: number): number {
    if (this.offset + bound > this.buffer.length) {
      if (this.offset > this.taken) {
        this.full.push(this.buffer.subarray(this.taken, this.offset))
        this.fullBytes += this.offset - this.taken
      }
      this.buffer = Buffer.allocUnsafe(Math.max(this.chunkBytes, bound))
      this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.length)
      this.offset = this.taken = 0
    }
    return this.offset
  }
}

function put(b: Buffer, o: number, constant: Buffer): number {
  for (let i = 0; i < constant.length; i++) b[o + i] = constant[i]!
  return o + constant.length
}

/** seq and time, then the line's end. */
function end(b: Buffer, o: number, seq: number, time: number): number {
  o = put(b, o, SEQ)
  o = uint(b, o, seq)
  o = put(b, o, TIME)
  o = number(b, o, time)
  b[o++] = 0x7d // }
  b[o++] = 0x0a
  return o
}

/** A non-negative safe integer, as JSON.stringify writes it. */
function uint(b: Buffer, o: number, n: number): number {
  if (n < 10) {
    b[o] = 48 + n
    return o + 1
  }
  // Integer division where the value fits in 31 bits: a float division and floor cost more.
  const small = n < 0x7fffffff
  let digits = 1
  for (let m = n; m >= 10; m = small ? (m / 10) | 0 : Math.floor(m / 10)) digits++
  const after = o + digits
  let p = after
  while (n > 0) {
    const q = small ? (n / 10) | 0 : Math.floor(n / 10)
    b[--p] = 48 + (n - q * 10)
    n = q
  }
  return after
}

/**
 * The digits of the last whole millisecond written: a flood stamps hundreds of frames
 * in the same millisecond, and its 13 digits cost more than the rest of a time.
 */
const msDigits = Buffer.alloc(32)
let msCached = -1
let msLength = 0

function millis(b: Buffer, o: number, ms: number): number {
  if (ms !== msCached) {
    msLength = uint(msDigits, 0, ms)
    msCached = ms
  }
  for (let i = 0; i < msLength; i++) b[o + i] = msDigits[i]!
  return o + msLength
}

/** Below this, a time in whole microseconds stays exact times 1000 (2^53 / 1000). */
const EXACT_MICROS = 9e12

/**
 * A number as JSON.stringify writes it. Session times are whole microseconds (the
 * clock rounds them), which this writes as digits, far faster than a general
 * number-to-string: for such a value, "<ms>.<up to 3 digits>" is exactly its
 * shortest round-trip form, because a double there is finer than 0.001.
 */
function number(b: Buffer, o: number, value: number): number {
  if (value >= 0 && value < EXACT_MICROS) {
    const micros = Math.round(value * 1000)
    if (micros / 1000 === value) {
      const ms = Math.floor(value)
      o = millis(b, o, ms)
      const fraction = micros - ms * 1000
      if (fraction !== 0) {
        b[o++] = 0x2e // .
        const d1 = Math.floor(fraction / 100)
        const d2 = Math.floor(fraction / 10) % 10
        const d3 = fraction % 10
        b[o++] = 48 + d1
        if (d2 !== 0 || d3 !== 0) b[o++] = 48 + d2
        if (d3 !== 0) b[o++] = 48 + d3
      }
      return o
    }
  }
  return o + b.write(JSON.stringify(value), o, 'latin1')
}

/**
 * No byte in b[start, start + n) that JSON escapes (quote, backslash, below 0x20) or
 * that is not ASCII. Four bytes at a time, with the usual word tricks: a byte
 * below 0x20 borrows in `x - 0x20202020`, a byte equal to q becomes 0 in `x ^ qqqq`.
 */
function plainAscii(b: Buffer, view: DataView, start: number, n: number): boolean {
  let k = 0
  for (; k + 4 <= n; k += 4) {
    const x = view.getUint32(start + k)
    if ((x & 0x80808080) !== 0) return false
    if (((x - 0x20202020) & ~x & 0x80808080) !== 0) return false
    const quote = x ^ 0x22222222
    if (((quote - 0x01010101) & ~quote & 0x80808080) !== 0) return false
    const backslash = x ^ 0x5c5c5c5c
    if (((backslash - 0x01010101) & ~backslash & 0x80808080) !== 0) return false
  }
  for (; k < n; k++) {
    const c = b[start + k]!
    if (c < 0x20 || c === QUOTE || c === BACKSLASH || c >= 0x80) return false
  }
  return true
}

function escape(b: Buffer, o: number, c: number): number {
  b[o++] = BACKSLASH
  if (c === QUOTE || c === BACKSLASH) {
    b[o++] = c
    return o
  }
  const short = SHORT_ESCAPES[c]
  if (short !== undefined) {
    b[o++] = short
    return o
  }
  b[o++] = 0x75 // u
  b[o++] = 48
  b[o++] = 48
  b[o++] = HEX[c >> 4]!
  b[o++] = HEX[c & 15]!
  return o
}

/**
 * UTF-8 bytes as the JSON string of `data.toString('utf8')`, escaped here; bytes that
 * are not valid UTF-8 (which toString replaces with U+FFFD) and long payloads take
 * the string route.
 */
function jsonBytes(b: Buffer, o: number, data: Buffer): number {
  const n = data.length
  if (n <= SHORT_PAYLOAD) {
    const start = o
    let high = false
    b[o++] = QUOTE
    for (let i = 0; i < n; i++) {
      const c = data[i]!
      if (c >= 0x20 && c !== QUOTE && c !== BACKSLASH) {
        if (c >= 0x80) high = true
        b[o++] = c
      } else {
        o = escape(b, o, c)
      }
    }
    b[o++] = QUOTE
    if (!high || isUtf8(data)) return o
    o = start
  }
  return o + b.write(JSON.stringify(data.toString('utf8')), o, 'utf8')
}

/** A string as JSON.stringify writes it: short ASCII ones here, the rest by V8. */
function jsonString(b: Buffer, o: number, text: string): number {
  const n = text.length
  if (n <= SHORT_PAYLOAD) {
    const start = o
    b[o++] = QUOTE
    let i = 0
    for (; i < n; i++) {
      const c = text.charCodeAt(i)
      if (c >= 0x80) break
      if (c >= 0x20 && c !== QUOTE && c !== BACKSLASH) b[o++] = c
      else o = escape(b, o, c)
    }
    if (i === n) {
      b[o++] = QUOTE
      return o
    }
    o = start
  }
  return o + b.write(JSON.stringify(text), o, 'utf8')
}
