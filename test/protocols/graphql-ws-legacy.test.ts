// The legacy `graphql-ws` subprotocol against the real subscriptions-transport-ws
// server: init → ack → start → data… → complete, `ka` keep-alives timed for
// diagnostics, a refused connection_init, `stop`; and the classic trap — the legacy
// subprotocol against the graphql-ws library's server (and the other way round) — said
// plainly.
import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectionSpecInput } from '../../main/contract/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { startLegacyWsServer, startTransportWsServer, type RunningServer } from '../helpers/graphql-servers.js'
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

function open(url: string, protocol: object, extra: Partial<ConnectionSpecInput> = {}): Harness {
  manager = new SessionManager()
  return openSession(manager, { technique: 'websocket', url, protocol, ...extra } as ConnectionSpecInput)
}

describe('legacy graphql-ws (subscriptions-transport-ws)', () => {
  it('init → ack → start → data… → complete, with ka keep-alives timed for diagnostics', async () => {
    server = await startLegacyWsServer({ keepAlive: 100 })
    const h = open(server.url, { name: 'graphql-ws', graphql: { init: '{"token":"t"}', operations: [{ query: 'subscription { count(to: 3, everyMs: 150) }' }] } })
    expect((await h.waitFor('open')).protocol).toBe('graphql-ws')
    await until(() => packets(h).some((p) => p.type === 'complete' && p.id === '1'))
    const flow = packets(h)
      .filter((p) => p.type !== 'ka')
      .map((p) => `${p.direction} ${p.type}${p.id !== undefined ? ` #${String(p.id)}` : ''}${p.auto ? ' auto' : ''}`)
    expect(flow).toEqual(['out connection_init auto', 'in connection_ack', 'out start #1 auto', 'in data #1', 'in data #1', 'in data #1', 'in complete #1'])
    expect(packets(h).filter((p) => p.type === 'data').map((p) => p.payload)).toEqual([1, 2, 3].map((count) => ({ data: { count } })))
    expect(packets(h).filter((p) => p.type === 'ka').length).toBeGreaterThanOrEqual(3)
    expect(packets(h).every((p) => p.error === undefined)).toBe(true)
    const facts = protocolFacts(h)
    expect(facts).toMatchObject({ protocol: 'graphql-ws', idle: true })
    // ka every 100 ms: the deadline is a few of them (with a floor), not the data rhythm.
    expect(facts?.heartbeatDeadlineMs).toBeGreaterThanOrEqual(2000)
    expect(facts?.heartbeatDeadlineMs).toBeLessThan(5000)
    expect(facts?.heartbeatWhy).toMatch(/ka/)
  })

  it('stops an operation with stop', async () => {
    server = await startLegacyWsServer()
    const h = open(server.url, { name: 'graphql-ws', graphql: { operations: [{ query: 'subscription { ticks }' }] } })
    await until(() => packets(h).filter((p) => p.type === 'data').length >= 2)
    expect(h.session.send({ type: 'complete', id: '1' }).ok).toBe(true)
    await until(() => packets(h).some((p) => p.type === 'stop'))
    expect(packets(h).find((p) => p.type === 'stop')).toMatchObject({ direction: 'out', id: '1', auto: false })
    await until(() => protocolFacts(h)?.idle === true)
  })

  it('shows a refused connection_init (connection_error) as a finding', async () => {
    server = await startLegacyWsServer({ onConnect: () => false })
    const h = open(server.url, { name: 'graphql-ws', graphql: { operations: [{ query: 'subscription { ticks }' }] } })
    const finding = await h.waitFor('finding', (f) => f.id === 'protocol-close')
    expect(finding.summary).toMatch(/refused the connection: connection_error/)
    await h.waitFor('close')
    expect(packets(h).some((p) => p.type === 'start')).toBe(false)
  })

  it('says the trap plainly: the legacy subprotocol against the graphql-ws library’s server', async () => {
    server = await startTransportWsServer()
    const h = open(server.url, { name: 'graphql-ws' })
    const finding = await h.waitFor('finding', (f) => f.id === 'protocol-subprotocol')
    expect(finding.summary).toMatch(/refused the subprotocol graphql-ws \(legacy\)/)
    expect(finding.evidence.join(' ')).toMatch(/LEGACY subscriptions-transport-ws.*graphql-transport-ws/)
    expect(finding.remedy).toMatch(/--protocol graphql-transport-ws/)
  })

  it('and the other way round: graphql-transport-ws against a subscriptions-transport-ws server', async () => {
    server = await startLegacyWsServer()
    const h = open(server.url, { name: 'graphql-transport-ws' })
    const close = await h.waitFor('close')
    expect(close.code).toBe(1002)
    const finding = await h.waitFor('finding', (f) => f.id === 'protocol-subprotocol')
    expect(finding.remedy).toMatch(/graphql-ws \(legacy\)/)
  })
})
