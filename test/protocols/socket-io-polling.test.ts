// Socket.IO over Engine.IO polling against the real `socket.io` 4 server: the sid
// carried, one packet per frame, sends as POSTs, the upgrade to a WebSocket inside
// the same session (2probe / 3probe / 5 shown), EIO3 payloads, a server-side ping
// timeout explained, and no handshake storm against a server that refuses at once.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionSpecInput } from '../../main/contract/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'
import { eventsSeen, oracleClient, packetsSeen, startSocketIoServer, waitForPacket, WELCOME, type SocketIoServer } from '../helpers/socket-io-server.js'

let server: SocketIoServer
let manager: SessionManager
beforeAll(async () => {
  server = await startSocketIoServer({ pingInterval: 1000, pingTimeout: 2000 })
})
afterAll(() => server.close())
afterEach(() => manager?.dispose())

const open = (spec: Partial<ConnectionSpecInput> & { url: string }) => {
  manager = new SessionManager()
  return openSession(manager, { technique: 'long-polling', protocol: { name: 'socket.io' }, ...spec } as ConnectionSpecInput)
}
const noUpgrade = { name: 'socket.io' as const, socketio: { upgrade: false } }
const packets = packetsSeen
const waitPacket = waitForPacket
const events = eventsSeen
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const sidOf = (url: string) => new URL(url).searchParams.get('sid')

