// Closing a session releases everything at once, also a tunnel the proxy has not
// answered yet: the proxy sees its connection closed, not left to a timeout.
import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SessionManager } from '../../main/session/session-manager.js'
import { SUPPORTED_TECHNIQUES } from '../../main/techniques/index.js'
import { openSession } from '../helpers/session-harness.js'

/** A proxy that reads the CONNECT and never answers. */
let silent: Server
const connections: Array<{ socket: Socket; request: Promise<string>; closed: Promise<number> }> = []

beforeAll(async () => {
  silent = createServer((socket) => {
    const request = new Promise<string>((resolve) => socket.once('data', (d) => resolve(d.toString())))
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())))
    socket.on('error', () => {})
    connections.push({ socket, request, closed })
  })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
})
afterAll(() => new Promise<void>((resolve) => silent.close(() => resolve())))

describe.each(SUPPORTED_TECHNIQUES)('%s disposed while the proxy is silent', (technique) => {
  it('closes the connection to the proxy at once', async () => {
    const manager = new SessionManager()
    const url = technique === 'websocket' ? 'wss://origin.test/socket' : 'https://origin.test/events'
    const { port } = silent.address() as { port: number }
    openSession(manager, { technique, url, proxy: { mode: 'url', url: `http://127.0.0.1:${port}` } })
    await expect.poll(() => connections.length, { timeout: 5000 }).toBeGreaterThan(0)
    const connection = connections.shift()!
    expect(await connection.request).toMatch(/^CONNECT origin\.test:443 HTTP\/1\.1\r\n/)
    const disposedAt = performance.now()
    manager.dispose()
    const closedAt = await connection.closed
    expect(closedAt - disposedAt).toBeLessThan(500)
  })
})
