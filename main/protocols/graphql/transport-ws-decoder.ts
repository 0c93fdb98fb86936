// graphql-transport-ws messages as packets (the graphql-ws library's PROTOCOL.md):
// one JSON text message is one packet `{protocol, type, id?, payload?}`. The decoder
// keeps the operations it saw subscribed, so a result for an id nobody subscribed (or
// that already completed) is shown with its error — and the session goes on.
import type { Packet } from '../../contract/index.js'
import { errorPacket, parseJson } from '../decode-guard.js'
import type { PacketDecoder, WireMessage } from '../protocol.js'
import { transportWsCloseMeaning } from './close-codes.js'
import { OperationBook, unknownOperation } from './operations.js'

export const TRANSPORT_WS = 'graphql-transport-ws'

const TYPES = new Set(['connection_init', 'connection_ack', 'ping', 'pong', 'subscribe', 'next', 'error', 'complete'])
/** Messages that belong to one operation. */
const WITH_ID = new Set(['subscribe', 'next', 'error', 'complete'])

/** A GraphQL-over-WebSocket message read as an object with a string `type`, or a packet saying why not. */
export function readMessage(protocol: string, message: WireMessage): { ok: true; object: Record<string, unknown>; type: string } | { ok: false; packet: Packet } {
  const refuse = (why: string) => ({ ok: false as const, packet: errorPacket(protocol, why) })
  if (message.binary) return refuse('a binary message: the protocol’s messages are JSON text')
  const text = message.data.toString('utf8')
  const parsed = parseJson(text)
  if (!parsed) return refuse(`not JSON: ${JSON.stringify(text.slice(0, 80))}`)
  const value = parsed.value
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return refuse('not a JSON object')
  const object = value as Record<string, unknown>
  if (typeof object.type !== 'string') return refuse('the message has no "type"')
  return { ok: true, object, type: object.type }
}

/** The packet of a message object: its type, id and payload as sent. */
export function packetOf(protocol: string, object: Record<string, unknown>, type: string): Packet {
  return { protocol, type, ...(object.id !== undefined ? { id: object.id } : {}), ...(object.payload !== undefined ? { payload: object.payload } : {}) }
}

export function createTransportWsDecoder(book = new OperationBook()): PacketDecoder {
  const decode = (message: WireMessage, direction: 'in' | 'out'): Packet => {
    const read = readMessage(TRANSPORT_WS, message)
    if (!read.ok) return read.packet
    const { object, type } = read
    const packet = packetOf(TRANSPORT_WS, object, type)
    if (!TYPES.has(type)) return { ...packet, error: `"${type}" is not a graphql-transport-ws message type` }
    if (!WITH_ID.has(type)) return packet
    const id = object.id
    if (direction === 'out') {
      if (typeof id !== 'string' || id === '') return { ...packet, error: `a ${type} message needs an operation id` }
      if (type === 'subscribe') {
        const payload = object.payload as { query?: unknown } | undefined
        if (typeof payload?.query !== 'string') return { ...packet, error: 'a subscribe needs payload.query' }
        if (book.state(id) === 'active') return { ...packet, error: `operation ${JSON.stringify(id)} is still running: the server closes with 4409 Subscriber already exists` }
        book.start(id)
      } else if (type === 'complete') {
        book.stop(id)
      }
      return packet
    }
    const problem = unknownOperation(book, id, type)
    if (type === 'complete' || type === 'error') book.finish(id as string)
    if (type === 'subscribe') return { ...packet, error: 'subscribe is sent by the client, not the server' }
    return problem !== undefined ? { ...packet, error: problem } : packet
  }
  return {
    decodeIn: (message) => decode(message, 'in'),
    decodeOut: (message) => decode(message, 'out'),
    closeMeaning: transportWsCloseMeaning,
  }
}