describe('Socket.IO over polling (EIO 4)', () => {
  it('carries the sid, sends as POSTs, answers pings, one packet per frame (--no-upgrade)', async () => {
    const h = open({ url: server.httpUrl, protocol: noUpgrade })
    await waitPacket(h, (p) => p.event === 'welcome')
    expect(h.session.state).toBe('open')
    const requests = h.ofKind('request')
    expect(requests[0]!.method).toBe('GET')
    expect(new URL(requests[0]!.url).searchParams.get('transport')).toBe('polling')
    expect(sidOf(requests[0]!.url)).toBeNull()
    const sid = packets(h, 'in')[0]!.sid as string
    expect(typeof sid).toBe('string')
    for (const request of requests.slice(1)) expect(sidOf(request.url)).toBe(sid)
    const connect = h.ofKind('message').find((f) => f.direction === 'out')!
    expect(connect).toMatchObject({ data: '40', auto: true })
    expect(requests.some((r) => r.method === 'POST')).toBe(true)
    // Each packet of a body is its own frame: the welcome EVENT is one frame with one packet.
    const welcome = events(h).find((p) => p.event === 'welcome')!
    expect(Array.isArray(welcome.frame.decoded)).toBe(false)
    expect(welcome.args).toEqual([...WELCOME])

    // As a user would, a moment after connecting.
    await sleep(1200)
    h.session.send({ type: 'emit', event: 'chat', args: '["over polling"]', ack: true })
    const ack = await waitPacket(h, (p) => p.type === 'ACK')
    expect(ack).toMatchObject({ args: ['ok', ['over polling']] })
    expect(ack.ackOf).toBe(packets(h, 'out').find((p) => p.type === 'EVENT')!.frame.seq)

    // Pings come every second and are answered by POSTs; the session outlives pingInterval + pingTimeout.
    await sleep(3500)
    expect(h.session.state).toBe('open')
    expect(packets(h, 'out').filter((p) => p.type === 'pong' && p.frame.auto === true).length).toBeGreaterThanOrEqual(3)
    // One GET held at a time: never two GETs without a response between them.
    let outstanding = 0
    for (const frame of h.frames) {
      if (frame.kind === 'request' && frame.method === 'GET') expect(++outstanding).toBe(1)
      if (frame.kind === 'response' && outstanding > 0 && !frame.body?.startsWith('ok')) outstanding--
    }
    expect(h.ofKind('finding').filter((f) => f.severity !== 'info'), JSON.stringify(h.ofKind('finding'))).toEqual([])
    expect(server.handshakes()).toBeGreaterThanOrEqual(1)
  })

  it('puts binary attachments (b-prefixed base64 packets) back in place', async () => {
    const h = open({ url: server.httpUrl, protocol: noUpgrade })
    h.session.send({ type: 'emit', event: 'binary', args: '[]', ack: false })
    const file = await waitPacket(h, (p) => p.event === 'file')
    expect(file.type).toBe('BINARY_EVENT')
    expect(file.args).toEqual([{ name: 'a.bin', data: { base64: 'AQID', size: 3 } }, { base64: Buffer.from('second').toString('base64'), size: 6 }])
    expect(file.frame.data).toBe(`b${Buffer.from('second').toString('base64')}`)
  })

  it('upgrades to a WebSocket inside the same session, like socket.io-client', async () => {
    const h = open({ url: server.httpUrl })
    await waitPacket(h, (p) => p.type === 'upgrade')
    const sid = packets(h, 'in')[0]!.sid as string
    const probe = packets(h, 'out').find((p) => p.type === 'ping' && p.data === 'probe')!
    expect(probe.frame).toMatchObject({ data: '2probe', auto: true })
    expect(packets(h, 'in').some((p) => p.type === 'pong' && p.data === 'probe')).toBe(true)
    expect(packets(h, 'out').find((p) => p.type === 'upgrade')!.frame).toMatchObject({ data: '5', auto: true })
    const wsRequest = h.ofKind('request').find((r) => r.url.startsWith('ws:'))!
    expect(new URL(wsRequest.url).searchParams.get('transport')).toBe('websocket')
    expect(sidOf(wsRequest.url)).toBe(sid)
    expect(h.ofKind('open')).toHaveLength(2)
    // The session goes on over the WebSocket: an emit and its ack, pings answered, no more GETs.
    const getsAtUpgrade = h.ofKind('request').filter((r) => r.method === 'GET').length
    h.session.send({ type: 'emit', event: 'chat', args: '["after upgrade"]', ack: true })
    const ack = await waitPacket(h, (p) => p.type === 'ACK')
    expect(ack.args).toEqual(['ok', ['after upgrade']])
    await sleep(1500)
    expect(h.session.state).toBe('open')
    expect(h.ofKind('request').filter((r) => r.method === 'GET')).toHaveLength(getsAtUpgrade)
    expect(h.ofKind('close')).toEqual([])
    expect(h.ofKind('finding').filter((f) => f.severity !== 'info')).toEqual([])
    // The noop that ended the held GET is decoded, never an error.
    expect(packets(h).filter((p) => p.error !== undefined)).toEqual([])
  })

  it('sees the same events as the real socket.io-client over polling', async () => {
    const oracle = await oracleClient(`http://127.0.0.1:${server.port}`, { transports: ['polling'] })
    const h = open({ url: server.httpUrl, protocol: noUpgrade })
    await waitPacket(h, (p) => p.event === 'welcome')
    oracle.socket.close()
    expect(events(h).map((p) => ({ event: p.event, args: p.args }))).toEqual(oracle.events)
  })

  it('names the proxy on its connecting frame, like the HTTP techniques (a proxy where nothing listens: the attempt fails, said once)', async () => {
    const h = open({ url: server.httpUrl, protocol: noUpgrade, proxy: { mode: 'url', url: 'http://127.0.0.1:9' }, reconnect: { enabled: false } })
    await h.session.ended
    expect(h.ofKind('connecting')).toEqual([expect.objectContaining({ url: expect.stringContaining('EIO=4&transport=polling'), proxy: 'http://127.0.0.1:9' })])
    expect(h.ofKind('error').map((f) => f.code)).toContain('E_PROXY_UNREACHABLE')
  })

  it('closes politely: the namespace left and the Engine.IO session closed by POSTs', async () => {
    const h = open({ url: server.httpUrl, protocol: noUpgrade })
    await waitPacket(h, (p) => p.event === 'welcome')
    h.session.close()
    await h.waitFor('close')
    expect(h.ofKind('message').filter((f) => f.direction === 'out').map((f) => f.data).slice(-2)).toEqual(['41', '1'])
    expect(h.ofKind('finding')).toEqual([])
  })
})

