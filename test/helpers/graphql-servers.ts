// Real GraphQL subscription servers from npm, on 127.0.0.1 port 0, for the protocol
// tests: graphql-ws's `useServer` (graphql-transport-ws), subscriptions-transport-ws's
// SubscriptionServer (the legacy `graphql-ws` subprotocol) and graphql-sse's handler,
// all on one graphql 16 schema: `count(to, everyMs)` counts and completes, `failing`
// errors after one result, `ticks` runs until stopped.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { createHandler } from 'graphql-sse/lib/use/http'
import { useServer } from 'graphql-ws/use/ws'
import { SubscriptionServer } from 'subscriptions-transport-ws'
import { WebSocketServer, type WebSocket } from 'ws'

// The servers load graphql's CommonJS build (Node resolves `graphql` to it), so the
// schema must come from that same instance: an ES-module import here would be
// another realm, which graphql refuses.
const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql')
const { execute, GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, subscribe } = graphql

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'world' } } }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      count: {
        type: GraphQLInt,
        args: { to: { type: new GraphQLNonNull(GraphQLInt) }, everyMs: { type: GraphQLInt } },
        subscribe: async function* (_root: unknown, args: { to: number; everyMs?: number }) {
          for (let n = 1; n <= args.to; n++) {
            await sleep(args.everyMs ?? 20)
            yield { count: n }
          }
        },
      },
      failing: {
        type: GraphQLInt,
        subscribe: async function* () {
          await sleep(20)
          yield { failing: 1 }
          throw new Error('the tick source broke')
        },
      },
      ticks: {
        type: GraphQLInt,
        subscribe: async function* () {
          for (let n = 1; ; n++) {
            await sleep(100)
            yield { ticks: n }
          }
        },
      },
    },
  }),
})

export interface RunningServer {
  url: string
  close(): Promise<void>
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))
}

function closeHttp(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

/** graphql-ws (graphql-transport-ws). `onConnect` returning false refuses with 4403; `keepAlive`: its WebSocket ping period. */
export async function startTransportWsServer(options: { onConnect?: (payload: unknown) => boolean | Promise<boolean>; keepAlive?: number } = {}): Promise<RunningServer & { wss: WebSocketServer }> {
  const http = createServer()
  const wss = new WebSocketServer({ server: http, path: '/graphql' })
  const cleanup = useServer({ schema, ...(options.onConnect ? { onConnect: (ctx) => options.onConnect!(ctx.connectionParams) } : {}) }, wss, options.keepAlive)
  const port = await listen(http)
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    wss,
    async close() {
      await cleanup.dispose()
      await closeHttp(http)
    },
  }
}

/** subscriptions-transport-ws (legacy `graphql-ws`). `onConnect` returning false sends connection_error. */
export async function startLegacyWsServer(options: { keepAlive?: number; onConnect?: (payload: unknown) => boolean } = {}): Promise<RunningServer> {
  const http = createServer()
  const port = await listen(http)
  const server = SubscriptionServer.create(
    { schema, execute, subscribe, ...(options.keepAlive ? { keepAlive: options.keepAlive } : {}), ...(options.onConnect ? { onConnect: options.onConnect } : {}) },
    { server: http, path: '/graphql' },
  )
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    async close() {
      server.close()
      await closeHttp(http)
    },
  }
}

export interface SseServer extends RunningServer {
  /** Every request the server got: method and the time it came. */
  requests: { method: string; at: number; token?: string }[]
}

/** graphql-sse's handler on node:http (both modes: a reservation token selects single-connection). */
export async function startSseServer(): Promise<SseServer> {
  const handler = createHandler({ schema })
  const requests: SseServer['requests'] = []
  const http = createServer((req: IncomingMessage, res) => {
    const token = req.headers['x-graphql-event-stream-token']
    requests.push({ method: req.method ?? '', at: Date.now(), ...(typeof token === 'string' ? { token } : {}) })
    handler(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error))
    })
  })
  const port = await listen(http)
  return { url: `http://127.0.0.1:${port}/graphql/stream`, requests, close: () => closeHttp(http) }
}

/** A bare `ws` server offering graphql-transport-ws, scripted by the test (to send what no real server would). */
export async function startRawTransportWsServer(onSocket: (socket: WebSocket) => void): Promise<RunningServer> {
  const http = createServer()
  const wss = new WebSocketServer({ server: http, handleProtocols: (protocols) => (protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false) })
  wss.on('connection', onSocket)
  const port = await listen(http)
  return {
    url: `ws://127.0.0.1:${port}/`,
    async close() {
      for (const client of wss.clients) client.terminate()
      await new Promise((resolve) => wss.close(resolve))
      await closeHttp(http)
    },
  }
}
