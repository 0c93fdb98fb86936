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

/**
 * The same guard for lazy decoders. This runs once a message on the hot path: a
 * decoder hands the same function for every message, so the wrapped one is kept for
 * the last function seen rather than looked up.
 */
function lazyGuard(protocol: string, lazyIn: NonNullable<PacketDecoder['lazyIn']>): NonNullable<PacketDecoder['lazyIn']> {
  let lastRaw: LazyDecode | undefined
  let lastSafe: LazyDecode | undefined
  return (data, binary) => {
    if (data.length > MAX_DECODED_BYTES) return undefined
    const decode = lazyIn(data, binary)
    if (!decode) return undefined
    if (decode !== lastRaw) {
      lastRaw = decode
      lastSafe = (bytes, isBinary) => {
        try {
          return decode(bytes, isBinary)
        } catch (error) {
          return errorPacket(protocol, `could not decode: ${(error as Error).message}`)
        }
      }
    }
    return lastSafe
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
