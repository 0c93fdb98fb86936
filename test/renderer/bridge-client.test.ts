import { describe, expect, it } from 'vitest'
import type { BridgeClientMessage, BridgeServerMessage, FrameBatch } from '@contract'
import { bridgeUrlFor, createBridgeClient, type BridgeSocket } from '../../renderer/src/api/bridge-client'

/** A socket the test drives by hand: what the client sent, and what the server says. */
class FakeSocket implements BridgeSocket {
  readyState = 0
  sent: BridgeClientMessage[] = []
  private listeners: Record<string, ((event: { data?: unknown }) => void)[]> = {}
  send(data: string) {
    if (this.readyState !== 1) throw new Error('send before open')
    this.sent.push(JSON.parse(data))
  }
  close() {
    this.emit('close')
  }
  addEventListener(type: string, listener: (event: { data?: unknown }) => void) {
    ;(this.listeners[type] ??= []).push(listener)
  }
  emit(type: string, data?: unknown) {
    if (type === 'open') this.readyState = 1
    if (type === 'close') this.readyState = 3
    for (const listener of this.listeners[type] ?? []) listener({ data })
  }
  reply(message: BridgeServerMessage) {
    this.emit('message', JSON.stringify(message))
  }
}

function connected() {
  const socket = new FakeSocket()
  const client = createBridgeClient('ws://127.0.0.1:1/api?token=t', () => socket)
  return { socket, client }
}

describe('bridge client', () => {
  it('waits for the socket to open before sending, then correlates answers by id', async () => {
    const { socket, client } = connected()
    const env = client.getEnvironment()
    const list = client.listSessions()
    expect(socket.sent).toEqual([])
    socket.emit('open')
    expect(socket.sent).toEqual([
      { type: 'call', id: 1, method: 'getEnvironment' },
      { type: 'call', id: 2, method: 'listSessions' },
    ])
    socket.reply({ type: 'result', id: 2, result: { ok: true, value: [] } })
    socket.reply({ type: 'result', id: 1, result: { ok: true, value: { version: '1', transport: 'bridge' } } })
    expect(await list).toEqual({ ok: true, value: [] })
    expect(await env).toEqual({ ok: true, value: { version: '1', transport: 'bridge' } })
  })

  it('sends the argument with the call', () => {
    const { socket, client } = connected()
    socket.emit('open')
    void client.send({ sessionId: 's1', message: { type: 'text', data: 'hi' } })
    expect(socket.sent[0]).toEqual({ type: 'call', id: 1, method: 'send', argument: { sessionId: 's1', message: { type: 'text', data: 'hi' } } })
  })

  it('hands batches to every frame listener until it stops listening', () => {
    const { socket, client } = connected()
    const seen: FrameBatch[] = []
    const stop = client.onFrames((b) => seen.push(b))
    const batch: FrameBatch = { sessionId: 's1', frames: [], skipped: 3, lastSeq: 3, state: 'open', stats: { frames: 3, messagesIn: 3, messagesOut: 0, bytesIn: 3, bytesOut: 0, reconnects: 0 } }
    socket.reply({ type: 'frames', batch })
    stop()
    socket.reply({ type: 'frames', batch })
    expect(seen).toEqual([batch])
  })

  it('answers pending and later calls with E_BRIDGE_DISCONNECTED once the socket closes', async () => {
    const { socket, client } = connected()
    let lost = ''
    client.onTransportLost((reason) => (lost = reason))
    socket.emit('open')
    const pending = client.listSessions()
    socket.emit('close')
    expect(await pending).toMatchObject({ ok: false, error: { code: 'E_BRIDGE_DISCONNECTED' } })
    expect(await client.getEnvironment()).toMatchObject({ ok: false, error: { code: 'E_BRIDGE_DISCONNECTED' } })
    expect(lost).not.toBe('')
  })

  it('also answers calls still queued when the socket never opened', async () => {
    const { socket, client } = connected()
    const queued = client.listSessions()
    socket.emit('error')
    socket.emit('close')
    expect(await queued).toMatchObject({ ok: false, error: { code: 'E_BRIDGE_DISCONNECTED' } })
  })

  it("builds the bridge URL from the page's own origin and token", () => {
    expect(bridgeUrlFor({ protocol: 'http:', host: '127.0.0.1:5173', search: '?token=a%2Bb' }, '/api', 'token')).toBe('ws://127.0.0.1:5173/api?token=a%2Bb')
    expect(bridgeUrlFor({ protocol: 'https:', host: 'h', search: '' }, '/api', 'token')).toBe('wss://h/api?token=')
  })
})