describe('Socket.IO over polling (EIO 3)', () => {
  let v3: SocketIoServer
  beforeAll(async () => {
    v3 = await startSocketIoServer({ allowEIO3: true, pingInterval: 400, pingTimeout: 1000 })
  })
  afterAll(() => v3.close())

  it('cuts length-prefixed payloads into packets, pings as the client, upgrades', async () => {
    const h = open({ url: v3.httpUrl, protocol: { name: 'socket.io', socketio: { eio: 3 } } })
    await waitPacket(h, (p) => p.event === 'welcome')
    expect(h.ofKind('response')[0]!.body).toMatch(/^\d+:0\{"sid":/)
    expect(packets(h, 'in')[0]).toMatchObject({ protocol: 'engine.io', type: 'open' })
    await waitPacket(h, (p) => p.type === 'upgrade')
    h.session.send({ type: 'emit', event: 'binary', args: '[]', ack: false })
    const file = await waitPacket(h, (p) => p.event === 'file')
    expect(file.args).toEqual([{ name: 'a.bin', data: { base64: 'AQID', size: 3 } }, { base64: Buffer.from('second').toString('base64'), size: 6 }])
    await h.waitFor('message', (f) => f.direction === 'out' && f.data === '2' && f.auto === true, 3000)
    await waitPacket(h, (p) => p.protocol === 'engine.io' && p.type === 'pong' && p.data === undefined)
    expect(packets(h).filter((p) => p.error !== undefined)).toEqual([])
  })

  it('over polling only, with binary as b4-prefixed base64', async () => {
    const h = open({ url: v3.httpUrl, protocol: { name: 'socket.io', socketio: { eio: 3, upgrade: false } } })
    await waitPacket(h, (p) => p.event === 'welcome')
    h.session.send({ type: 'emit', event: 'binary', args: '[]', ack: false })
    const file = await waitPacket(h, (p) => p.event === 'file')
    expect(file.frame.data).toMatch(/^b4/)
    expect(file.args).toEqual([{ name: 'a.bin', data: { base64: 'AQID', size: 3 } }, { base64: Buffer.from('second').toString('base64'), size: 6 }])
  })
})

describe('Socket.IO: the server ends the session', () => {
  it('explains a server-side ping timeout when the pongs are lost on the way', async () => {
    const lossy = await startSocketIoServer({ pingInterval: 300, pingTimeout: 400 })
    try {
      // The server drops every pong it gets, as a path that loses the client's packets would.
      lossy.io.engine.on('connection', (socket: { transport: { onPacket: (packet: { type: string }) => void } }) => {
        const transport = socket.transport
        const onPacket = transport.onPacket.bind(transport)
        transport.onPacket = (packet) => {
          if (packet.type !== 'pong') onPacket(packet)
        }
      })
      const h = open({ url: lossy.wsUrl, technique: 'websocket' })
      const finding = await h.waitFor('finding', (f) => f.id === 'protocol-close', 5000)
      expect(finding.severity).toBe('warning')
      expect(finding.summary).toMatch(/no pong within pingTimeout 400 ms, although the inspector answered the ping/)
      expect(h.ofKind('finding').filter((f) => f.id === 'protocol-close')).toHaveLength(1)
      expect(h.ofKind('close')).toHaveLength(1)
    } finally {
      await lossy.close()
    }
  })

  it('shows the close when a session that only decodes (protocol auto) never answers the pings', async () => {
    const quick = await startSocketIoServer({ pingInterval: 200, pingTimeout: 300 })
    try {
      manager = new SessionManager()
      const h = openSession(manager, { technique: 'websocket', url: `${quick.wsUrl}?EIO=4&transport=websocket` })
      await waitPacket(h, (p) => p.type === 'open')
      await waitPacket(h, (p) => p.type === 'ping')
      const close = await h.waitFor('close', undefined, 5000)
      expect(close.cause).toBe('remote-close')
      expect(h.ofKind('message').filter((f) => f.direction === 'out')).toEqual([])
    } finally {
      await quick.close()
    }
  })

  it('over polling: the server\'s close packet ends the session and is explained', async () => {
    const h = open({ url: server.httpUrl, protocol: noUpgrade, reconnect: { enabled: false } })
    await waitPacket(h, (p) => p.event === 'welcome')
    for (const socket of server.io.of('/').sockets.values()) socket.conn.close()
    const close = await h.waitFor('close')
    expect(close.cause).toBe('remote-close')
    expect(packets(h, 'in').find((p) => p.protocol === 'engine.io' && p.type === 'close')).toMatchObject({ meaning: 'the server closes the Engine.IO session' })
    const finding = await h.waitFor('finding', (f) => f.id === 'protocol-close')
    expect(finding.summary).toMatch(/server closed the Engine.IO session/)
  })
})

describe('Socket.IO: no handshake storm', () => {
  it('against a server that refuses every handshake at once, asks a handful of times per second at most', async () => {
    let handshakes = 0
    const refusing = createServer((_req, res) => {
      handshakes++
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"code":3,"message":"Bad request"}')
    })
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve))
    try {
      const port = (refusing.address() as AddressInfo).port
      const h = open({ url: `http://127.0.0.1:${port}/socket.io/`, reconnect: { enabled: true, initialDelayMs: 0, maxDelayMs: 0, jitter: 0 } })
      await sleep(3000)
      expect(handshakes).toBeGreaterThanOrEqual(2)
      expect(handshakes).toBeLessThanOrEqual(15)
      expect(h.ofKind('reconnect').length).toBeGreaterThanOrEqual(1)
      expect(h.ofKind('error').some((e) => /Bad request/.test(e.message))).toBe(true)
    } finally {
      refusing.closeAllConnections()
      await new Promise((resolve) => refusing.close(resolve))
    }
  })
})
