// Decoders read bytes from servers the user does not control: a parser's exception
// or a huge packet must become a packet with `error`, never an exception in the
// session. Every decoder goes through `guardDecoder`.
import type { Decoded, Packet } from '../contract/index.js'
import type { LazyDecode } from '../frames/sink.js'
import type { PacketDecoder, WireMessage } from './protocol.js'

/** Larger messages are not decoded (their frame is kept as it came, with this said). */
export const MAX_DECODED_BYTES = 16 * 1024 * 1024

export function errorPacket(protocol: string, error: string, type = 'invalid'): Packet {
  return { protocol, type, error }
}

export function guardDecoder(protocol: string, decoder: PacketDecoder): PacketDecoder {
  const guard = (direction: 'in' | 'out', message: WireMessage): Decoded | undefined => {
    if (message.data.length > MAX_DECODED_BYTES) return errorPacket(protocol, `not decoded: ${message.data.length} bytes is more than the ${MAX_DECODED_BYTES / 1024 / 1024} MiB a packet is decoded up to`)
    try {
      return direction === 'in' ? decoder.decodeIn(message) : decoder.decodeOut(message)
    } catch (error) {
      return errorPacket(protocol, `could not decode: ${(error as Error).message}`)
    }
  }
  return {
    decodeIn: (message) => guard('in', message),
    decodeOut: (message) => guard('out', message),
    sentAs: (decoded, seq, time) => {
      try {
        decoder.sentAs?.(decoded, seq, time)
      } catch {
        // Matching acks is a nicety; a failure there must not reach the session.
      }
    },
    ...(decoder.lazyIn ? { lazyIn: lazyGuard(protocol, decoder.lazyIn.bind(decoder)) } : {}),
    ...(decoder.closeMeaning ? { closeMeaning: (code: number) => decoder.closeMeaning?.(code) } : {}),
  }
}

/** The same guard for lazy decoders; each decoder function is wrapped once, not per message. */
function lazyGuard(protocol: string, lazyIn: NonNullable<PacketDecoder['lazyIn']>): NonNullable<PacketDecoder['lazyIn']> {
  const guarded = new WeakMap<LazyDecode, LazyDecode>()
  return (message) => {
    if (message.data.length > MAX_DECODED_BYTES) return undefined
    const decode = lazyIn(message)
    if (!decode) return undefined
    let safe = guarded.get(decode)
    if (!safe) {
      safe = (data, binary) => {
        try {
          return decode(data, binary)
        } catch (error) {
          return errorPacket(protocol, `could not decode: ${(error as Error).message}`)
        }
      }
      guarded.set(decode, safe)
    }
    return safe
  }
}

/** JSON.parse that answers undefined instead of throwing. */
export function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) }
  } catch {
    return undefined
  }
}
