// The WebSocket mock serves the server's side of a recorded session: our own client
// (an engine session) connected to it sees what the recorded client saw, in order,
// at the recorded times.
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import type { Frame } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { startMockServer, type MockServer } from '../../main/replay/mock-server.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'
import { expectTiming, offsets, recordSession, type Recorded } from './recorded-session.js'

let dir: string
let playground: Playground
let manager: SessionManager
let scripted: WebSocketServer
const mocks: MockServer[] = []

const served = (frame: Frame) => (frame.kind === 'message' || frame.kind === 'ping') && frame.direction === 'in'
const payloadOf = (frame: Frame) => (frame.kind === 'message' ? (frame.data ?? `base64:${frame.dataBase64}`) : frame.kind === 'ping' ? `ping:${frame.data}` : frame.kind)
const mock = async (path: string, options: Parameters<typeof startMockServer>[1] = {}) => {
  const server = await startMockServer(path, options)
  mocks.push(server)
  return server
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-mock-ws-'))
  playground = await startPlayground({})
  manager = new SessionManager({ net: {} })
  // A real server with a fixed script: text, binary, a ping, text, then a close frame.
  scripted = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (offered) => (offered.has('chat') ? 'chat' : false) })
  scripted.on('connection', (ws) => {
    setTimeout(() => ws.send('hello'), 60)
    setTimeout(() => ws.send(Buffer.from([1, 2, 3, 250]), { binary: true }), 120)
    setTimeout(() => ws.ping('are you there'), 180)
    setTimeout(() => ws.send('last words'), 240)
    setTimeout(() => ws.close(4001, 'done'), 300)
  })
  await new Promise((resolve) => scripted.once('listening', resolve))
})

afterAll(async () => {
  await Promise.all(mocks.map((m) => m.close()))
  manager.dispose()
  await new Promise((resolve) => scripted.close(resolve))
  await playground.close()
  await rm(dir, { recursive: true, force: true })
})

