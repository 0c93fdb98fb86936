// GraphQL over SSE against the real graphql-sse handler on node:http, in both modes.
// Distinct connections: the operation POSTed as the stream's request, `next` events
// decoded, and `complete` as the normal end — no reconnect, no second POST, nothing
// due. Single connection: the reservation, the stream with its token, operations
// POSTed beside it and grouped by id, one stopped with DELETE. The real graphql-sse
// client is the oracle for the payloads.
import { createClient } from 'graphql-sse'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectionSpecInput } from '../../main/contract/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { startSseServer, type SseServer } from '../helpers/graphql-servers.js'
import { packets, protocolFacts, until } from '../helpers/graphql-session.js'
import { openSession, type Harness } from '../helpers/session-harness.js'

let manager: SessionManager | undefined
let server: SseServer | undefined
afterEach(async () => {
  manager?.dispose()
  manager = undefined
  await server?.close()
  server = undefined
})

const COUNT = 'subscription Count($to: Int!) { count(to: $to) }'

function open(url: string, graphql: object, extra: Partial<ConnectionSpecInput> = {}): Harness {
  manager = new SessionManager()
  return openSession(manager, { technique: 'sse', url, protocol: { name: 'graphql-sse', graphql }, ...extra } as ConnectionSpecInput)
}

describe('graphql-sse, distinct connections', () => {
  it('POSTs the operation, decodes next events, and ends on complete: no reconnect, no second POST', async () => {
    server = await startSseServer()
    // Reconnecting is on (as for any SSE session): `complete` must still end it for good.
    const h = open(server.url, { operations: [{ query: COUNT, variables: '{"to":3}', operationName: 'Count' }] }, { reconnect: { enabled: true, initialDelayMs: 300 } })
    await expect(h.session.ended).resolves.toBe('closed')
    const request = h.ofKind('request')[0]!
    expect(request.method).toBe('POST')
    expect(request.headers).toMatchObject({ 'Content-Type': 'application/json', Accept: 'text/event-stream' })
    const flow = packets(h).map((p) => `${p.direction} ${p.type}${p.auto ? ' auto' : ''}`)
    expect(flow).toEqual(['out subscribe auto', 'in next', 'in next', 'in next', 'in complete'])
    expect(packets(h)[0]!.payload).toEqual({ query: COUNT, variables: { to: 3 }, operationName: 'Count' })
    expect(packets(h).filter((p) => p.type === 'next').map((p) => p.payload)).toEqual([1, 2, 3].map((count) => ({ data: { count } })))
    // The server's `Content-Encoding: none` is shown, not fatal.
    expect(h.ofKind('error')).toEqual([])
    expect(h.ofKind('finding').find((f) => f.id === 'content-encoding')).toMatchObject({ severity: 'info', evidence: ['Content-Encoding: none'] })
    expect(protocolFacts(h)).toMatchObject({ protocol: 'graphql-sse', idle: true, ended: expect.stringMatching(/completed/) })
    // The server ended the stream itself after `complete`.
    expect(h.ofKind('close')[0]).toMatchObject({ cause: 'remote-close', wasClean: true })
    // ~3 s later (an SSE retry would have come by then): still exactly one POST.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    expect(server.requests.map((r) => r.method)).toEqual(['POST'])
    expect(h.ofKind('reconnect')).toEqual([])
    expect(h.ofKind('finding').filter((f) => f.severity !== 'info')).toEqual([])
  })

  it('shows a validation error as the next result it comes in, then complete', async () => {
    server = await startSseServer()
    const h = open(server.url, { operations: [{ query: 'subscription { nope }' }] })
    await expect(h.session.ended).resolves.toBe('closed')
    const next = packets(h).find((p) => p.type === 'next')!
    expect(JSON.stringify(next.payload)).toMatch(/nope/)
    expect(packets(h).at(-1)!.type).toBe('complete')
  })

  it('refuses a spec that the mode cannot carry', () => {
    manager = new SessionManager()
    const none = manager.open({ technique: 'sse', url: 'http://127.0.0.1:9/', protocol: { name: 'graphql-sse' } })
    expect(none.ok).toBe(false)
    const two = manager.open({ technique: 'sse', url: 'http://127.0.0.1:9/', protocol: { name: 'graphql-sse', graphql: { operations: [{ query: COUNT }, { query: COUNT }] } } })
    expect(two.ok).toBe(false)
    if (!two.ok) expect(two.error.message).toMatch(/single-connection mode/)
  })

  it('sees the same next payloads as the real graphql-sse client', async () => {
    server = await startSseServer()
    const client = createClient({ url: server.url, fetchFn: fetch, retryAttempts: 0 })
    const oracle: unknown[] = []
    await new Promise<void>((resolve, reject) => {
      client.subscribe({ query: COUNT, variables: { to: 4 } }, { next: (value) => oracle.push(value), error: reject, complete: resolve })
    })
    client.dispose()
    const h = open(server.url, { operations: [{ query: COUNT, variables: '{"to":4}' }] })
    await h.session.ended
    expect(oracle).toHaveLength(4)
    expect(packets(h).filter((p) => p.type === 'next').map((p) => p.payload)).toEqual(oracle)
  })
})

