// GraphQL over SSE (graphql-sse). Two modes, as the protocol defines them:
// - distinct connections (default): the operation is POSTed as the event stream's
//   request; `next` events, then `complete` ends it (sse-distinct.ts);
// - single connection: a reservation (PUT), one stream (GET with the token), and the
//   operations POSTed beside it (sse-single.ts).
import { fail, ok, type ConnectionSpec, type Result } from '../../contract/index.js'
import type { ProtocolModule } from '../protocol.js'
import { operationPayload } from './operations.js'
import { createSseDecoder, GRAPHQL_SSE } from './sse-decoder.js'
import { GraphqlSseDistinctDriver } from './sse-distinct.js'
import { GraphqlSseSingleDriver } from './sse-single.js'

/** The user's headers with `name` set unless they set it themselves. */
function withHeader(headers: ConnectionSpec['headers'], name: string, value: string): ConnectionSpec['headers'] {
  return headers.some((header) => header.name.toLowerCase() === name.toLowerCase()) ? headers : [...headers, { name, value }]
}

function prepare(spec: ConnectionSpec): Result<ConnectionSpec> {
  if (spec.technique !== 'sse') return fail('E_PROTOCOL_TECHNIQUE', `runs over SSE, not ${spec.technique}`)
  const { operations, singleConnection } = spec.protocol.graphql
  if (singleConnection) return ok(spec)
  if (operations.length === 0) return fail('E_PROTOCOL_OPERATION', 'the distinct-connections mode needs the operation to subscribe to (its request carries it)')
  if (operations.length > 1) return fail('E_PROTOCOL_OPERATION', `the distinct-connections mode runs one operation per connection, and ${operations.length} were given: use the single-connection mode for several`)
  const made = operationPayload(operations[0]!)
  if (!made.ok) return fail('E_GRAPHQL_VARIABLES', made.message)
  // The server answers with an event stream only to `Accept: text/event-stream` exactly; the SSE technique sends it.
  return ok({ ...spec, method: 'POST', body: JSON.stringify(made.payload), headers: withHeader(spec.headers, 'Content-Type', 'application/json') })
}

export const graphqlSseProtocol: ProtocolModule = {
  name: GRAPHQL_SSE,
  title: 'GraphQL over SSE (graphql-sse)',
  prepare,
  createDecoder: (spec) => createSseDecoder(spec.protocol.graphql.singleConnection),
  drive: (base) => (spec, sink, attempt) => (spec.protocol.graphql.singleConnection ? new GraphqlSseSingleDriver(spec, sink, attempt, base) : new GraphqlSseDistinctDriver(spec, sink, attempt, base)),
}
