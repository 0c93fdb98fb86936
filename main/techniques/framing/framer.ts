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
}
