// Hidden-iframe ("forever frame") streaming: the server keeps an HTML document open
// and pushes `<script>parent.push(PAYLOAD)</script>` blocks into it. A message is
// the argument text of the first call in a script; scripts without a call (a
// `document.domain = …` preamble, `src=` scripts) are not messages. Whitespace,
// attributes on the tag, any letter case and a cut anywhere — inside `<script`, an
// attribute, the payload or `</script>` — all give the same messages.
import { ByteWindow } from './byte-window.js'
import type { Framer } from './framer.js'

const LT = 0x3c
const GT = 0x3e
const SLASH = 0x2f
const OPEN_PAREN = 0x28
const CLOSE_PAREN = 0x29
const BACKSLASH = 0x5c
const NAME = Buffer.from('script')

type State = 'outside' | 'tag' | 'body' | 'end-tag'
type Match = 'yes' | 'no' | 'more'

export class ScriptFramer implements Framer {
  private readonly window = new ByteWindow()
  /** Messages are copies, never views of a chunk: each is checked on its own. */
  readonly cutsAtAscii = false
  readonly spanning = 0
  private state: State = 'outside'
  /** Where scanning resumes, as an offset into the window. */
  private scan = 0
  private bodyStart = 0
  /** The quote character of an attribute value being read, or 0. */
  private quote = 0

  /** From `<script` on, everything is part of a message not complete yet. */
  get buffered(): number {
    return this.state === 'tag' || this.state === 'body' ? this.window.length : 0
  }

  push(chunk: Buffer): Buffer[] {
    const window = this.window
    window.append(chunk)
    const messages: Buffer[] = []
    for (;;) {
      if (this.state === 'outside') {
        const at = window.indexOf(LT, this.scan)
        if (at < 0) {
          window.drop(window.length)
          this.scan = 0
          return messages
        }
        window.drop(at)
        const match = matchName(window, 1)
        if (match === 'more') {
          this.scan = 0
          return messages
        }
        if (match === 'no') {
          this.scan = 1
          continue
        }
        this.state = 'tag'
        this.scan = 1 + NAME.length
        this.quote = 0
      } else if (this.state === 'tag') {
        const end = this.tagEnd()
        if (end < 0) return messages
        this.state = 'body'
        this.bodyStart = this.scan = end + 1
      } else if (this.state === 'body') {
        const at = this.endTagStart()
        if (at < 0) return messages
        const argument = callArgument(window.view(this.bodyStart, at))
        if (argument) messages.push(Buffer.from(argument))
        window.drop(at)
        this.state = 'end-tag'
        this.scan = 2 + NAME.length
      } else {
        const end = window.indexOf(GT, this.scan)
        if (end < 0) {
          window.drop(window.length)
          this.scan = 0
          return messages
        }
        window.drop(end + 1)
        this.state = 'outside'
        this.scan = 0
      }
    }
  }

  end(): { leftover: number } {
    const leftover = this.buffered
    this.window.drop(this.window.length)
    this.state = 'outside'
    this.scan = 0
    return { leftover }
  }

  /** Offset of the `>` closing the opening tag (quoted values may hold one), or -1 for now. */
  private tagEnd(): number {
    const window = this.window
    for (let i = this.scan; i < window.length; i++) {
      const byte = window.at(i)
      if (this.quote !== 0) {
        if (byte === this.quote) this.quote = 0
      } else if (byte === 0x22 || byte === 0x27) {
        this.quote = byte
      } else if (byte === GT) {
        return i
      }
    }
    this.scan = window.length
    return -1
  }

  /** Offset of the `</script` that ends the body, or -1 (scanning resumes where a cut one may begin). */
  private endTagStart(): number {
    const window = this.window
    for (let at = window.indexOf(LT, this.scan); at >= 0; at = window.indexOf(LT, at + 1)) {
      const slash = window.at(at + 1)
      if (slash === -1) {
        this.scan = at
        return -1
      }
      if (slash !== SLASH) continue
      const match = matchName(window, at + 2)
      if (match === 'yes') return at
      if (match === 'more') {
        this.scan = at
        return -1
      }
    }
    this.scan = window.length
    return -1
  }
}

/** Whether `script` (any case) followed by whitespace, `/` or `>` starts at `offset`. */
function matchName(window: ByteWindow, offset: number): Match {
  for (let i = 0; i < NAME.length; i++) {
    const byte = window.at(offset + i)
    if (byte === -1) return 'more'
    if ((byte | 0x20) !== NAME[i]) return 'no'
  }
  const after = window.at(offset + NAME.length)
  if (after === -1) return 'more'
  return after === GT || after === SLASH || isSpace(after) ? 'yes' : 'no'
}

/**
 * The argument text of the first call in a script body: from its `(` to the
 * matching `)`, skipping parentheses inside string literals. Undefined when the
 * script calls nothing.
 */
export function callArgument(body: Buffer): Buffer | undefined {
  const open = body.indexOf(OPEN_PAREN)
  if (open < 0) return undefined
  let depth = 0
  let quote = 0
  for (let i = open; i < body.length; i++) {
    const byte = body[i]!
    if (quote !== 0) {
      if (byte === BACKSLASH) i++
      else if (byte === quote) quote = 0
    } else if (byte === 0x22 || byte === 0x27 || byte === 0x60) {
      quote = byte
    } else if (byte === OPEN_PAREN) {
      depth++
    } else if (byte === CLOSE_PAREN && --depth === 0) {
      return trim(body.subarray(open + 1, i))
    }
  }
  // Unbalanced (a broken payload): up to the last `)`, so nothing is silently lost.
  const close = body.lastIndexOf(CLOSE_PAREN)
  return trim(body.subarray(open + 1, close > open ? close : body.length))
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0c || byte === 0x0d
}

function trim(bytes: Buffer): Buffer {
  let start = 0
  let end = bytes.length
  while (start < end && isSpace(bytes[start]!)) start++
  while (end > start && isSpace(bytes[end - 1]!)) end--
  return bytes.subarray(start, end)
}