describe('graphql-sse, single connection', () => {
  it('reserves, streams with the token, POSTs every operation with its id; results grouped; DELETE stops one', async () => {
    server = await startSseServer()
    const h = open(server.url, { singleConnection: true, operations: [{ query: COUNT, variables: '{"to":2}' }, { query: 'subscription { ticks }' }] })
    await until(() => packets(h).some((p) => p.type === 'complete' && p.id === '1') && packets(h).filter((p) => p.type === 'next' && p.id === '2').length >= 2)
    expect(server.requests.slice(0, 4).map((r) => r.method)).toEqual(['PUT', 'GET', 'POST', 'POST'])
    const token = server.requests[1]!.token
    expect(token).toMatch(/./)
    expect(server.requests.slice(1, 4).every((r) => r.token === token)).toBe(true)
    expect(h.ofKind('connecting')).toHaveLength(1)
    const subscribes = packets(h).filter((p) => p.type === 'subscribe')
    expect(subscribes.map((p) => [p.id, p.auto])).toEqual([
      ['1', true],
      ['2', true],
    ])
    expect(subscribes[0]!.payload).toEqual({ query: COUNT, variables: { to: 2 } })
    expect(packets(h).filter((p) => p.type === 'next' && p.id === '1').map((p) => p.payload)).toEqual([1, 2].map((count) => ({ data: { count } })))
    expect(packets(h).every((p) => p.error === undefined)).toBe(true)
    expect(h.ofKind('response').map((r) => r.status).slice(0, 2)).toEqual([201, 200])
    expect(protocolFacts(h)?.idle).toBe(false)
    // A subscribe from the user takes the next id; complete stops the ticks with DELETE. (Typed a
    // moment later, as a person would: six requests within one second count as a storm.)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    expect(h.session.send({ type: 'subscribe', query: COUNT, variables: '{"to":1}', operationName: '' }).ok).toBe(true)
    await until(() => packets(h).some((p) => p.type === 'complete' && p.id === '3'))
    expect(h.session.send({ type: 'complete', id: '2' }).ok).toBe(true)
    await until(() => server!.requests.some((r) => r.method === 'DELETE'))
    await until(() => protocolFacts(h)?.idle === true)
    expect(h.ofKind('error')).toEqual([])
    // The reservation (201) and the operations' answers (202) are not the stream's answer: no finding about them.
    expect(h.ofKind('finding').filter((f) => f.severity !== 'info')).toEqual([])
    expect(h.session.info().state).toBe('open')
  })

  it('oracle: the graphql-sse client in single-connection mode sees the same payloads', async () => {
    server = await startSseServer()
    const client = createClient({ url: server.url, fetchFn: fetch, retryAttempts: 0, singleConnection: true })
    const oracle: unknown[] = []
    await new Promise<void>((resolve, reject) => {
      client.subscribe({ query: COUNT, variables: { to: 3 } }, { next: (value) => oracle.push(value), error: reject, complete: resolve })
    })
    client.dispose()
    const h = open(server.url, { singleConnection: true, operations: [{ query: COUNT, variables: '{"to":3}' }] })
    await until(() => packets(h).some((p) => p.type === 'complete'))
    expect(oracle).toHaveLength(3)
    expect(packets(h).filter((p) => p.type === 'next').map((p) => p.payload)).toEqual(oracle)
  })
})
