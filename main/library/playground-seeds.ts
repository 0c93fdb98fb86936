// The connections a first start offers: one per technique, to the built-in playground,
// chosen to show live traffic at once (the echo answers whatever is sent).
import { ConnectionSpecSchema, type ConnectionSpec } from '../contract/index.js'
import { describeEndpoints } from '../playground/endpoints.js'
import { PLAYGROUND_PLACEHOLDER } from './playground-urls.js'
import { standInUrl } from './spec-defaults.js'

export const SEED_GROUP = 'Playground'

/** Five ticks a second apart, then complete: the subscription's whole life in a few seconds. */
const TICKS_QUERY = 'subscription { ticks(count: 5) { n sentAt } }'

export interface SeedConnection {
  name: string
  group: string
  /** Parsed with a stand-in origin, so defaults are known without a running playground. */
  spec: ConnectionSpec
  /** The URL as stored: `{playground}/…`. */
  storedUrl: string
}

const SEEDS = [
  { name: 'WebSocket echo', options: {} },
  { name: 'SSE ticker', options: {} },
  // The feed answers {cursor, messages}: ask from the cursor of the previous answer.
  { name: 'Long-poll feed', options: { longPolling: { cursor: { from: 'json', name: 'cursor', param: 'cursor' }, messagesPath: 'messages' } } },
  { name: 'Polled counter', options: {} },
  { name: 'NDJSON stream', options: { streaming: { framing: 'ndjson' } } },
  // Protocol examples: the protocol drives the session (handshake, pings, the subscription), so a
  // first run can emit and subscribe with no setup.
  { name: 'Socket.IO chat', options: { protocol: { name: 'socket.io' } } },
  { name: 'Socket.IO over polling', options: { protocol: { name: 'socket.io' } } },
  { name: 'GraphQL subscription (graphql-ws)', options: { protocol: { name: 'graphql-transport-ws', graphql: { operations: [{ query: TICKS_QUERY }] } } } },
  { name: 'GraphQL over SSE', options: { protocol: { name: 'graphql-sse', graphql: { operations: [{ query: TICKS_QUERY }] } } } },
] as const

export function playgroundSeeds(): SeedConnection[] {
  const endpoints = describeEndpoints(PLAYGROUND_PLACEHOLDER)
  return SEEDS.flatMap(({ name, options }) => {
    const endpoint = endpoints.find((candidate) => candidate.name === name)
    if (!endpoint) return [] // the catalogue renamed it: a test notices the missing seed
    const path = endpoint.url.slice(PLAYGROUND_PLACEHOLDER.length)
    const spec = ConnectionSpecSchema.parse({ technique: endpoint.technique, url: standInUrl(endpoint.technique) + path, ...(endpoint.longPolling ? { longPolling: endpoint.longPolling } : {}), ...options })
    return [{ name: endpoint.name, group: SEED_GROUP, spec, storedUrl: endpoint.url }]
  })
}
