// Socket.IO driven over a WebSocket against the real `socket.io` 4 server: the
// handshake and namespace CONNECT sent by the inspector (marked auto), pings
// answered, emits with acks matched to their round-trip time, binary attachments put
// back in place, namespaces with auth and their refusal explained, EIO3 — and the
// real socket.io-client as the oracle for what the events hold.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionSpecInput } from '../../main/contract/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'
import { ADMIN_TOKEN, eventsSeen, oracleClient, packetsSeen, startSocketIoServer, waitForPacket, WELCOME, type SocketIoServer } from '../helpers/socket-io-server.js'

let server: SocketIoServer
let manager: SessionManager
beforeAll(async () => {
  server = await startSocketIoServer({ pingInterval: 400, pingTimeout: 2000 })
})
afterAll(() => server.close())
afterEach(() => manager?.dispose())

const open = (spec: Partial<ConnectionSpecInput> & { url: string }) => {
  manager = new SessionManager()
  return openSession(manager, { technique: 'websocket', protocol: { name: 'socket.io' }, ...spec } as ConnectionSpecInput)
}
const packets = packetsSeen
const waitPacket = waitForPacket
const events = eventsSeen

describe('Socket.IO over WebSocket (EIO 4)', () => {
  it('connects the namespace by itself, answers pings, and decodes every packet', async () => {
    const h = open({ url: server.wsUrl })
    const welcome = await waitPacket(h, (p) => p.type === 'EVENT' && p.event === 'welcome')
    expect(welcome).toMatchObject({ protocol: 'socket.io', namespace: '/', args: [...WELCOME] })
    const outs = h.ofKind('message').filter((f) => f.direction === 'out')
    expect(outs[0]).toMatchObject({ data: '40', auto: true, decoded: { protocol: 'socket.io', type: 'CONNECT', namespace: '/' } })
    const open0 = packets(h, 'in')[0]!
    expect(open0).toMatchObject({ protocol: 'engine.io', type: 'open', pingInterval: 400, pingTimeout: 2000, upgrades: [] })
    expect(typeof open0.sid).toBe('string')
    expect(packets(h, 'in').find((p) => p.type === 'CONNECT')).toMatchObject({ protocol: 'socket.io', namespace: '/' })
    // Server pings (every 400 ms) are answered with auto pongs; the session stays up past pingInterval + pingTimeout.
    await h.waitFor('message', (f) => f.direction === 'out' && f.data === '3' && f.auto === true, 3000)
    await new Promise((resolve) => setTimeout(resolve, 2800))
    expect(h.session.state).toBe('open')
    expect(packets(h, 'out').filter((p) => p.type === 'pong').length).toBeGreaterThanOrEqual(3)
    expect(h.ofKind('finding').filter((f) => f.severity !== 'info')).toEqual([])
  })

  it('emits with an ack and matches the ACK to its emit with the round-trip time', async () => {
    const h = open({ url: server.wsUrl })
    const sent = h.session.send({ type: 'emit', event: 'chat', args: '["hi", {"n": 2}]', ack: true })
    expect(sent.ok).toBe(true)
    const ack = await waitPacket(h, (p) => p.type === 'ACK')
    const emit = packets(h, 'out').find((p) => p.type === 'EVENT')!
    expect(emit).toMatchObject({ event: 'chat', args: ['hi', { n: 2 }], ackId: 0 })
    expect(emit.frame.data).toBe('420["chat","hi",{"n":2}]')
    expect(emit.frame.auto).toBeUndefined()
    expect(ack).toMatchObject({ ackId: 0, args: ['ok', ['hi', { n: 2 }]], ackOf: emit.frame.seq })
    expect(ack.rttMs).toBeGreaterThanOrEqual(0)
    expect(ack.rttMs).toBeLessThan(2000)
  })

  it('puts binary attachments back in place of their placeholders, counting the event once', async () => {
    const h = open({ url: server.wsUrl })
    h.session.send({ type: 'emit', event: 'binary', args: '[]', ack: false })
    const file = await waitPacket(h, (p) => p.type === 'BINARY_EVENT' && p.event === 'file')
    expect(file.args).toEqual([{ name: 'a.bin', data: { base64: Buffer.from([1, 2, 3]).toString('base64'), size: 3 } }, { base64: Buffer.from('second').toString('base64'), size: 6 }])
    expect(file.frame.binary).toBe(true)
    const header = packets(h, 'in').find((p) => p.type === 'BINARY_EVENT' && p.pending === true)!
    expect(header).toMatchObject({ attachments: 2 })
    expect(header.event).toBeUndefined()
    expect(packets(h, 'in').filter((p) => p.type === 'BINARY_ATTACHMENT')).toHaveLength(1)
    expect(events(h).filter((p) => p.event === 'file')).toHaveLength(1)
  })

  it('sees the same events and payloads as the real socket.io-client', async () => {
    const oracle = await oracleClient(`http://127.0.0.1:${server.port}`, { transports: ['websocket'] })
    const h = open({ url: server.wsUrl })
    h.session.send({ type: 'emit', event: 'binary', args: '[]', ack: false })
    oracle.socket.emit('binary')
    await waitPacket(h, (p) => p.event === 'file')
    await new Promise((resolve) => setTimeout(resolve, 200))
    oracle.socket.close()
    const toJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? { base64: Buffer.from((v as { data: number[] }).data).toString('base64'), size: (v as { data: number[] }).data.length } : v)))
    expect(events(h).map((p) => ({ event: p.event, args: p.args }))).toEqual(toJson(oracle.events))
  })

  it('connects a namespace with auth, and explains a refusal (CONNECT_ERROR)', async () => {
    const good = open({ url: server.wsUrl, protocol: { name: 'socket.io', socketio: { namespace: '/admin', auth: JSON.stringify({ token: ADMIN_TOKEN }) } } })
    const hello = await waitPacket(good, (p) => p.event === 'hello-admin')
    expect(hello).toMatchObject({ namespace: '/admin', args: [{ admin: true }] })
    expect(good.ofKind('message').find((f) => f.direction === 'out')).toMatchObject({ data: `40/admin,{"token":"${ADMIN_TOKEN}"}`, auto: true })
    manager.dispose()

    const bad = open({ url: server.wsUrl, protocol: { name: 'socket.io', socketio: { namespace: '/admin', auth: '{"token":"wrong"}' } } })
    const refused = await waitPacket(bad, (p) => p.type === 'CONNECT_ERROR')
    expect(refused).toMatchObject({ namespace: '/admin', data: { message: 'unauthorized', data: { reason: 'bad token' } } })
    expect(String(refused.meaning)).toMatch(/middleware said "unauthorized"/)
    const finding = await bad.waitFor('finding', (f) => f.id === 'protocol-close')
    expect(finding.severity).toBe('warning')
    expect(finding.summary).toMatch(/refused to connect the namespace \/admin/)
    await bad.waitFor('close')
    expect(bad.ofKind('reconnect')).toEqual([])
  })

  it('explains an unknown namespace', async () => {
    const h = open({ url: server.wsUrl, protocol: { name: 'socket.io', socketio: { namespace: '/nowhere' } } })
    const refused = await waitPacket(h, (p) => p.type === 'CONNECT_ERROR')
    expect(String(refused.meaning)).toMatch(/no such namespace/)
  })

  it('says so when the server disconnects the namespace', async () => {
    const h = open({ url: server.wsUrl })
    h.session.send({ type: 'emit', event: 'bye', args: '[]', ack: false })
    const disconnect = await waitPacket(h, (p) => p.type === 'DISCONNECT')
    expect(String(disconnect.meaning)).toMatch(/server disconnected/)
    const finding = await h.waitFor('finding', (f) => f.id === 'protocol-close')
    expect(finding.summary).toMatch(/disconnected the namespace/)
  })

  it('waits with what the user sends until the namespace is connected', async () => {
    const h = open({ url: server.wsUrl })
    // Sent at once, before the handshake: it goes out after the CONNECT was acknowledged.
    h.session.send({ type: 'emit', event: 'chat', args: '["early"]', ack: true })
    await waitPacket(h, (p) => p.type === 'ACK')
    const order = packets(h).map((p) => `${p.frame.direction} ${p.type}`)
    expect(order.indexOf('in CONNECT')).toBeLessThan(order.indexOf('out EVENT'))
  })
})

