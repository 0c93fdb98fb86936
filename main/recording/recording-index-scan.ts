// Byte-level reading of one recording line without JSON.parse: the four common fields
// (seq, time, direction, kind) that the index keeps in columns, found in any key order.
// JSON.parse of a million lines would spend most of the 2 s open budget; this reads a
// line's first few dozen bytes. Anything unusual answers undefined, and the caller
// falls back to JSON.parse for that line alone.
import { FRAME_KINDS, FrameSchema } from '../contract/index.js'

export const DIRECTIONS = ['in', 'out', 'system'] as const

export interface LineFields {
  seq: number
  time: number
  kind: number
  direction: number
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COLON = 0x3a
const COMMA = 0x2c
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d

const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a

const KEY_SEQ = 1
const KEY_TIME = 2
const KEY_DIRECTION = 3
const KEY_KIND = 4

/** Which of the four fields the key at [start, end) names (0: none). */
function keyId(buf: Uint8Array, start: number, end: number): number {
  const length = end - start
  if (length === 3 && buf[start] === 0x73 && buf[start + 1] === 0x65 && buf[start + 2] === 0x71) return KEY_SEQ
  if (length === 4) {
    const a = buf[start], b = buf[start + 1], c = buf[start + 2], d = buf[start + 3]
    if (a === 0x74 && b === 0x69 && c === 0x6d && d === 0x65) return KEY_TIME
    if (a === 0x6b && b === 0x69 && c === 0x6e && d === 0x64) return KEY_KIND
  }
  if (length === 9 && wordCode(buf, start, end, DIRECTION_KEY) === 0) return KEY_DIRECTION
  return 0
}

const DIRECTION_KEY = [Buffer.from('direction', 'latin1')]

const KIND_CODES = new Map<string, number>(FRAME_KINDS.map((kind, i) => [kind, i]))
const DIRECTION_CODES = new Map<string, number>(DIRECTIONS.map((d, i) => [d, i]))
const KIND_WORDS = FRAME_KINDS.map((kind) => Buffer.from(kind, 'latin1'))
const DIRECTION_WORDS = DIRECTIONS.map((d) => Buffer.from(d, 'latin1'))

/** End of the string whose opening quote is at `start` (the index after its closing quote), or -1. */
function skipString(buf: Uint8Array, start: number, end: number): number {
  for (let i = start + 1; i < end; i++) {
    const b = buf[i]
    if (b === BACKSLASH) i++
    else if (b === QUOTE) return i + 1
  }
  return -1
}

/** End of the value starting at `start` (an object, array, string or scalar), or -1. */
function skipValue(buf: Uint8Array, start: number, end: number): number {
  const first = buf[start]
  if (first === QUOTE) return skipString(buf, start, end)
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0
    for (let i = start; i < end; i++) {
      const b = buf[i]
      if (b === QUOTE) {
        i = skipString(buf, i, end) - 1
        if (i < 0) return -1
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (--depth === 0) return i + 1
      }
    }
    return -1
  }
  let i = start
  while (i < end && buf[i] !== COMMA && buf[i] !== CLOSE_BRACE && !isSpace(buf[i]!)) i++
  return i
}

/** A JSON number as JSON.stringify writes it; integers (every seq) without making a string. */
function readNumber(buf: Buffer, start: number, end: number): number {
  if (end - start > 32 || end === start) return NaN
  let n = 0
  for (let i = start; i < end; i++) {
    const digit = buf[i]! - 0x30
    if (digit < 0 || digit > 9 || i - start > 14) return Number(buf.toString('latin1', start, end))
    n = n * 10 + digit
  }
  return n
}

/** Which of `words` the bytes [start, end) spell, or -1. */
function wordCode(buf: Uint8Array, start: number, end: number, words: readonly Uint8Array[]): number {
  const length = end - start
  outer: for (let w = 0; w < words.length; w++) {
    const word = words[w]!
    if (word.length !== length) continue
    for (let k = 0; k < length; k++) if (buf[start + k] !== word[k]) continue outer
    return w
  }
  return -1
}

/**
 * The four common fields of the frame line at [start, end), or undefined when the
 * line is not a plain one-object line or lacks one of them. Does not check the rest
 * of the line: reading a frame (`frameAt`) does that.
 */
