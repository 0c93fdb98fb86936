// No request storms: against local servers that answer at once (a long-poll that
// does not hold, a 500 in a millisecond, an SSE stream that ends at once with
// `retry: 0`), every technique asks at most a few times a second, and each wait is a
// `reconnect` frame with its delay. A server that holds its answers is asked again
// at once. Counts are taken on the server, tolerant of a busy machine.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectionSpecInput } from '../../main/contract/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession, type Harness } from '../helpers/session-harness.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Counting {
  url: string
  /** When each request arrived (ms since the epoch). */
  arrivals: number[]
  close(): Promise<void>
}

async function countingServer(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<Counting> {
  const arrivals: number[] = []
  const server: Server = createServer((req, res) => {
    arrivals.push(Date.now())
    answer(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/feed`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

let manager: SessionManager | undefined
let server: Counting | undefined
afterEach(async () => {
  await manager?.dispose()
  await server?.close()
  manager = server = undefined
})

async function watch(spec: ConnectionSpecInput, ms: number): Promise<Harness> {
  manager = new SessionManager()
  const h = openSession(manager, spec)
  await sleep(ms)
  return h
}

/** The most requests that arrived within any one second. */
function busiestSecond(arrivals: number[]): number {
  return Math.max(0, ...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + 1000).length))
}

describe('no request storms', () => {
  it('a long-poll answered at once waits the floor, doubling: a handful of requests in 3 s, each wait a reconnect frame', async () => {
    server = await countingServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('[]'))
    const h = await watch({ technique: 'long-polling', url: server.url }, 3000)
    // Asked at 0, 0.25, 0.75, 1.75 s (then 3.75 s): without the floor it would be hundreds.
    expect(server.arrivals.length).toBeGreaterThanOrEqual(3)
    expect(server.arrivals.length).toBeLessThanOrEqual(6)
    expect(busiestSecond(server.arrivals)).toBeLessThanOrEqual(4)
    const delays = h.ofKind('reconnect').map((r) => r.delayMs)
    expect(delays.slice(0, 3)).toEqual([250, 500, 1000])
    expect(h.session.state).toBe('open')
    // The gaps the server saw are the waits announced (give or take a busy machine).
    const gaps = server.arrivals.slice(1).map((t, i) => t - server!.arrivals[i]!)
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(delays[i]! - 20))
  })

  it('--min-interval raises the floor', async () => {
    server = await countingServer((_req, res) => res.writeHead(200).end('{}'))
    const h = await watch({ technique: 'long-polling', url: server.url, longPolling: { minIntervalMs: 1000 } }, 2500)
    expect(server.arrivals.length).toBeLessThanOrEqual(3)
    expect(h.ofKind('reconnect').map((r) => r.delayMs).slice(0, 2)).toEqual([1000, 2000])
  })

  it('a minIntervalMs below 250 ms is raised to the floor, and said once', async () => {
    server = await countingServer((_req, res) => res.writeHead(200).end('{}'))
    const h = await watch({ technique: 'long-polling', url: server.url, longPolling: { minIntervalMs: 0 } }, 1200)
    expect(server.arrivals.length).toBeLessThanOrEqual(4)
    expect(h.ofKind('error').filter((e) => e.code === 'E_MIN_INTERVAL_FLOOR')).toHaveLength(1)
    expect(h.ofKind('reconnect')[0]!.delayMs).toBe(250)
  })

  it('a long-poll that is held is asked again at once, with no wait', async () => {
    server = await countingServer((_req, res) => setTimeout(() => res.writeHead(200).end('[]'), 400))
    const h = await watch({ technique: 'long-polling', url: server.url }, 1900)
    expect(server.arrivals.length).toBeGreaterThanOrEqual(3)
    expect(h.ofKind('reconnect')).toEqual([])
  })

  it('the wait goes back to the floor once a request is held', async () => {
    let n = 0
    server = await countingServer((_req, res) => {
      n++
      // At once three times, then held, then at once again.
      if (n === 4) setTimeout(() => res.writeHead(200).end('[]'), 400)
      else res.writeHead(200).end('[]')
    })
    const h = await watch({ technique: 'long-polling', url: server.url }, 3000)
    expect(h.ofKind('reconnect').map((r) => r.delayMs).slice(0, 4)).toEqual([250, 500, 1000, 250])
  })

  it('a 500 answered at once backs off (reconnect frames, growing), even with initialDelayMs 0', async () => {
    server = await countingServer((_req, res) => res.writeHead(500).end('boom'))
    const h = await watch({ technique: 'long-polling', url: server.url, reconnect: { initialDelayMs: 0, jitter: 0 } }, 3000)
    expect(server.arrivals.length).toBeLessThanOrEqual(6)
    expect(busiestSecond(server.arrivals)).toBeLessThanOrEqual(4)
    const delays = h.ofKind('reconnect').map((r) => r.delayMs)
    expect(delays[0]).toBe(250)
    expect(delays.slice(0, 3)).toEqual([250, 500, 1000])
    expect(h.ofKind('error').filter((e) => e.code === 'E_RECONNECT_FLOOR')).toHaveLength(1)
  })

  it('a 500 at once with the default policy waits a second, then more', async () => {
    server = await countingServer((_req, res) => res.writeHead(500).end())
    const h = await watch({ technique: 'long-polling', url: server.url, reconnect: { jitter: 0 } }, 2500)
    expect(server.arrivals.length).toBeLessThanOrEqual(3)
    expect(h.ofKind('reconnect').map((r) => r.delayMs).slice(0, 2)).toEqual([1000, 2000])
  })

  it('SSE `retry: 0` from a server that ends each stream at once is raised to the floor and said; the waits grow', async () => {
    server = await countingServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/event-stream' }).end('retry: 0\ndata: hi\n\n'))
    const h = await watch({ technique: 'sse', url: server.url, reconnect: { jitter: 0 } }, 3000)
    expect(server.arrivals.length).toBeGreaterThanOrEqual(3)
    expect(server.arrivals.length).toBeLessThanOrEqual(6)
    const delays = h.ofKind('reconnect').map((r) => r.delayMs)
    expect(delays.slice(0, 3)).toEqual([250, 500, 1000])
    const said = h.ofKind('error').filter((e) => e.code === 'E_RECONNECT_FLOOR')
    expect(said).toHaveLength(1)
    expect(said[0]!.message).toContain('`retry: 0`')
  })

  it('polling never asks sooner than its interval, also after a failed poll', async () => {
    server = await countingServer((_req, res) => res.writeHead(503).end())
    const h = await watch({ technique: 'polling', url: server.url, polling: { intervalMs: 1500 }, reconnect: { initialDelayMs: 0, jitter: 0 } }, 2500)
    expect(server.arrivals.length).toBeLessThanOrEqual(2)
    expect(h.ofKind('reconnect')[0]!.delayMs).toBeGreaterThanOrEqual(1500)
  })
})
