// What the composer's text becomes on the wire, per encoding. Pure functions, so the
// composer can check the input as it is typed and tests can pin every message.
import { applyEdits, format, parse, printParseErrorCode, type ParseError } from 'jsonc-parser'
import type { OutgoingMessageInput } from '@contract'

export const ENCODINGS = ['text', 'json', 'hex', 'base64'] as const
export type Encoding = (typeof ENCODINGS)[number]

export const ENCODING_LABELS: Record<Encoding, string> = { text: 'Text', json: 'JSON', hex: 'Hex', base64: 'Base64' }

/** The engine's own limits (OutgoingMessageSchema): checked here so a send is not refused after the round trip. */
const MAX_TEXT_CHARS = 64 * 1024 * 1024
const MAX_BASE64_CHARS = 90 * 1024 * 1024

/** Control frames carry at most 125 bytes (RFC 6455 §5.5); a close spends 2 of them on the code. */
export const MAX_PING_BYTES = 125
export const MAX_CLOSE_REASON_BYTES = 123

export type Payload =
  | { ok: true; message: OutgoingMessageInput; bytes: number }
  | { ok: false; problem: string }

const encoder = new TextEncoder()
export const utf8Length = (text: string): number => encoder.encode(text).length

/** The composer's text as a message in the chosen encoding, or why it cannot be sent. */
export function toMessage(encoding: Encoding, body: string): Payload {
  switch (encoding) {
    case 'text':
      return textMessage(body)
    case 'json': {
      const problem = jsonProblem(body)
      return problem ? { ok: false, problem } : textMessage(body)
    }
    case 'hex':
      return hexMessage(body)
    case 'base64':
      return base64Message(body)
  }
}

function textMessage(body: string): Payload {
  if (body.length > MAX_TEXT_CHARS) return { ok: false, problem: 'longer than the 64 MiB a message may have' }
  return { ok: true, message: { type: 'text', data: body }, bytes: utf8Length(body) }
}

// ---- JSON ----

const JSON_ERROR_WORDS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected text after the value',
  InvalidCommentToken: 'comments are not JSON',
  UnexpectedEndOfComment: 'comments are not JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'malformed number',
  InvalidUnicode: 'bad \\u escape',
  InvalidEscapeCharacter: 'bad escape in a string',
  InvalidCharacter: 'control character in a string (escape it)',
}

/**
 * Why the text is not JSON, with the line and column to look at; undefined when it is.
 * JSON.parse decides (it is what a receiver runs); jsonc-parser only says where,
 * because JSON.parse's messages carry no position in every engine.
 */
export function jsonProblem(body: string): string | undefined {
  if (body.trim() === '') return 'empty — type a JSON value'
  try {
    JSON.parse(body)
    return undefined
  } catch (error) {
    const errors: ParseError[] = []
    parse(body, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false })
    const first = errors[0]
    if (!first) return (error as Error).message
    const code = printParseErrorCode(first.error)
    const { line, column } = lineAndColumn(body, first.offset)
    return `line ${line}, column ${column}: ${JSON_ERROR_WORDS[code] ?? code}`
  }
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return { line, column: offset - lineStart + 1 }
}

/**
 * Pretty-printed JSON, changing whitespace only: numbers like 12345678901234567890
 * keep every digit, which JSON.stringify(JSON.parse()) would not. Undefined when invalid.
 */
export function formatJson(body: string): string | undefined {
  if (jsonProblem(body)) return undefined
  return applyEdits(body, format(body, undefined, { tabSize: 2, insertSpaces: true, eol: '\n' }))
}

// ---- binary ----

const WHITESPACE = /\s+/g

export function hexMessage(body: string): Payload {
  const digits = body.replace(WHITESPACE, '')
  const bad = /[^0-9a-fA-F]/.exec(digits)
  if (bad) return { ok: false, problem: `"${bad[0]}" is not a hex digit (0–9, a–f; spaces and new lines are fine)` }
  if (digits.length % 2 === 1) return { ok: false, problem: `odd number of hex digits (${digits.length}): each byte takes two` }
  const bytes = new Uint8Array(digits.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16)
  return binary(bytesToBase64(bytes), bytes.length)
}

export function base64Message(body: string): Payload {
  const text = body.replace(WHITESPACE, '')
  const bad = /[^A-Za-z0-9+/=]/.exec(text)
  if (bad) return { ok: false, problem: `"${bad[0]}" is not a base64 character (A–Z, a–z, 0–9, +, /)` }
  const firstPad = text.indexOf('=')
  if (firstPad !== -1 && !/^={1,2}$/.test(text.slice(firstPad))) return { ok: false, problem: '"=" padding only goes at the end, at most twice' }
  const data = firstPad === -1 ? text.length : firstPad
  if (data % 4 === 1) return { ok: false, problem: 'one character too many or too few: not a whole number of bytes' }
  if (firstPad !== -1 && text.length % 4 !== 0) return { ok: false, problem: 'padded base64 comes in groups of 4 characters' }
  return binary(text, Math.floor((data * 3) / 4))
}

function binary(base64: string, bytes: number): Payload {
  if (base64.length > MAX_BASE64_CHARS) return { ok: false, problem: 'larger than the 64 MiB a message may have' }
  return { ok: true, message: { type: 'binary', base64 }, bytes }
}

export function bytesToBase64(bytes: Uint8Array): string {
  // btoa takes a "binary string"; build it in slices so big payloads do not overflow the call stack.
  let binaryText = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binaryText += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binaryText)
}
