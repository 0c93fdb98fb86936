// Bytes no well-behaved Socket.IO server sends, from a raw `ws` server and a raw HTTP
// server speaking just enough Engine.IO: each message is shown with its decode error,
// and the session goes on (the next good packet is decoded as usual).
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import type { ConnectionSpecInput } from '../../main/contract/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'
import { eventsSeen, packetsSeen, waitForPacket } from '../helpers/socket-io-server.js'

const OPEN = '0{"sid":"raw-sid","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'
const PLACEHOLDER = (num: number) => ({ _placeholder: true, num })

let manager: SessionManager | undefined
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  manager?.dispose()
  manager = undefined
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

/** A raw WebSocket server that sends these messages to every client, in order. */
async function rawWsServer(messages: (string | Buffer)[]): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise((resolve) => wss.once('listening', resolve))
  wss.on('connection', (socket) => {
    for (const message of messages) socket.send(message, { binary: typeof message !== 'string' })
  })
  cleanups.push(() => new Promise((resolve) => {
    for (const client of wss.clients) client.terminate()
    wss.close(() => resolve())
  }))
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/socket.io/`
}

function open(spec: Partial<ConnectionSpecInput> & { url: string }) {
  manager = new SessionManager()
  return openSession(manager, spec as ConnectionSpecInput)
}

describe('bad input over WebSocket', () => {
  const messages = [
    OPEN,
    '40{"sid":"ns-sid"}',
    'x not an engine.io packet',
    '42["unclosed", ',
    '42{"not":"an array"}',
    `451-${JSON.stringify(['two-placeholders', PLACEHOLDER(0), PLACEHOLDER(1)])}`,
    Buffer.from([1, 2, 3]),
    `451-${JSON.stringify(['cut-short', PLACEHOLDER(0)])}`,
    '42["after-cut",1]',
    Buffer.from([9, 9]),
    '4' + '2'.repeat(16 * 1024 * 1024 + 16),
    '42["still-alive",{"ok":true}]',
  ]

  for (const protocol of ['socket.io', 'auto'] as const) {
    it(`shows each decode error and goes on (protocol ${protocol})`, async () => {
      const url = await rawWsServer(messages)
      const h = open({ technique: 'websocket', url, protocol: { name: protocol } })
      await waitForPacket(h, (p) => p.event === 'still-alive', 15_000)
      expect(h.session.state).toBe('open')
      const inFrames = h.ofKind('message').filter((f) => f.direction === 'in')
      expect(inFrames).toHaveLength(messages.length)
      // Every frame kept as it came, decoded or not.
      expect(inFrames.every((f) => f.decoded !== undefined)).toBe(true)
      const errorsOf = (i: number) => packetsSeen(h, 'in').filter((p) => p.frame === inFrames[i] && p.error !== undefined).map((p) => `${p.protocol}: ${p.error}`)
      expect(errorsOf(2)).toEqual([expect.stringMatching(/^engine\.io: not an Engine\.IO packet: the type "x"/)])
      expect(errorsOf(3)).toEqual([expect.stringMatching(/^socket\.io: not a Socket\.IO packet: invalid payload/)])
      expect(errorsOf(4)).toEqual([expect.stringMatching(/^socket\.io: not a Socket\.IO packet: invalid payload/)])
      // More placeholders than attachments: the header waits, the one attachment cannot complete it.
      expect(packetsSeen(h, 'in').find((p) => p.frame === inFrames[5])).toMatchObject({ type: 'BINARY_EVENT', attachments: 1, pending: true })
      expect(errorsOf(6)).toEqual([expect.stringMatching(/cannot be put together: its placeholders point at attachments that are not there/)])
      // A text packet before the attachment: the wait ends with an error, the packet itself is decoded.
      expect(errorsOf(8)).toEqual([expect.stringMatching(/announced 1 binary attachment but a text packet came after 0/)])
      expect(eventsSeen(h).map((p) => p.event)).toEqual(['after-cut', 'still-alive'])
      // Binary data with nothing waiting for it.
      expect(errorsOf(9)).toEqual([expect.stringMatching(/no BINARY_EVENT or BINARY_ACK waits/)])
      // A packet over 16 MiB is not decoded, and says so.
      expect(errorsOf(10)).toEqual([expect.stringMatching(/not decoded: \d+ bytes is more than the 16 MiB/)])
      if (protocol === 'auto') expect(h.ofKind('message').filter((f) => f.direction === 'out')).toEqual([])
      else expect(h.ofKind('message').find((f) => f.direction === 'out')).toMatchObject({ data: '40', auto: true })
    })
  }
})

describe('bad input over polling', () => {
  /** A raw Engine.IO polling server: the handshake, then these bodies one GET after another, then it holds. */
  async function rawPollingServer(bodies: { status?: number; body: string }[], upgrades = '[]'): Promise<{ url: string; server: HttpServer }> {
    let gets = 0
    const server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x')
      // No WebSocket here: an upgrade is refused as a server without the transport would.
      if (req.headers.upgrade) return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":3,"message":"Bad request"}')
      if (req.method === 'POST') return void req.resume().on('end', () => res.writeHead(200, { 'content-type': 'text/html' }).end('ok'))
      const handshake = OPEN.replace('"upgrades":[]', `"upgrades":${upgrades}`)
      const open = url.searchParams.get('EIO') === '3' ? `${handshake.length}:${handshake}` : handshake
      if (!url.searchParams.get('sid')) return void res.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8' }).end(open)
      const next = bodies[gets++]
      if (!next) return // held until the client goes
      res.writeHead(next.status ?? 200, { 'content-type': next.status ? 'application/json' : 'text/plain; charset=UTF-8' }).end(next.body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }))
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/socket.io/`, server }
  }

  it('cuts a malformed payload into its packets, each decoded or shown with its error', async () => {
    const { url } = await rawPollingServer([{ body: ['40{"sid":"n"}', '9bad', '42["ok",1]', 'b!!!'].join('\x1e') }, { body: '42["later"]' }])
    const h = open({ technique: 'long-polling', url, protocol: { name: 'socket.io', socketio: { upgrade: false } } })
    await waitForPacket(h, (p) => p.event === 'later')
    const types = packetsSeen(h, 'in').map((p) => (p.error ? `error ${p.protocol}` : p.type))
    expect(types).toEqual(['open', 'CONNECT', 'error engine.io', 'EVENT', 'error socket.io', 'EVENT'])
    expect(h.session.state).toBe('open')
  })

  it('stays on polling when the upgrade to WebSocket fails, and says so', async () => {
    const { url } = await rawPollingServer([{ body: '40{"sid":"n"}' }, { body: '42["still-polling"]' }], '["websocket"]')
    const h = open({ technique: 'long-polling', url, protocol: { name: 'socket.io' } })
    await h.waitFor('error', (e) => e.code === 'E_UPGRADE_FAILED')
    await waitForPacket(h, (p) => p.event === 'still-polling')
    expect(h.session.state).toBe('open')
    expect(h.ofKind('request').some((r) => r.url.startsWith('ws:'))).toBe(true)
    expect(h.ofKind('close')).toEqual([])
  })

  it('shows a lost session (400 Session ID unknown) with its meaning', async () => {
    const { url } = await rawPollingServer([{ body: '40{"sid":"n"}' }, { status: 400, body: '{"code":1,"message":"Session ID unknown"}' }])
    const h = open({ technique: 'long-polling', url, protocol: { name: 'socket.io', socketio: { upgrade: false } }, reconnect: { enabled: false } })
    const error = await h.waitFor('error', (e) => e.code === 'E_HTTP_STATUS')
    expect(error.message).toMatch(/400 Bad Request: Session ID unknown — the server does not know this session id/)
    const response = h.ofKind('response').find((r) => r.status === 400)!
    expect(response.body).toContain('Session ID unknown')
    await h.waitFor('close')
  })

  it('a v3 payload whose lengths do not add up is cut as its lengths say, each piece with its error', async () => {
    const { url } = await rawPollingServer([{ body: '5:42["a"]' }, { body: '2:40' }])
    const h = open({ technique: 'long-polling', url: `${url}?EIO=3`, protocol: { name: 'socket.io', socketio: { eio: 3, upgrade: false } } })
    await waitForPacket(h, (p) => p.type === 'CONNECT')
    // The length says 5: the cut follows it, and both pieces say what is wrong with them.
    expect(h.ofKind('response').some((r) => r.body === '5:42["a"]')).toBe(true)
    const bad = packetsSeen(h, 'in').filter((p) => p.error !== undefined)
    expect(bad.map((p) => [p.frame.data, p.protocol])).toEqual([
      ['42["a', 'socket.io'],
      ['"]', 'engine.io'],
    ])
    expect(h.session.state).toBe('open')
  })
})
