// `rti connect` with a GraphQL protocol, as a user runs it against real servers: the
// human output reads as the protocol (`> subscribe #1 {…}`, `< next #1 {…}`), --json
// frames carry `decoded` and `auto`, and graphql-sse's `complete` ends the run.
import { afterEach, describe, expect, it } from 'vitest'
import { runRti } from '../cli/run-rti.js'
import { startSseServer, startTransportWsServer, type RunningServer } from '../helpers/graphql-servers.js'

let server: RunningServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('rti connect --protocol graphql-*', () => {
  it('graphql-transport-ws: --subscribe prints the operation and its results, exits 0 after -n frames', async () => {
    server = await startTransportWsServer()
    // connecting, request, response, open, init, ack, subscribe, 3 × next, complete = 11 frames.
    const run = await runRti(['connect', '--protocol', 'graphql-transport-ws', server.url, '--subscribe', 'subscription { count(to: 3) }', '-n', '11'])
    expect(run.code).toBe(0)
    const lines = run.stdout.split('\n')
    expect(lines).toContain('> connection_init')
    expect(lines).toContain('< connection_ack')
    expect(lines).toContain('> subscribe #1 {"query":"subscription { count(to: 3) }"}')
    expect(lines.filter((line) => line.startsWith('< next #1 '))).toEqual([1, 2, 3].map((count) => `< next #1 {"data":{"count":${count}}}`))
    expect(lines).toContain('< complete #1')
    // No -t or -s was needed: the protocol offered its subprotocol itself.
    expect(run.stdout).toMatch(/sec-websocket-protocol: graphql-transport-ws/)
  })

  it('graphql-transport-ws --json: frames carry decoded packets, and auto on what rti sent by itself', async () => {
    server = await startTransportWsServer()
    const run = await runRti(['connect', '--json', '--protocol', 'graphql-transport-ws', server.url, '--init', '{"token":"t"}', '--subscribe', 'subscription Two { count(to: 2) }', '-n', '10'])
    expect(run.code).toBe(0)
    const frames = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; direction: string; data?: string; auto?: boolean; decoded?: { type: string; id?: string; payload?: unknown } })
    const messages = frames.filter((f) => f.kind === 'message')
    expect(messages.map((f) => [f.direction, f.decoded?.type, f.decoded?.id, f.auto ?? false])).toEqual([
      ['out', 'connection_init', undefined, true],
      ['in', 'connection_ack', undefined, false],
      ['out', 'subscribe', '1', true],
      ['in', 'next', '1', false],
      ['in', 'next', '1', false],
      ['in', 'complete', '1', false],
    ])
    expect(messages[0]!.decoded?.payload).toEqual({ token: 't' })
    // The raw payload stays beside its packet.
    expect(JSON.parse(messages[3]!.data!)).toEqual({ id: '1', type: 'next', payload: { data: { count: 1 } } })
  })

  it('graphql-sse: the operation is POSTed, next events print, complete ends the run with 0 and no reconnect', async () => {
    const sse = await startSseServer()
    server = sse
    const run = await runRti(['connect', '--protocol', 'graphql-sse', sse.url, '--subscribe', 'subscription { count(to: 2) }'])
    expect(run.code).toBe(0)
    const lines = run.stdout.split('\n')
    expect(lines).toContain('→ POST ' + sse.url)
    expect(lines).toContain('> subscribe {"query":"subscription { count(to: 2) }"}')
    expect(lines.filter((line) => line.startsWith('< next '))).toEqual(['< next {"data":{"count":1}}', '< next {"data":{"count":2}}'])
    expect(lines).toContain('< complete')
    expect(run.stdout).not.toMatch(/reconnect|E_SSE_CONTENT_ENCODING/)
    expect(sse.requests.map((r) => r.method)).toEqual(['POST'])
  })
})
