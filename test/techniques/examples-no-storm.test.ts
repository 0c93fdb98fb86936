// No default or example shipped asks a server more than a few times a second: every
// seeded connection and every example of the playground's catalogue (opened as the
// app opens it: its technique, protocol and long-poll cursor) runs for a few seconds
// against a real playground, and the busiest second of requests and connection
// attempts stays at or under five, with no reconnect-storm raised.
import { describe, expect, it } from 'vitest'
import type { ConnectionSpecInput } from '../../main/contract/index.js'
import { playgroundSeeds } from '../../main/library/playground-seeds.js'
import { resolvePlaygroundUrl } from '../../main/library/playground-urls.js'
import { describeEndpoints } from '../../main/playground/endpoints.js'
import { playgroundWithPeers } from '../helpers/playground-with-peers.js'
import { openSession } from '../helpers/session-harness.js'

const WATCH_MS = 3500

const env = playgroundWithPeers()

/** The most frames within any one second. */
const busiestSecond = (times: number[]) => Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length))

async function asks(spec: ConnectionSpecInput): Promise<{ requests: number; connections: number; storm: boolean }> {
  let h: ReturnType<typeof openSession>
  try {
    h = openSession(env.manager, spec)
  } catch {
    // Refused before anything went out (an example that needs its operation filled in): no request at all.
    return { requests: 0, connections: 0, storm: false }
  }
  await new Promise((resolve) => setTimeout(resolve, WATCH_MS))
  h.session.close()
  return {
    requests: busiestSecond(h.ofKind('request').map((f) => f.time)),
    connections: busiestSecond(h.ofKind('connecting').map((f) => f.time)),
    storm: h.ofKind('finding').some((f) => f.id === 'reconnect-storm'),
  }
}

describe.concurrent('no example asks more than a few times a second', () => {
  it('every seeded connection', async ({ expect }) => {
    const seeds = playgroundSeeds()
    expect(seeds.length).toBeGreaterThanOrEqual(5)
    const results = await Promise.all(seeds.map(async (seed) => [seed.name, await asks({ ...seed.spec, url: resolvePlaygroundUrl(seed.storedUrl, seed.spec.technique, env.playground.baseUrl) })] as const))
    for (const [name, r] of results) {
      expect({ name, ...r }).toMatchObject({ name, storm: false })
      expect(r.requests, name).toBeLessThanOrEqual(5)
      expect(r.connections, name).toBeLessThanOrEqual(5)
    }
  }, 20_000)

  it('every example of the catalogue, opened as the app opens it', async () => {
    const endpoints = describeEndpoints(env.playground.baseUrl)
    // The long-polls that are not a protocol's follow their cursor.
    for (const e of endpoints.filter((e) => e.technique === 'long-polling' && !e.protocol)) expect(e.longPolling, e.name).toBeDefined()
    const results = await Promise.all(
      endpoints.map(async (e) => {
        const spec: ConnectionSpecInput = { technique: e.technique, url: e.url, ...(e.protocol ? { protocol: { name: e.protocol } } : {}), ...(e.longPolling ? { longPolling: e.longPolling } : {}) }
        return [e.name, await asks(spec)] as const
      }),
    )
    for (const [name, r] of results) {
      expect(r.storm, name).toBe(false)
      expect(r.requests, name).toBeLessThanOrEqual(5)
      expect(r.connections, name).toBeLessThanOrEqual(5)
    }
  }, 20_000)
})
