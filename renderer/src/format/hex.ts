// Bytes for the detail pane: decoding payloads and laying them out as a hex dump.
// Pure functions, so the dump's exact lines can be pinned by tests.

/** Bytes per hex dump line, shown as two groups of eight. */
export const HEX_LINE_BYTES = 16
/** Bytes per group within a line. */
const GROUP = 8

const UTF8 = new TextEncoder()

/** The UTF-8 bytes of a text payload: what went over the wire for a text frame. */
export function utf8Bytes(text: string): Uint8Array {
  return UTF8.encode(text)
}

/** Bytes of a base64 payload; undefined when it is not base64 at all. */
export function base64ToBytes(base64: string): Uint8Array | undefined {
  let raw: string
  try {
    raw = atob(base64)
  } catch {
    return undefined
  }
  const bytes = new Uint8Array(raw.length)
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i)
  return bytes
}

/** How many bytes a base64 string carries, without decoding it. */
export function base64ByteLength(base64: string): number {
  const body = base64.replace(/=+$/, '')
  return Math.floor((body.length * 3) / 4)
}

/** The text of the bytes if they are valid UTF-8, else undefined (so binary is not shown as mojibake). */
export function utf8TextOf(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

export interface HexLine {
  /** Offset of the line's first byte, 8 hex digits. */
  offset: string
  /** The line's bytes as hex pairs in groups of eight; a short last line is padded so columns align. */
  hex: string
  /** The same bytes as ASCII, '.' for anything that is not printable. */
  ascii: string
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'))
const printable = (b: number) => b >= 0x20 && b < 0x7f

/** One dump line for the bytes starting at `offset` (a multiple of `perLine` in a dump). */
export function hexLine(bytes: Uint8Array, offset: number, perLine = HEX_LINE_BYTES): HexLine {
  const end = Math.min(offset + perLine, bytes.length)
  let hex = ''
  let ascii = ''
  for (let i = 0; i < perLine; i++) {
    const at = offset + i
    if (i > 0) hex += i % GROUP === 0 ? '  ' : ' '
    if (at < end) {
      const b = bytes[at]!
      hex += HEX_PAIRS[b]
      ascii += printable(b) ? String.fromCharCode(b) : '.'
    } else {
      hex += '  '
    }
  }
  return { offset: offset.toString(16).padStart(8, '0'), hex, ascii }
}

/** Dump lines for bytes [from, to), both rounded to whole lines of `perLine` bytes. */
export function hexLines(bytes: Uint8Array, from = 0, to = bytes.length, perLine = HEX_LINE_BYTES): HexLine[] {
  const lines: HexLine[] = []
  const start = from - (from % perLine)
  const end = Math.min(to, bytes.length)
  for (let offset = start; offset < end; offset += perLine) lines.push(hexLine(bytes, offset, perLine))
  return lines
}

/** Characters one dump line takes: offset, hex pairs with their group gaps, ASCII. */
export function hexLineChars(perLine = HEX_LINE_BYTES): number {
  return 8 + (perLine * 3 - 1 + (Math.ceil(perLine / GROUP) - 1)) + perLine
}

/** A whole dump as text, one line per 16 bytes, the way `hexdump -C` reads. */
export function hexDumpText(bytes: Uint8Array, to = bytes.length): string {
  return hexLines(bytes, 0, to)
    .map((line) => `${line.offset}  ${line.hex}  |${line.ascii}|`)
    .join('\n')
}
