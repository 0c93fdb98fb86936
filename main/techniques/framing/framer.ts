// A framer cuts a byte stream into messages. It is fed the body as it arrives, so
// it must find the same messages wherever the chunks happen to be cut: a chunk
// boundary is an accident of the network, never a message boundary.

export interface Framer {
  /** Feed the next bytes; returns the messages they completed (possibly none). */
  push(chunk: Buffer): Buffer[]
  /** The body ended: how many bytes of an unfinished message were left over. */
  end(): { leftover: number }
  /** Bytes held for a message not complete yet; the caller bounds this. */
  readonly buffered: number
  /**
   * Messages are cut only at ASCII bytes, so a message lying inside one chunk of
   * valid UTF-8 is valid UTF-8 too and need not be checked again.
   */
  readonly cutsAtAscii: boolean
  /**
   * How many of the messages the last push returned, from the first, were put
   * together from earlier chunks; the others are views of that push's chunk.
   */
  readonly spanning: number
}
