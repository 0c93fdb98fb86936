// GraphQL over SSE — placeholder until the module lands.
import { ok } from '../../contract/index.js'
import type { ProtocolModule } from '../protocol.js'

export const graphqlSseProtocol: ProtocolModule = {
  name: 'graphql-sse',
  title: 'GraphQL over SSE (graphql-sse)',
  prepare: (spec) => ok(spec),
  createDecoder: () => ({ decodeIn: () => undefined, decodeOut: () => undefined }),
  drive: (base) => base,
}
