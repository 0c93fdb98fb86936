// The bytes of a message whose end has not arrived yet. They are copied into one
// buffer that grows by doubling: keeping the pieces instead would cost an object
// per piece, and a server writing one byte at a time would make millions of them.

const INITIAL_CAPACITY = 256

export class PendingBytes {
  private buffer: Buffer | undefined
  private size = 0

  get length(): number {
    return this.size
  }

  push(bytes: Buffer): void {
    if (bytes.length === 0) return
    const needed = this.size + bytes.length
    if (!this.buffer || needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(INITIAL_CAPACITY, needed, this.size * 2))
      this.buffer?.copy(grown, 0, 0, this.size)
      this.buffer = grown
    }
    bytes.copy(this.buffer, this.size)
    this.size = needed
  }

  /** The byte `fromEnd` places before the end (1 = the last one). */
  byteFromEnd(fromEnd: number): number {
    return this.buffer![this.size - fromEnd]!
  }

  /**
   * Everything held except the last `drop` bytes; empties the holder. The buffer is
   * handed over, not reused, so the result stays valid.
   */
  take(drop = 0): Buffer {
    const taken = this.buffer ? this.buffer.subarray(0, this.size - drop) : Buffer.alloc(0)
    this.clear()
    return taken
  }

  /** Everything held followed by `more`, in one buffer; empties the holder. */
  takeWith(more: Buffer): Buffer {
    this.push(more)
    return this.take()
  }

  /** A view of what is held, valid until the next push. */
  peek(): Buffer {
    return this.buffer ? this.buffer.subarray(0, this.size) : Buffer.alloc(0)
  }

  clear(): void {
    this.buffer = undefined
    this.size = 0
  }
}