describe('Socket.IO over WebSocket (EIO 3, allowEIO3)', () => {
  let v3: SocketIoServer
  beforeAll(async () => {
    v3 = await startSocketIoServer({ allowEIO3: true, pingInterval: 300, pingTimeout: 1000 })
  })
  afterAll(() => v3.close())

  it('lets the server connect the main namespace, pings as the client, and emits', async () => {
    const h = open({ url: v3.wsUrl, protocol: { name: 'socket.io', socketio: { eio: 3 } } })
    expect((await h.waitFor('connecting')).url).toContain('EIO=3')
    await waitPacket(h, (p) => p.event === 'welcome')
    h.session.send({ type: 'emit', event: 'chat', args: '["v3"]', ack: true })
    const ack = await waitPacket(h, (p) => p.type === 'ACK')
    expect(ack).toMatchObject({ args: ['ok', ['v3']] })
    expect(typeof ack.ackOf).toBe('number')
    // v3: the client pings, the server pongs.
    await h.waitFor('message', (f) => f.direction === 'out' && f.data === '2' && f.auto === true, 3000)
    await waitPacket(h, (p) => p.protocol === 'engine.io' && p.type === 'pong')
    expect(packets(h, 'out').some((p) => p.type === 'CONNECT')).toBe(false)
  })

  it('connects a namespace with its auth as the query', async () => {
    const h = open({ url: v3.wsUrl, protocol: { name: 'socket.io', socketio: { eio: 3, namespace: '/admin', auth: JSON.stringify({ token: ADMIN_TOKEN }) } } })
    await waitPacket(h, (p) => p.event === 'hello-admin')
    expect(packets(h, 'out').find((p) => p.type === 'CONNECT')).toMatchObject({ namespace: '/admin', data: { token: ADMIN_TOKEN } })
  })
})