describe('WebSocket mock', () => {
  let recorded: Recorded
  beforeAll(async () => {
    const url = `ws://127.0.0.1:${(scripted.address() as AddressInfo).port}/live/feed?room=7`
    recorded = await recordSession(manager, { technique: 'websocket', url, websocket: { subprotocols: ['chat'] } }, join(dir, 'scripted.rti.jsonl'), (h) => h.waitFor('close').then(() => {}))
  })

  it('replays text, binary and pings with the recorded subprotocol and timing, then the recorded close', async () => {
    const server = await mock(recorded.path)
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/live\/feed\?room=7$/)
    const h = openSession(manager, { technique: 'websocket', url: server.url, websocket: { subprotocols: ['chat'] } })
    const close = await h.waitFor('close')

    expect(h.ofKind('open')[0]!.protocol).toBe('chat')
    expect(h.frames.filter(served).map(payloadOf)).toEqual(recorded.frames.filter(served).map(payloadOf))
    expect(h.frames.filter(served).map(payloadOf)).toEqual(['hello', `base64:${Buffer.from([1, 2, 3, 250]).toString('base64')}`, 'ping:are you there', 'last words'])
    expect({ code: close.code, reason: close.reason, cause: close.cause }).toEqual({ code: 4001, reason: 'done', cause: 'remote-close' })
    expectTiming(offsets(h.frames, (f) => served(f) || f.kind === 'close'), offsets(recorded.frames, (f) => served(f) || f.kind === 'close'))
  })

  it('plays faster with a speed: the recorded gaps divided by it', async () => {
    const server = await mock(recorded.path, { speed: 2 })
    const h = openSession(manager, { technique: 'websocket', url: server.url })
    await h.waitFor('close')
    expectTiming(offsets(h.frames, served), offsets(recorded.frames, served).map((t) => t / 2))
  })

  it('answers on any path, and without the subprotocol when the client offers none', async () => {
    const server = await mock(recorded.path)
    const h = openSession(manager, { technique: 'websocket', url: server.url.replace(/\/live.*$/, '/elsewhere') })
    await h.waitFor('close')
    expect(h.ofKind('open')[0]!.protocol).toBe('')
    expect(h.frames.filter(served)).toHaveLength(4)
  })

  it('with afterClientMessage, each server message waits for the client message recorded before it', async () => {
    const echo = `${playground.baseUrl.replace(/^http/, 'ws')}/ws/echo`
    const conversation = await recordSession(manager, { technique: 'websocket', url: echo }, join(dir, 'echo.rti.jsonl'), async (h) => {
      await h.waitFor('open')
      h.session.send({ type: 'text', data: 'first' })
      await h.waitFor('message', (m) => m.direction === 'in' && m.data === 'first')
      await new Promise((resolve) => setTimeout(resolve, 100))
      h.session.send({ type: 'text', data: 'second' })
      await h.waitFor('message', (m) => m.direction === 'in' && m.data === 'second')
    })
    expect(conversation.frames.filter((f) => f.kind === 'message').map((f) => `${f.direction}:${payloadOf(f)}`)).toEqual(['out:first', 'in:first', 'out:second', 'in:second'])

    const server = await mock(conversation.path, { afterClientMessage: true })
    const h = openSession(manager, { technique: 'websocket', url: server.url })
    await h.waitFor('open')
    const incoming = () => h.ofKind('message').filter((m) => m.direction === 'in').map((m) => m.data)
    // The recording answered 'first' within a few ms of the open; here it waits.
    await new Promise((resolve) => setTimeout(resolve, 250))
    expect(incoming()).toEqual([])

    h.session.send({ type: 'text', data: 'anything' })
    const sentAt = (await h.waitFor('message', (m) => m.direction === 'out')).time
    const first = await h.waitFor('message', (m) => m.direction === 'in')
    expect(first.data).toBe('first')
    expect(first.time - sentAt).toBeLessThan(40)
    await new Promise((resolve) => setTimeout(resolve, 250))
    expect(incoming()).toEqual(['first'])

    h.session.send({ type: 'text', data: 'more' })
    expect((await h.waitFor('message', (m) => m.direction === 'in' && m.data === 'second')).data).toBe('second')
    expect(incoming()).toEqual(['first', 'second'])
  })

  it('without afterClientMessage, the same recording plays on its own timeline', async () => {
    const server = await mock(join(dir, 'echo.rti.jsonl'))
    const h = openSession(manager, { technique: 'websocket', url: server.url })
    await h.waitFor('message', (m) => m.direction === 'in' && m.data === 'second')
    expect(h.ofKind('message').filter((m) => m.direction === 'out')).toEqual([])
  })

  it.each([
    ['a FIN without a close frame', 'drop', 'fin'],
    ['a TCP reset', 'reset', 'reset'],
  ])('drops the connection as the recording did: %s', async (_what, endpoint, cause) => {
    const url = `${playground.baseUrl.replace(/^http/, 'ws')}/ws/${endpoint}?after=150`
    const cutShort = await recordSession(manager, { technique: 'websocket', url }, join(dir, `${endpoint}.rti.jsonl`), (h) => h.waitFor('close').then(() => {}))
    expect(cutShort.frames.find((f) => f.kind === 'close')).toMatchObject({ cause })

    const server = await mock(cutShort.path)
    const h = openSession(manager, { technique: 'websocket', url: server.url })
    const close = await h.waitFor('close')
    expect({ code: close.code, cause: close.cause }).toEqual({ code: 1006, cause })
    expectTiming(offsets(h.frames, (f) => f.kind === 'close'), offsets(cutShort.frames, (f) => f.kind === 'close'))
  })

  it('serves a recorded refusal of the handshake as it was: status, headers and body', async () => {
    const url = `${playground.baseUrl.replace(/^http/, 'ws')}/ws/reject?status=403`
    const refused = await recordSession(manager, { technique: 'websocket', url }, join(dir, 'refused.rti.jsonl'), (h) => h.waitFor('error').then(() => {}))
    const recordedAnswer = refused.frames.find((f) => f.kind === 'response')!
    expect(recordedAnswer).toMatchObject({ status: 403 })

    const server = await mock(refused.path)
    const h = openSession(manager, { technique: 'websocket', url: server.url })
    const answer = await h.waitFor('response')
    await h.waitFor('error')
    expect(answer.status).toBe(403)
    expect(answer.headers['x-playground-reason']).toBe('rejected')
    expect(answer.body).toBe(recordedAnswer.body)
    expect(h.ofKind('open')).toEqual([])
  })
})
