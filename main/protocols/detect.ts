// Which protocol a plain session speaks, where that is certain: from the URL path, the
// negotiated WebSocket subprotocol, or the first message. Only decoding follows from
// it; sending anything on the user's behalf needs the protocol chosen.
import type { ProtocolName } from '../contract/index.js'

/** From the URL alone (Socket.IO's default path). */
export function protocolOfUrl(url: string): ProtocolName | undefined {
  try {
    return /\/socket\.io\/?$/.test(new URL(url).pathname) ? 'socket.io' : undefined
  } catch {
    return undefined
  }
}

/** From the subprotocol the server chose. */
export function protocolOfSubprotocol(subprotocol: string): ProtocolName | undefined {
  if (subprotocol === 'graphql-transport-ws') return 'graphql-transport-ws'
  if (subprotocol === 'graphql-ws') return 'graphql-ws'
  return undefined
}

/** From the first message in: an Engine.IO open packet (`0{"sid":…`, or v3's length-prefixed `97:0{"sid":…`). */
export function protocolOfFirstMessage(text: string): ProtocolName | undefined {
  return /^(\d+:)?0\{"sid":"/.test(text) ? 'socket.io' : undefined
}
