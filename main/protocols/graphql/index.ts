// GraphQL over WebSocket — placeholder until the module lands.
import { ok } from '../../contract/index.js'
import type { ProtocolModule } from '../protocol.js'

export const graphqlTransportWsProtocol: ProtocolModule = {
  name: 'graphql-transport-ws',
  title: 'GraphQL over WebSocket (graphql-transport-ws)',
  prepare: (spec) => ok(spec),
  createDecoder: () => ({ decodeIn: () => undefined, decodeOut: () => undefined }),
  drive: (base) => base,
}

export const graphqlWsProtocol: ProtocolModule = {
  name: 'graphql-ws',
  title: 'GraphQL over WebSocket, legacy (graphql-ws / subscriptions-transport-ws)',
  prepare: (spec) => ok(spec),
  createDecoder: () => ({ decodeIn: () => undefined, decodeOut: () => undefined }),
  drive: (base) => base,
}
