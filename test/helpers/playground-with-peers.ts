// The fixture of the tests that run sessions through real proxies: one playground
// (the origin) and one SessionManager for the describe block, and the proxies its
// tests start, all stopped after the block. Call it inside a describe: it registers
// that block's beforeAll/afterAll.
import { afterAll, beforeAll } from 'vitest'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { SessionManager } from '../../main/session/session-manager.js'

export interface PlaygroundWithPeers {
  readonly playground: Playground
  readonly manager: SessionManager
  /** host:port of the playground, as a proxy config's {{ORIGIN}}. */
  readonly origin: string
  /** Remembers a peer to stop after the block; answers it. */
  track<T extends { stop(): Promise<void> }>(peer: T): T
}

export function playgroundWithPeers(): PlaygroundWithPeers {
  let playground: Playground | undefined
  let manager: SessionManager | undefined
  const peers: { stop(): Promise<void> }[] = []
  beforeAll(async () => {
    playground = await startPlayground({ port: 0 })
    manager = new SessionManager()
  })
  afterAll(async () => {
    await manager?.dispose()
    await Promise.all(peers.map((p) => p.stop()))
    await playground?.close()
  })
  // Read in tests, after beforeAll: the getters fail loudly if used at collection time.
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is started in beforeAll: use it inside a test`)
    return value
  }
  return {
    get playground() {
      return started(playground, 'the playground')
    },
    get manager() {
      return started(manager, 'the session manager')
    },
    get origin() {
      return new URL(started(playground, 'the playground').baseUrl).host
    },
    track(peer) {
      peers.push(peer)
      return peer
    },
  }
}
