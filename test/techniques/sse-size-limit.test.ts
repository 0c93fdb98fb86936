// An SSE stream that passes limits.maxMessageBytes is not retried: the same stream
// would pass it again, each time after downloading as much. One request, one error
// that says so, and the session ends failed.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'

let server: Server | undefined
let manager: SessionManager | undefined
afterEach(async () => {
  await manager?.dispose()
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
})

describe('an SSE stream over the message limit', () => {
  it.each(['event', 'line'])('is stopped once, not retried, and says so (%s too long)', async (what) => {
    let requests = 0
    server = createServer((_req, res) => {
      requests++
      res.writeHead(200, { 'Content-Type': 'text/event-stream' })
      // A long event is many short data lines; a long line is one.
      res.write(what === 'event' ? 'data: xxxxxxxxxxxxxxxx\n'.repeat(200) : `data: ${'x'.repeat(4096)}`)
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    manager = new SessionManager()
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/big`
    const h = openSession(manager, { technique: 'sse', url, limits: { maxMessageBytes: 1024 }, reconnect: { enabled: true, initialDelayMs: 250, maxDelayMs: 250 } })
    const error = await h.waitFor('error', (e) => e.code === 'E_MESSAGE_TOO_BIG')
    expect(error.message).toMatch(/not retried .*raise limits\.maxMessageBytes/)
    await expect(h.session.ended).resolves.toBe('failed')
    // Well past the reconnect delay: still the one request.
    await sleep(1000)
    expect(requests).toBe(1)
    expect(h.ofKind('reconnect')).toEqual([])
  })
})
