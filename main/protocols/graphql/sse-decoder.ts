// GraphQL over SSE (graphql-sse's PROTOCOL.md) as packets. Events `next` and
// `complete` decode to `{protocol: 'graphql-sse', type, payload?}`; in the
// single-connection mode their data is `{id, payload}` and the packet carries the
// operation `id`. What the client POSTs (an operation: `{query, variables,
// operationName, extensions: {operationId}}`) decodes to a `subscribe` packet. Other
// events (comments, unnamed ones) are left undecoded.
import type { Packet } from '../../contract/index.js'
import { errorPacket, parseJson } from '../decode-guard.js'
import type { PacketDecoder, WireMessage } from '../protocol.js'
import { OperationBook, unknownOperation } from './operations.js'

export const GRAPHQL_SSE = 'graphql-sse'

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

export function createSseDecoder(single: boolean, book = new OperationBook()): PacketDecoder {
  const decodeIn = (message: WireMessage): Packet | undefined => {
    const type = message.event
    if (type !== 'next' && type !== 'complete') return undefined
    const text = message.data.toString('utf8')
    // `complete` carries no data in the distinct-connections mode (the server writes `data: null` or nothing).
    if (type === 'complete' && !single) return { protocol: GRAPHQL_SSE, type }
    const parsed = parseJson(text)
    if (!parsed) return errorPacket(GRAPHQL_SSE, `the ${type} event's data is not JSON: ${JSON.stringify(text.slice(0, 80))}`, type)
    if (!single) return { protocol: GRAPHQL_SSE, type, payload: parsed.value }
    const value = parsed.value
    if (!isObject(value)) return errorPacket(GRAPHQL_SSE, `the ${type} event's data is not {id, payload}`, type)
    const packet: Packet = { protocol: GRAPHQL_SSE, type, ...(value.id !== undefined ? { id: value.id } : {}), ...(value.payload !== undefined ? { payload: value.payload } : {}) }
    const problem = unknownOperation(book, value.id, type)
    if (type === 'complete' && typeof value.id === 'string') book.finish(value.id)
    return problem !== undefined ? { ...packet, error: problem } : packet
  }
  const decodeOut = (message: WireMessage): Packet | undefined => {
    const parsed = parseJson(message.data.toString('utf8'))
    if (!parsed || !isObject(parsed.value)) return errorPacket(GRAPHQL_SSE, 'the operation sent is not a JSON object', 'subscribe')
    const { extensions, ...payload } = parsed.value
    const id = isObject(extensions) ? extensions.operationId : undefined
    if (typeof id === 'string' && id !== '') book.start(id)
    return { protocol: GRAPHQL_SSE, type: 'subscribe', ...(id !== undefined ? { id } : {}), payload }
  }
  return { decodeIn, decodeOut }
}
