// How decoded protocol packets read in the app: one line per packet in the frame
// list (the same words as the CLI, by packetSummary), the first decode error, and the
// names the filter offers. Only frames that carry `decoded` ever reach these, so a
// raw stream pays nothing for them.
import { packetSummary, type Decoded, type Direction, type Frame, type Packet, type ProtocolChoice } from '@contract'

/** Longest line handed to the DOM, as for raw previews. */
const PREVIEW_MAX = 400

/** The frames that can carry packets, with them. */
export type DecodedFrame = Extract<Frame, { kind: 'message' | 'event' }> & { decoded: Decoded }

export function decodedOf(frame: Frame): Decoded | undefined {
  return frame.kind === 'message' || frame.kind === 'event' ? frame.decoded : undefined
}

/** Every packet's summary on one line: several packets in one wire message read "a · b". */
export function decodedPreview(decoded: Decoded, direction: Direction): string {
  let text: string
  if (!Array.isArray(decoded)) text = packetSummary(decoded, direction)
  else {
    text = ''
    for (const packet of decoded) {
      text += (text ? ' · ' : '') + packetSummary(packet, direction)
      if (text.length > PREVIEW_MAX) break
    }
  }
  const cut = text.length > PREVIEW_MAX ? `${text.slice(0, PREVIEW_MAX)}…` : text
  return cut.replace(/\r\n|\r|\n/g, ' ↵ ')
}

/** The first packet's error, or undefined when every packet decoded. */
export function decodeError(decoded: Decoded): string | undefined {
  if (!Array.isArray(decoded)) return decoded.error
  for (const packet of decoded) if (packet.error !== undefined) return packet.error
  return undefined
}

/** An ACK's round-trip time, when the frame carries one (Socket.IO). */
export function ackRtt(decoded: Decoded): number | undefined {
  const one = (p: Packet) => (typeof p.rttMs === 'number' ? p.rttMs : undefined)
  if (!Array.isArray(decoded)) return one(decoded)
  for (const packet of decoded) {
    const rtt = one(packet)
    if (rtt !== undefined) return rtt
  }
  return undefined
}

// ---- the filter's packet names ----

/** `type:EVENT`, `event:chat`, `id:1`: what a packet can be picked by. */
export type PacketKey = `${'type' | 'event' | 'id'}:${string}`

function keysOfPacket(packet: Packet, add: (key: PacketKey) => void): void {
  add(`type:${packet.type}`)
  if (typeof packet.event === 'string') add(`event:${packet.event}`)
  if (typeof packet.id === 'string' || typeof packet.id === 'number') add(`id:${String(packet.id)}`)
}

export function collectPacketKeys(decoded: Decoded, add: (key: PacketKey) => void): void {
  if (!Array.isArray(decoded)) keysOfPacket(decoded, add)
  else for (const packet of decoded) keysOfPacket(packet, add)
}

/** How a packet key reads in the filter's menu. */
export function packetKeyLabel(key: string): string {
  const colon = key.indexOf(':')
  const kind = key.slice(0, colon)
  const value = key.slice(colon + 1)
  if (kind === 'event') return `event ${value}`
  if (kind === 'id') return `operation #${value}`
  return `${value} packets`
}

/** A test for one packet key, run only on frames that carry `decoded`. */
export function packetKeyTest(key: string): (decoded: Decoded) => boolean {
  const colon = key.indexOf(':')
  const kind = key.slice(0, colon)
  const value = key.slice(colon + 1)
  const one =
    kind === 'event'
      ? (p: Packet) => p.event === value
      : kind === 'id'
        ? (p: Packet) => p.id !== undefined && String(p.id) === value
        : (p: Packet) => p.type === value
  return (decoded) => (Array.isArray(decoded) ? decoded.some(one) : one(decoded))
}

// ---- "looks like Socket.IO" ----

/** The protocol a decoded packet names, as a choice the editor offers (Engine.IO is Socket.IO's transport). */
export function protocolOfPacket(protocol: string): ProtocolChoice | undefined {
  if (protocol === 'socket.io' || protocol === 'engine.io') return 'socket.io'
  if (protocol === 'graphql-transport-ws' || protocol === 'graphql-ws' || protocol === 'graphql-sse') return protocol
  return undefined
}

export function protocolOfDecoded(decoded: Decoded): ProtocolChoice | undefined {
  if (!Array.isArray(decoded)) return protocolOfPacket(decoded.protocol)
  for (const packet of decoded) {
    const found = protocolOfPacket(packet.protocol)
    if (found) return found
  }
  return undefined
}
