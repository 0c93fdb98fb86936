// graphql-transport-ws against the real graphql-ws server (`useServer` on a `ws`
// WebSocketServer): the inspector sends connection_init, waits for connection_ack,
// subscribes, groups each operation's results by id, answers pings, explains the
// protocol's close codes, and tells diagnostics when nothing is due any more. The real
// graphql-ws client is the oracle for the payloads.
import { createClient } from 'graphql-ws'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { packetsOf, type ConnectionSpecInput, type Frame } from '../../main/contract/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { startRawTransportWsServer, startTransportWsServer, type RunningServer } from '../helpers/graphql-servers.js'
import { packets, protocolFacts, until } from '../helpers/graphql-session.js'
import { openSession, type Harness } from '../helpers/session-harness.js'

let manager: SessionManager | undefined
let server: RunningServer | undefined
afterEach(async () => {
  manager?.dispose()
  manager = undefined
  await server?.close()
  server = undefined
})

const COUNT = 'subscription Count($to: Int!) { count(to: $to) }'

function open(url: string, protocol: Partial<NonNullable<ConnectionSpecInput['protocol']>> & { name: string }, extra: Partial<ConnectionSpecInput> = {}): Harness {
  manager = new SessionManager()
  return openSession(manager, { technique: 'websocket', url, protocol, ...extra } as ConnectionSpecInput)
}

const inbound = (h: Harness, type: string, id?: string) => packets(h).filter((p) => p.direction === 'in' && p.type === type && (id === undefined || p.id === id))

