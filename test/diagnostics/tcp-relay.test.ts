// The test relay itself (test/helpers/tcp-relay.ts): it forwards, and cuts the way it
// is told — a FIN, a real RST, or a blackhole that tells nobody.
import { createServer, connect, type Server, type Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startTcpRelay, type TcpRelay } from '../helpers/tcp-relay.js'

let echo: Server
let echoPort: number
let relay: TcpRelay | undefined
const sockets: Socket[] = []

beforeAll(async () => {
  echo = createServer((socket) => socket.pipe(socket))
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve))
  echoPort = (echo.address() as { port: number }).port
})
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await relay?.stop()
  relay = undefined
})
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())))

/** A client through the relay, with what happened to it. */
async function client(port: number) {
  const socket = connect(port, '127.0.0.1')
  sockets.push(socket)
  const seen = { data: '', ended: false, error: undefined as string | undefined, at: 0 }
  socket.on('data', (chunk) => (seen.data += chunk.toString()))
  socket.on('end', () => {
    seen.ended = true
    seen.at = Date.now()
  })
  socket.on('error', (error: NodeJS.ErrnoException) => {
    seen.error = error.code
    seen.at = Date.now()
  })
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
  return { socket, seen, startedAt: Date.now() }
}

const until = async (check: () => boolean, timeoutMs = 3000) => {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('the test TCP relay', () => {
  it('forwards both ways and never cuts without being told', async () => {
    relay = await startTcpRelay({ target: echoPort })
    const { socket, seen } = await client(relay.port)
    socket.write('hello')
    await until(() => seen.data === 'hello')
    await new Promise((r) => setTimeout(r, 300))
    expect(seen.ended).toBe(false)
    expect(relay.cuts).toEqual([])
    expect(relay.connections).toBe(1)
  })

  it('ends the connection with a FIN after the silence it was given; bytes restart the timer', async () => {
    relay = await startTcpRelay({ target: echoPort, cut: { mode: 'idle', afterMs: 400, action: 'fin' } })
    const { socket, seen, startedAt } = await client(relay.port)
    await new Promise((r) => setTimeout(r, 250))
    socket.write('x')
    await until(() => seen.ended)
    expect(seen.error).toBeUndefined()
    // The write at ~250 ms pushed the cut to ~650 ms.
    expect(seen.at - startedAt).toBeGreaterThanOrEqual(600)
    expect(relay.cuts).toMatchObject([{ connection: 1, action: 'fin' }])
    expect(relay.cuts[0]!.idleMs).toBeGreaterThanOrEqual(395)
  })

  it('resets the connection (a real RST: read ECONNRESET) at the age it was given, traffic or not', async () => {
    relay = await startTcpRelay({ target: echoPort, cut: { mode: 'lifetime', afterMs: 500, action: 'rst' } })
    const { socket, seen, startedAt } = await client(relay.port)
    const writer = setInterval(() => socket.writable && socket.write('.'), 50)
    try {
      await until(() => seen.error !== undefined || seen.ended)
    } finally {
      clearInterval(writer)
    }
    expect(seen.error).toBe('ECONNRESET')
    expect(seen.at - startedAt).toBeGreaterThanOrEqual(450)
    expect(relay.cuts[0]).toMatchObject({ action: 'rst' })
    expect(relay.cuts[0]!.idleMs).toBeLessThan(200)
  })

  it('blackholes: nothing is forwarded any more and nobody is told', async () => {
    relay = await startTcpRelay({ target: echoPort, cut: { mode: 'idle', afterMs: 200, action: 'blackhole' } })
    const { socket, seen } = await client(relay.port)
    await until(() => relay!.cuts.length === 1)
    socket.write('lost')
    await new Promise((r) => setTimeout(r, 400))
    expect(seen).toMatchObject({ data: '', ended: false, error: undefined })
    expect(relay.open).toBe(1)
  })
})
