// The WebSocket technique against an independent implementation (Python `websockets`).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FrameSchema } from '../../main/contract/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { startPythonPeer, type PythonPeer } from '../helpers/python-peer.js'
import { openSession } from '../helpers/session-harness.js'

let peer: PythonPeer
let manager: SessionManager
beforeAll(async () => {
  peer = await startPythonPeer()
})
afterAll(() => peer.stop())
afterEach(() => manager?.dispose())

const open = (path: string, extra: object = {}) => {
  manager = new SessionManager()
  return openSession(manager, { technique: 'websocket', url: peer.url(path), ...extra })
}

describe('WebSocket against Python websockets', () => {
  it('shows the handshake, then echoes text and binary with their types', async () => {
    const h = open('/echo')
    await h.waitFor('open')
    expect(h.session.send({ type: 'text', data: 'hello' }).ok).toBe(true)
    expect(h.session.send({ type: 'binary', base64: Buffer.from([0, 1, 254, 255]).toString('base64') }).ok).toBe(true)
    const text = await h.waitFor('message', (f) => f.direction === 'in' && f.data === 'hello')
    const binary = await h.waitFor('message', (f) => f.direction === 'in' && f.binary === true)
    expect(text.size).toBe(5)
    expect(Buffer.from(binary.dataBase64!, 'base64')).toEqual(Buffer.from([0, 1, 254, 255]))
    const request = h.ofKind('request')[0]!
    expect(request.method).toBe('GET')
    expect(request.headers['sec-websocket-version']).toBe('13')
    const response = h.ofKind('response')[0]!
    expect(response.status).toBe(101)
    expect(Object.keys(response.headers).map((k) => k.toLowerCase())).toContain('sec-websocket-accept')
    for (const frame of h.frames) expect(FrameSchema.safeParse(frame).success).toBe(true)
    const seqs = h.frames.map((f) => f.seq)
    expect(seqs).toEqual(seqs.map((_, i) => i + 1))
  })

  it('delivers custom handshake headers and the chosen subprotocol to the server', async () => {
    const h = open('/headers', { headers: [{ name: 'X-Debug-Token', value: 'abc123' }], websocket: { subprotocols: ['x-unknown', 'superchat'] } })
    const open_ = await h.waitFor('open')
    expect(open_.protocol).toBe('superchat')
    const report = JSON.parse((await h.waitFor('message')).data!) as { headers: Record<string, string>; subprotocol: string }
    expect(report.headers['x-debug-token']).toBe('abc123')
    expect(report.subprotocol).toBe('superchat')
  })

  it('shows the server ping and the automatic pong', async () => {
    const h = open('/ping')
    const ping = await h.waitFor('ping', (f) => f.direction === 'in')
    expect(ping.data).toBe('are-you-there')
    await h.waitFor('pong', (f) => f.direction === 'out')
  })

  it('sends a ping and shows the pong', async () => {
    const h = open('/echo')
    await h.waitFor('open')
    h.session.send({ type: 'ping', data: 'p1' })
    expect((await h.waitFor('pong', (f) => f.direction === 'in')).data).toBe('p1')
  })

  it('reports a server close 4000 with its reason and meaning', async () => {
    const h = open('/close/4000')
    const close = await h.waitFor('close')
    expect(close).toMatchObject({ code: 4000, reason: 'bye', cause: 'remote-close', wasClean: true, meaning: 'application-defined (private use)' })
    await expect(h.session.ended).resolves.toBe('closed')
  })

  it('keeps a refused handshake as evidence: status, headers and body', async () => {
    const h = open('/reject')
    const response = await h.waitFor('response')
    expect(response.status).toBe(401)
    expect(response.headers['X-Peer']).toBe('python')
    expect(response.body).toBe('token required\n')
    expect((await h.waitFor('error')).code).toBe('E_HANDSHAKE')
    await expect(h.session.ended).resolves.toBe('failed')
  })
})