describe('graphql-transport-ws against graphql-ws', () => {
  it('init → ack → subscribe → next… → complete, with the spec operation auto and the facts idle after', async () => {
    server = await startTransportWsServer()
    const h = open(server.url, { name: 'graphql-transport-ws', graphql: { init: '{"token":"t"}', operations: [{ query: COUNT, variables: '{"to":3}' }] } })
    const open_ = await h.waitFor('open')
    expect(open_.protocol).toBe('graphql-transport-ws')
    await until(() => inbound(h, 'complete', '1').length === 1)
    const seen = packets(h).map((p) => `${p.direction} ${p.type}${p.id !== undefined ? ` #${String(p.id)}` : ''}${p.auto ? ' auto' : ''}`)
    expect(seen).toEqual(['out connection_init auto', 'in connection_ack', 'out subscribe #1 auto', 'in next #1', 'in next #1', 'in next #1', 'in complete #1'])
    expect(packets(h)[0]!.payload).toEqual({ token: 't' })
    expect(inbound(h, 'next', '1').map((p) => p.payload)).toEqual([{ data: { count: 1 } }, { data: { count: 2 } }, { data: { count: 3 } }])
    expect(packets(h).every((p) => p.error === undefined)).toBe(true)
    // The raw frame stays as it came beside its packet.
    const next = h.frames.find((f) => f.kind === 'message' && f.direction === 'in' && packetsOf(f.decoded)[0]?.type === 'next') as Frame & { data: string }
    expect(JSON.parse(next.data)).toEqual({ id: '1', type: 'next', payload: { data: { count: 1 } } })
    await until(() => protocolFacts(h)?.idle === true)
    expect(protocolFacts(h)).toMatchObject({ protocol: 'graphql-transport-ws', idle: true })
    // The socket stays open and healthy after the operation completed: no warning.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(h.ofKind('close')).toEqual([])
    expect(h.ofKind('finding').filter((f) => f.severity !== 'info')).toEqual([])
  })

  it('after complete, a silence past the heartbeat deadline on the open socket is no silent-drop', async () => {
    server = await startTransportWsServer()
    const h = open(server.url, { name: 'graphql-transport-ws', graphql: { operations: [{ query: COUNT, variables: '{"to":2}' }] } }, { diagnostics: { heartbeatDeadlineMs: 400 } })
    await until(() => inbound(h, 'complete', '1').length === 1)
    // Three deadlines of silence on a healthy socket that owes nothing.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(h.ofKind('close')).toEqual([])
    expect(h.ofKind('finding').filter((f) => f.id === 'silent-drop')).toEqual([])
  })

  it('tells diagnostics the server’s keep-alive: graphql-ws beats with WebSocket pings', async () => {
    server = await startTransportWsServer({ keepAlive: 150 })
    const h = open(server.url, { name: 'graphql-transport-ws' })
    await until(() => protocolFacts(h)?.heartbeatDeadlineMs !== undefined)
    expect(protocolFacts(h)?.heartbeatWhy).toMatch(/WebSocket pings came every/)
    // A few periods, with a floor for a busy machine.
    expect(protocolFacts(h)?.heartbeatDeadlineMs).toBeGreaterThanOrEqual(2000)
    expect(protocolFacts(h)?.heartbeatDeadlineMs).toBeLessThan(5000)
  })

  it('runs several operations at once, each result grouped by its id; a user subscribe waits for the ack and takes the next id', async () => {
    server = await startTransportWsServer()
    const h = open(server.url, {
      name: 'graphql-transport-ws',
      graphql: { operations: [{ query: COUNT, variables: '{"to":2}' }, { query: 'subscription { count(to: 4, everyMs: 10) }' }] },
    })
    // Sent before the ack: it waits, then goes out after the spec's operations.
    expect(h.session.send({ type: 'subscribe', query: 'subscription Three { count(to: 3) }', variables: '', operationName: 'Three' }).ok).toBe(true)
    await until(() => ['1', '2', '3'].every((id) => inbound(h, 'complete', id).length === 1))
    expect(inbound(h, 'next', '1').map((p) => p.payload)).toEqual([1, 2].map((count) => ({ data: { count } })))
    expect(inbound(h, 'next', '2').map((p) => p.payload)).toEqual([1, 2, 3, 4].map((count) => ({ data: { count } })))
    expect(inbound(h, 'next', '3').map((p) => p.payload)).toEqual([1, 2, 3].map((count) => ({ data: { count } })))
    const subscribes = packets(h).filter((p) => p.type === 'subscribe')
    expect(subscribes.map((p) => [p.id, p.auto])).toEqual([
      ['1', true],
      ['2', true],
      ['3', false],
    ])
    expect(subscribes[2]!.payload).toEqual({ query: 'subscription Three { count(to: 3) }', operationName: 'Three' })
    // The ack came before the first subscribe.
    const order = packets(h).map((p) => p.type)
    expect(order.indexOf('connection_ack')).toBeLessThan(order.indexOf('subscribe'))
  })

  it('completes a running operation on request; the facts go from active to idle', async () => {
    server = await startTransportWsServer()
    const h = open(server.url, { name: 'graphql-transport-ws', graphql: { operations: [{ query: 'subscription { ticks }' }] } })
    await until(() => inbound(h, 'next', '1').length >= 2)
    expect(protocolFacts(h)?.idle).toBe(false)
    expect(h.session.send({ type: 'complete', id: '1' }).ok).toBe(true)
    await until(() => protocolFacts(h)?.idle === true && packets(h).some((p) => p.direction === 'out' && p.type === 'complete'))
    const complete = packets(h).find((p) => p.direction === 'out' && p.type === 'complete')
    expect(complete).toMatchObject({ id: '1', auto: false })
    // Completing an operation that is not running is refused, and says so.
    const again = h.session.send({ type: 'complete', id: '1' })
    expect(again.ok).toBe(false)
  })

  it('shows an error result for its operation', async () => {
    server = await startTransportWsServer()
    const h = open(server.url, { name: 'graphql-transport-ws', graphql: { operations: [{ query: 'subscription { failing }' }, { query: 'subscription { nope }' }] } })
    await until(() => inbound(h, 'error', '2').length === 1 && (inbound(h, 'next', '1').length >= 2 || inbound(h, 'error', '1').length === 1))
    // A validation error ends operation 2 with `error`; the resolver's throw arrives as a result with errors.
    expect(inbound(h, 'error', '2')[0]!.payload).toEqual([expect.objectContaining({ message: expect.stringMatching(/nope/) })])
    expect(inbound(h, 'next', '1')[0]!.payload).toEqual({ data: { failing: 1 } })
    const failed = [...inbound(h, 'next', '1').slice(1), ...inbound(h, 'error', '1')]
    expect(JSON.stringify(failed)).toMatch(/the tick source broke/)
    expect(packets(h).every((p) => p.error === undefined)).toBe(true)
  })

  it('explains 4403 when the server refuses connection_init, and does not retry', async () => {
    server = await startTransportWsServer({ onConnect: () => false })
    const h = open(server.url, { name: 'graphql-transport-ws', graphql: { init: '{"token":"wrong"}', operations: [{ query: COUNT, variables: '{"to":1}' }] } }, { reconnect: { enabled: true, initialDelayMs: 250 } })
    const close = await h.waitFor('close')
    expect(close).toMatchObject({ code: 4403, reason: 'Forbidden', cause: 'remote-close' })
    expect(close.meaning).toMatch(/Forbidden.*refused the connection_init/)
    const finding = await h.waitFor('finding', (f) => f.id === 'protocol-close')
    expect(finding.summary).toMatch(/^The server closed with 4403 Forbidden: .*onConnect rejected/)
    expect(finding.remedy).toMatch(/--init/)
    await expect(h.session.ended).resolves.toBe('closed')
    expect(h.ofKind('reconnect')).toEqual([])
    // Nothing was subscribed: the user's operations waited for an ack that never came.
    expect(packets(h).filter((p) => p.type === 'subscribe')).toEqual([])
  })

  it('explains 4401 where a raw subscribe went before the ack (protocol auto decodes, the user typed the messages)', async () => {
    server = await startTransportWsServer({ onConnect: async () => new Promise((resolve) => setTimeout(() => resolve(true), 200)) })
    const h = open(server.url, { name: 'auto' }, { websocket: { subprotocols: ['graphql-transport-ws'] } })
    await h.waitFor('open')
    h.session.send({ type: 'text', data: '{"type":"connection_init"}' })
    h.session.send({ type: 'text', data: JSON.stringify({ id: '1', type: 'subscribe', payload: { query: COUNT, variables: { to: 1 } } }) })
    const close = await h.waitFor('close')
    expect(close).toMatchObject({ code: 4401, reason: 'Unauthorized' })
    expect(close.meaning).toMatch(/Unauthorized.*subscribe came before connection_ack/)
    // Decoded, never driven: nothing went out that the user did not type.
    expect(packets(h).filter((p) => p.direction === 'out').map((p) => [p.type, p.auto])).toEqual([
      ['connection_init', false],
      ['subscribe', false],
    ])
  })

  it('answers the server’s ping with pong, marked auto', async () => {
    server = await startRawTransportWsServer((socket) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string }
        if (message.type === 'connection_init') {
          socket.send(JSON.stringify({ type: 'connection_ack' }))
          socket.send(JSON.stringify({ type: 'ping', payload: { n: 1 } }))
        }
      })
    })
    const h = open(server.url, { name: 'graphql-transport-ws' })
    await until(() => packets(h).some((p) => p.type === 'pong'))
    expect(packets(h).find((p) => p.type === 'pong')).toMatchObject({ direction: 'out', auto: true, payload: { n: 1 } })
  })

  it('shows a next for an unknown id with its error, and the session goes on', async () => {
    server = await startRawTransportWsServer((socket) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; id?: string }
        if (message.type === 'connection_init') {
          socket.send(JSON.stringify({ type: 'connection_ack' }))
          socket.send(JSON.stringify({ id: '42', type: 'next', payload: { data: { stray: true } } }))
          socket.send('not json at all')
        }
        if (message.type === 'subscribe') {
          socket.send(JSON.stringify({ id: message.id, type: 'next', payload: { data: { ok: 1 } } }))
          socket.send(JSON.stringify({ id: message.id, type: 'complete' }))
          socket.send(JSON.stringify({ id: message.id, type: 'next', payload: { data: { late: 1 } } }))
        }
      })
    })
    const h = open(server.url, { name: 'graphql-transport-ws', graphql: { operations: [{ query: 'subscription { ok }' }] } })
    await until(() => packets(h).filter((p) => p.direction === 'in').length >= 6)
    const stray = inbound(h, 'next', '42')[0]!
    expect(stray.error).toMatch(/no operation with id "42"/)
    expect(stray.payload).toEqual({ data: { stray: true } })
    expect(packets(h).find((p) => p.type === 'invalid')?.error).toMatch(/not JSON/)
    const results = inbound(h, 'next', '1')
    expect(results[0]).toMatchObject({ payload: { data: { ok: 1 } } })
    expect(results[0]!.error).toBeUndefined()
    expect(results[1]!.error).toMatch(/already completed/)
    expect(h.ofKind('close')).toEqual([])
    expect(h.session.info().state).toBe('open')
  })

  it('sees the same next payloads as the real graphql-ws client', async () => {
    server = await startTransportWsServer()
    const client = createClient({ url: server.url, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 })
    const oracle: unknown[] = []
    await new Promise<void>((resolve, reject) => {
      client.subscribe({ query: COUNT, variables: { to: 4 } }, { next: (value) => oracle.push(value), error: reject, complete: resolve })
    })
    await client.dispose()
    const h = open(server.url, { name: 'graphql-transport-ws', graphql: { operations: [{ query: COUNT, variables: '{"to":4}' }] } })
    await until(() => inbound(h, 'complete', '1').length === 1)
    expect(oracle).toHaveLength(4)
    expect(inbound(h, 'next', '1').map((p) => p.payload)).toEqual(oracle)
  })

  it('refuses offered subprotocols that leave graphql-transport-ws out, naming the legacy trap', () => {
    manager = new SessionManager()
    const opened = manager.open({ technique: 'websocket', url: 'ws://127.0.0.1:9/', websocket: { subprotocols: ['graphql-ws'] }, protocol: { name: 'graphql-transport-ws' } })
    expect(opened.ok).toBe(false)
    if (!opened.ok) expect(opened.error.message).toMatch(/do not include graphql-transport-ws.*LEGACY/)
  })
})