export function scanLineFields(buf: Buffer, start: number, end: number): LineFields | undefined {
  while (end > start && isSpace(buf[end - 1]!)) end--
  if (buf[start] !== OPEN_BRACE || buf[end - 1] !== CLOSE_BRACE) return undefined
  let seq = NaN, time = NaN, kind = -1, direction = -1
  let found = 0
  let i = start + 1
  while (i < end) {
    while (i < end && isSpace(buf[i]!)) i++
    if (buf[i] !== QUOTE) return undefined
    const keyEnd = skipString(buf, i, end)
    if (keyEnd < 0) return undefined
    const key = keyId(buf, i + 1, keyEnd - 1)
    i = keyEnd
    while (i < end && isSpace(buf[i]!)) i++
    if (buf[i] !== COLON) return undefined
    i++
    while (i < end && isSpace(buf[i]!)) i++
    const valueEnd = skipValue(buf, i, end)
    if (valueEnd < 0) return undefined
    if (key === KEY_SEQ || key === KEY_TIME) {
      const n = readNumber(buf, i, valueEnd)
      if (key === KEY_SEQ) seq = n
      else time = n
      found |= 1 << key
    } else if (key === KEY_DIRECTION || key === KEY_KIND) {
      if (buf[i] !== QUOTE) return undefined
      const code = wordCode(buf, i + 1, valueEnd - 1, key === KEY_KIND ? KIND_WORDS : DIRECTION_WORDS)
      if (code < 0) return undefined
      if (key === KEY_KIND) kind = code
      else direction = code
      found |= 1 << key
    }
    if (found === 0b11110) break
    i = valueEnd
    while (i < end && isSpace(buf[i]!)) i++
    if (buf[i] === COMMA) i++
    else if (buf[i] === CLOSE_BRACE) break
    else return undefined
  }
  if (found !== 0b11110) return undefined
  if (!Number.isSafeInteger(seq) || seq < 1 || !(time >= 0)) return undefined
  return { seq, time, kind, direction }
}

/** The four fields of a frame object that JSON.parse read (the fallback path). */
export function fieldsOf(value: unknown): LineFields | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const frame = value as Record<string, unknown>
  const kind = typeof frame['kind'] === 'string' ? KIND_CODES.get(frame['kind']) : undefined
  const direction = typeof frame['direction'] === 'string' ? DIRECTION_CODES.get(frame['direction']) : undefined
  const seq = frame['seq'], time = frame['time']
  if (kind === undefined || direction === undefined || typeof seq !== 'number' || typeof time !== 'number') return undefined
  if (!Number.isSafeInteger(seq) || seq < 1 || !(time >= 0)) return undefined
  return { seq, time, kind, direction }
}

const EXCLUDED_KEYS = new Set(['seq', 'time', 'direction', 'kind'])

/** Every top-level field name of a frame, and the values every frame has. */
const FRAME_WORDS = [...new Set([...FrameSchema.options.flatMap((o) => Object.keys(o.shape)), ...FRAME_KINDS, ...DIRECTIONS])].map((w) => w.toLowerCase())

/**
 * Whether every place a plain (escaped, lower-cased) needle occurs in a frame line is
 * content, so the check of inContent can be skipped: it has no JSON punctuation (so
 * it cannot straddle two tokens), is not numeric (seq and time are numbers) and is
 * part of no field name nor of a kind or direction.
 */
export function alwaysContent(needle: string): boolean {
  if (needle === '' || /["{}[\],:]/.test(needle) || /^[-+0-9.e]+$/i.test(needle)) return false
  return !FRAME_WORDS.some((word) => word.includes(needle))
}

/**
 * Whether [from, to) of `text` lies within what a person reads in the frame line
 * that spans [start, end): inside one value (a string's content, a number, a nested
 * header name or value), not in a top-level key nor in the seq/time/direction/kind
 * that every frame has — so "time" or "message" do not match every line.
 */
export function inContent(text: string, start: number, end: number, from: number, to: number): boolean {
  let depth = 0
  let expectKey = false
  let excludedValue = false
  let i = start
  while (i < end && i <= from) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      let j = i + 1
      for (; j < end; j++) {
        const d = text.charCodeAt(j)
        if (d === BACKSLASH) j++
        else if (d === QUOTE) break
      }
      const isTopKey = depth === 1 && expectKey
      if (from > i && to <= j) return !isTopKey && !excludedValue
      if (isTopKey) excludedValue = EXCLUDED_KEYS.has(text.slice(i + 1, j))
      i = j + 1
      continue
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++
      expectKey = c === OPEN_BRACE && depth === 1
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--
    else if (c === COLON) expectKey = false
    else if (c === COMMA) {
      if (depth === 1) {
        expectKey = true
        excludedValue = false
      }
    } else if (!isSpace(c)) {
      // A scalar (number, true, false, null): the whole match must sit inside it.
      let j = i
      while (j < end) {
        const d = text.charCodeAt(j)
        if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isSpace(d)) break
        j++
      }
      if (from >= i && to <= j && to > from) return !excludedValue
      i = j
      continue
    }
    i++
  }
  return false
}
