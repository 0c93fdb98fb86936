// A growing window over the bytes a parser has not finished with: append at the
// end, drop from the front. Appending copies (so chunks are not pinned) into a
// buffer that doubles, which keeps a stream of one-byte writes linear.

const INITIAL_CAPACITY = 1024

export class ByteWindow {
  private buffer = Buffer.alloc(0)
  private start = 0
  private end = 0

  get length(): number {
    return this.end - this.start
  }

  append(bytes: Buffer): void {
    if (bytes.length === 0) return
    if (this.end + bytes.length > this.buffer.length) {
      const live = this.length
      const needed = live + bytes.length
      // Room enough after compaction: move down instead of growing.
      const target = needed <= this.buffer.length / 2 ? this.buffer : Buffer.allocUnsafe(Math.max(INITIAL_CAPACITY, needed * 2))
      this.buffer.copy(target, 0, this.start, this.end)
      this.buffer = target
      this.start = 0
      this.end = live
    }
    bytes.copy(this.buffer, this.end)
    this.end += bytes.length
  }

  /** The byte at `offset` from the front, or -1 past the end. */
  at(offset: number): number {
    const index = this.start + offset
    return index < this.end ? this.buffer[index]! : -1
  }

  /** Offset of the first `byte` at or after `from`, or -1. */
  indexOf(byte: number, from: number): number {
    if (from >= this.length) return -1
    const index = this.buffer.indexOf(byte, this.start + from)
    return index < 0 || index >= this.end ? -1 : index - this.start
  }

  /** A view of [from, to); valid until the next append. */
  view(from: number, to: number): Buffer {
    return this.buffer.subarray(this.start + from, this.start + to)
  }

  drop(count: number): void {
    this.start = Math.min(this.end, this.start + count)
    if (this.start === this.end) this.start = this.end = 0
  }
}
