// The legacy `graphql-ws` subprotocol — subscriptions-transport-ws (Apollo's first
// protocol), not the graphql-ws library, which speaks graphql-transport-ws. Messages
// are JSON `{type, id?, payload?}`: the client sends connection_init, start, stop and
// connection_terminate; the server connection_ack, connection_error, ka, data, error
// and complete. Results for ids nobody started are shown with their error.
import type { Packet } from '../../contract/index.js'
import type { PacketDecoder, WireMessage } from '../protocol.js'
import { OperationBook, unknownOperation } from './operations.js'
import { packetOf, readMessage } from './transport-ws-decoder.js'

export const LEGACY_WS = 'graphql-ws'

const TYPES = new Set(['connection_init', 'connection_ack', 'connection_error', 'connection_terminate', 'ka', 'start', 'stop', 'data', 'error', 'complete'])
const FROM_CLIENT = new Set(['connection_init', 'connection_terminate', 'start', 'stop'])
/** Results of one operation. `error` without an id is a connection-level error. */
const RESULTS = new Set(['data', 'error', 'complete'])

export function createLegacyWsDecoder(book = new OperationBook()): PacketDecoder {
  const decode = (message: WireMessage, direction: 'in' | 'out'): Packet => {
    const read = readMessage(LEGACY_WS, message)
    if (!read.ok) return read.packet
    const { object, type } = read
    const packet = packetOf(LEGACY_WS, object, type)
    if (!TYPES.has(type)) return { ...packet, error: `"${type}" is not a message type of the legacy graphql-ws protocol (subscriptions-transport-ws)` }
    const id = object.id
    if (direction === 'out') {
      if (type === 'start' || type === 'stop') {
        if (typeof id !== 'string' || id === '') return { ...packet, error: `a ${type} message needs an operation id` }
        if (type === 'start') {
          if (typeof (object.payload as { query?: unknown } | undefined)?.query !== 'string') return { ...packet, error: 'a start needs payload.query' }
          book.start(id)
        } else {
          book.stop(id)
        }
      }
      return packet
    }
    if (FROM_CLIENT.has(type)) return { ...packet, error: `${type} is sent by the client, not the server` }
    if (!RESULTS.has(type) || (type === 'error' && (id === undefined || id === null || id === ''))) return packet
    const problem = unknownOperation(book, typeof id === 'number' ? String(id) : id, type)
    if (type !== 'data' && typeof id === 'string') book.finish(id)
    return problem !== undefined ? { ...packet, error: problem } : packet
  }
  return {
    decodeIn: (message) => decode(message, 'in'),
    decodeOut: (message) => decode(message, 'out'),
  }
}
