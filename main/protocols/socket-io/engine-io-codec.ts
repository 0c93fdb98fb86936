// Engine.IO on the wire, both versions: one packet's type and data, a polling
// payload cut into its packets, and packets joined into a payload for a POST.
// Single packets go through engine.io-parser; what it does not cover is here:
// v3's length-prefixed payloads (`6:4hello2:40`) and v3's binary forms (`b4<base64>`
// in a payload, a type byte before the bytes of a WebSocket binary frame).
import { decodePacket } from 'engine.io-parser'

export type EioVersion = 3 | 4

/** v4 joins the packets of a polling payload with this (ASCII record separator). */
export const RECORD_SEPARATOR = '\x1e'

export const ENGINE_TYPES = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'] as const
export type EngineType = (typeof ENGINE_TYPES)[number]

export type EnginePacket = { type: EngineType; data?: string | Buffer } | { error: string }

/** One Engine.IO packet: a text (`4hello`, `bAQID`) or, over WebSocket, a binary frame. */
export function decodeEnginePacket(data: string | Buffer, eio: EioVersion): EnginePacket {
  if (typeof data !== 'string') {
    if (eio === 4) return { type: 'message', data }
    // v3 puts the packet type in the first byte of a binary frame.
    const type = ENGINE_TYPES[data[0] ?? -1]
    return type ? { type, data: data.subarray(1) } : { error: `a binary Engine.IO v3 packet starts with a type byte 0-6, not ${data[0] ?? 'nothing'}` }
  }
  if (data === '') return { error: 'an empty Engine.IO packet (no type)' }
  if (eio === 3 && data.startsWith('b')) {
    const type = ENGINE_TYPES[Number(data[1])]
    if (!type || !/^[0-6]$/.test(data[1] ?? '')) return { error: `a base64 Engine.IO v3 packet is "b" + type 0-6 + base64, not ${JSON.stringify(data.slice(0, 12))}` }
    return { type, data: Buffer.from(data.slice(2), 'base64') }
  }
  const packet = decodePacket(data, 'nodebuffer')
  if ((packet.type as string) === 'error') return { error: `not an Engine.IO packet: the type ${JSON.stringify(data[0])} is none of 0-6 (or b for base64)` }
  return packet.data === undefined ? { type: packet.type as EngineType } : { type: packet.type as EngineType, data: packet.data as string | Buffer }
}

/**
 * The packets of a polling body as texts, in order; `error` when the body is not a
 * payload of this version. v3 lengths count UTF-16 code units, as its encoder does.
 */
export function splitPayload(body: string, eio: EioVersion): { packets: string[]; error?: string } {
  if (eio === 4) return { packets: body.split(RECORD_SEPARATOR) }
  const packets: string[] = []
  let i = 0
  while (i < body.length) {
    const colon = body.indexOf(':', i)
    const length = colon < 0 ? NaN : Number(body.slice(i, colon))
    if (colon <= i || !/^\d+$/.test(body.slice(i, colon)) || colon + 1 + length > body.length) {
      return { packets, error: `not an Engine.IO v3 payload at character ${i}: expected <length>:<packet>, got ${JSON.stringify(body.slice(i, i + 16))}` }
    }
    packets.push(body.slice(colon + 1, colon + 1 + length))
    i = colon + 1 + length
  }
  return { packets }
}

/** Whether a text looks like a v3 payload (`<length>:<packet>…`) whose lengths add up exactly. */
export function isV3Payload(text: string): boolean {
  if (!/^\d+:/.test(text)) return false
  const split = splitPayload(text, 3)
  return split.error === undefined && split.packets.length > 0
}

/** Packets (already encoded one by one) joined into a polling body. */
export function joinPayload(packets: string[], eio: EioVersion): string {
  return eio === 4 ? packets.join(RECORD_SEPARATOR) : packets.map((packet) => `${packet.length}:${packet}`).join('')
}

/** A binary message as a text packet of a polling payload. */
export function base64Packet(bytes: Buffer, eio: EioVersion): string {
  return eio === 4 ? `b${bytes.toString('base64')}` : `b4${bytes.toString('base64')}`
}
