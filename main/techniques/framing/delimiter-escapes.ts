// The delimiter is typed by a person, so control bytes come as escapes: \n, \r,
// \t, \0, \\, \xHH (one byte, also 0x80-0xff for binary protocols), \uHHHH and
// \u{H…} (a character, as UTF-8). Anything else stands for itself, as UTF-8.

export type DecodedDelimiter = { ok: true; bytes: Buffer } | { ok: false; problem: string }

const SIMPLE: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, '0': 0x00, '\\': 0x5c }

export function decodeDelimiter(text: string): DecodedDelimiter {
  const bytes: number[] = []
  const pushText = (part: string) => bytes.push(...Buffer.from(part, 'utf8'))
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (char !== '\\') {
      // Keep surrogate pairs together so an emoji becomes its 4 UTF-8 bytes.
      const codePoint = text.codePointAt(i)!
      const whole = String.fromCodePoint(codePoint)
      pushText(whole)
      i += whole.length - 1
      continue
    }
    const kind = text[i + 1]
    if (kind === undefined) return { ok: false, problem: 'the delimiter ends with a lone backslash (write \\\\ for a backslash)' }
    if (kind in SIMPLE) {
      bytes.push(SIMPLE[kind]!)
      i++
      continue
    }
    if (kind === 'x') {
      const hex = /^[0-9a-fA-F]{2}/.exec(text.slice(i + 2))
      if (!hex) return { ok: false, problem: `\\x needs two hex digits at position ${i}` }
      bytes.push(parseInt(hex[0], 16))
      i += 3
      continue
    }
    if (kind === 'u') {
      const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(text.slice(i + 2))
      const plain = /^[0-9a-fA-F]{4}/.exec(text.slice(i + 2))
      const digits = braced ? braced[1]! : plain?.[0]
      const codePoint = digits === undefined ? NaN : parseInt(digits, 16)
      if (!(codePoint <= 0x10ffff)) return { ok: false, problem: `\\u needs four hex digits or {…} with a code point up to 10FFFF at position ${i}` }
      pushText(String.fromCodePoint(codePoint))
      i += 1 + (braced ? braced[0].length : 4)
      continue
    }
    return { ok: false, problem: `unknown escape \\${kind} at position ${i} (known: \\n \\r \\t \\0 \\\\ \\xHH \\uHHHH \\u{…})` }
  }
  if (bytes.length === 0) return { ok: false, problem: 'the delimiter is empty' }
  return { ok: true, bytes: Buffer.from(bytes) }
}
