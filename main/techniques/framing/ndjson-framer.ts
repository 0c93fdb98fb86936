// Newline-delimited JSON (NDJSON, JSON Lines): each line is a message. A CR before
// the LF is dropped (servers on Windows stacks send CRLF), blank lines are skipped
// (keep-alive newlines), and a line that is not JSON is still a message — the
// technique says so, the framer does not judge.
import { DelimiterFramer } from './delimiter-framer.js'
import type { Framer } from './framer.js'

const LF = Buffer.from('\n')
const CR = 0x0d

export class NdjsonFramer implements Framer {
  private readonly lines = new DelimiterFramer(LF)
  readonly cutsAtAscii = true
  spanning = 0

  get buffered(): number {
    return this.lines.buffered
  }

  push(chunk: Buffer): Buffer[] {
    const lines = this.lines.push(chunk)
    this.spanning = 0
    let kept = 0
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i]!
      if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1)
      if (isBlank(line)) continue
      if (i < this.lines.spanning) this.spanning++
      lines[kept++] = line
    }
    lines.length = kept
    return lines
  }

  /** Only what is not whitespace counts as an unfinished line. */
  end(): { leftover: number } {
    const blank = isBlank(this.lines.unfinished())
    const { leftover } = this.lines.end()
    return { leftover: blank ? 0 : leftover }
  }
}

function isBlank(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) {
    const byte = line[i]!
    if (byte !== 0x20 && byte !== 0x09 && byte !== CR) return false
  }
  return true
}
