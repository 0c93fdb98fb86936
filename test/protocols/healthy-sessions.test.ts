// Healthy sessions of each protocol raise no warning: every protocol seed of the
// playground (real Socket.IO, graphql-ws and graphql-sse servers) held for a few
// seconds, as the app opens it, decodes its packets by name and ends with no finding
// of severity warning or error — a completed subscription, an Engine.IO upgrade, the
// graphql-sse server's `Content-Encoding: none` are normal.
import { describe, expect, it } from 'vitest'
import { packetsOf, type Frame } from '../../main/contract/index.js'
import { playgroundSeeds } from '../../main/library/playground-seeds.js'
import { resolvePlaygroundUrl } from '../../main/library/playground-urls.js'
import { playgroundWithPeers } from '../helpers/playground-with-peers.js'
import { openSession } from '../helpers/session-harness.js'

/** Long enough for the GraphQL seeds' five ticks a second apart to complete, and for a polling session to upgrade. */
const WATCH_MS = 6500

const packets = (frames: Frame[]) => frames.flatMap((f) => (f.kind === 'message' || f.kind === 'event' ? packetsOf(f.decoded) : []))

describe.concurrent('healthy protocol sessions', () => {
  const env = playgroundWithPeers()
  const seeds = playgroundSeeds().filter((seed) => !['auto', 'none', undefined].includes(seed.spec.protocol?.name))

  it('the playground seeds one connection per protocol', () => {
    expect(seeds.map((seed) => seed.spec.protocol?.name).sort()).toEqual(['graphql-sse', 'graphql-transport-ws', 'socket.io', 'socket.io'])
  })

  it.each(seeds.map((seed) => [seed.name, seed] as const))('%s: packets by name, no warning', async (_name, seed) => {
    const h = openSession(env.manager, { ...seed.spec, url: resolvePlaygroundUrl(seed.storedUrl, seed.spec.technique, env.playground.baseUrl) })
    await new Promise((resolve) => setTimeout(resolve, WATCH_MS))
    h.session.close()
    await h.session.ended
    const seen = packets(h.frames)
    expect(seen.filter((p) => p.error !== undefined)).toEqual([])
    if (seed.spec.protocol?.name === 'socket.io') {
      expect(seen.filter((p) => p.type === 'EVENT' && p.event === 'tick').length).toBeGreaterThanOrEqual(4)
    } else {
      expect(seen.filter((p) => p.type === 'next').length).toBe(5)
      expect(seen.some((p) => p.type === 'complete')).toBe(true)
    }
    const serious = h.ofKind('finding').filter((f) => f.severity !== 'info')
    expect(serious.map((f) => `${f.id}: ${f.summary}`)).toEqual([])
    expect(h.ofKind('error')).toEqual([])
  }, 15_000)
})
