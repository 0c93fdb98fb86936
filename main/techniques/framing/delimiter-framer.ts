// Messages that end with a delimiter of one or more bytes. A message that lies
// inside one chunk is a view of that chunk (no copy); only the unfinished tail of
// a chunk is copied aside until its delimiter arrives, even one split across chunks.
import type { Framer } from './framer.js'
import { PendingBytes } from './pending-bytes.js'

export class DelimiterFramer implements Framer {
  private readonly pending = new PendingBytes()
  readonly cutsAtAscii: boolean
  spanning = 0
  /** A one-byte delimiter is searched for as a byte: much faster than as a buffer. */
  private readonly needle: Buffer | number

  constructor(private readonly delimiter: Buffer) {
    if (delimiter.length === 0) throw new RangeError('a delimiter needs at least one byte')
    this.cutsAtAscii = delimiter.every((byte) => byte < 0x80)
    this.needle = delimiter.length === 1 ? delimiter[0]! : delimiter
  }

  get buffered(): number {
    return this.pending.length
  }

  push(chunk: Buffer): Buffer[] {
    const messages: Buffer[] = []
    const delimiter = this.delimiter
    let from = 0
    this.spanning = 0
    if (this.pending.length > 0) {
      const inPending = this.delimiterStartInPending(chunk)
      if (inPending > 0) {
        this.spanning = 1
        messages.push(this.pending.take(inPending))
        from = delimiter.length - inPending
      } else {
        const at = chunk.indexOf(this.needle)
        if (at < 0) {
          this.pending.push(chunk)
          return messages
        }
        this.spanning = 1
        messages.push(this.pending.takeWith(chunk.subarray(0, at)))
        from = at + delimiter.length
      }
    }
    const needle = this.needle
    for (let at = chunk.indexOf(needle, from); at >= 0; at = chunk.indexOf(needle, from)) {
      messages.push(chunk.subarray(from, at))
      from = at + delimiter.length
    }
    if (from < chunk.length) this.pending.push(chunk.subarray(from))
    return messages
  }

  /** The bytes of the unfinished message, valid until the next push. */
  unfinished(): Buffer {
    return this.pending.peek()
  }

  end(): { leftover: number } {
    const leftover = this.pending.length
    this.pending.clear()
    return { leftover }
  }

  /**
   * How many bytes of a delimiter that `chunk` completes lie at the end of the
   * pending bytes (0 when none). Pending bytes never hold a whole delimiter, so
   * the earliest possible match is the one with the most bytes in them.
   */
  private delimiterStartInPending(chunk: Buffer): number {
    const delimiter = this.delimiter
    for (let held = Math.min(delimiter.length - 1, this.pending.length); held > 0; held--) {
      const rest = delimiter.length - held
      if (chunk.length < rest) continue
      let matches = true
      for (let i = 0; i < held && matches; i++) matches = this.pending.byteFromEnd(held - i) === delimiter[i]
      for (let i = 0; i < rest && matches; i++) matches = chunk[i] === delimiter[held + i]
      if (matches) return held
    }
    return 0
  }
}
