// The cuts detectors against a real HAProxy (Debian's package) in front of the
// playground: `timeout server` cuts a silent SSE stream and `timeout tunnel` an idle
// WebSocket, so one path gives two idle numbers; a long-poll held past `timeout server`
// gets HAProxy's own 504 page, which names it though no header does.
import { afterAll, beforeAll, describe, it } from 'vitest'
import type { ConnectionSpecInput, FrameOf } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { CUT_FINDINGS } from '../helpers/diagnostics-script.js'
import { startHaproxy, type TestHaproxy } from '../helpers/haproxy.js'
import { openSession, type Harness } from '../helpers/session-harness.js'

const SERVER_TIMEOUT_S = 2
const TUNNEL_TIMEOUT_S = 3

let playground: Playground
let haproxy: TestHaproxy
beforeAll(async () => {
  playground = await startPlayground()
  haproxy = await startHaproxy('timeouts', { ORIGIN: `127.0.0.1:${playground.port}`, SERVER_TIMEOUT: SERVER_TIMEOUT_S, TUNNEL_TIMEOUT: TUNNEL_TIMEOUT_S })
})
afterAll(async () => {
  await haproxy?.stop()
  await playground?.close()
})

async function session<T>(spec: ConnectionSpecInput, run: (h: Harness) => Promise<T>): Promise<T> {
  const manager = new SessionManager()
  try {
    return await run(openSession(manager, spec))
  } finally {
    await manager.dispose()
  }
}

const ours = (h: Harness) => h.ofKind('finding').filter((f) => (CUT_FINDINGS as readonly string[]).includes(f.id))
const finding = (id: string, confidence?: string) => (f: FrameOf<'finding'>) => f.id === id && (confidence === undefined || f.confidence === confidence)

describe.concurrent('HAProxy timeouts', () => {
  it('two idle numbers on one path: an SSE stream cut at `timeout server` (2 s), a WebSocket at `timeout tunnel` (3 s)', async ({ expect }) => {
    const [streamCut, tunnelCut] = await Promise.all([
      session({ technique: 'sse', url: `${haproxy.url}/sse/ticker?interval=600000&heartbeat=0`, reconnect: { enabled: false } }, (h) => h.waitFor('finding', finding('idle-timeout'), 5000)),
      session({ technique: 'websocket', url: `${haproxy.url.replace('http', 'ws')}/ws/echo` }, (h) => h.waitFor('finding', finding('idle-timeout'), 6000)),
    ])
    expect(Math.abs(streamCut.measuredMs! - SERVER_TIMEOUT_S * 1000)).toBeLessThanOrEqual(1000)
    expect(Math.abs(tunnelCut.measuredMs! - TUNNEL_TIMEOUT_S * 1000)).toBeLessThanOrEqual(1000)
    expect(tunnelCut.measuredMs! - streamCut.measuredMs!).toBeGreaterThan(500)
    // HAProxy adds no header: nothing names it, yet a cut mid-body is worth a hint.
    for (const cut of [streamCut, tunnelCut]) expect(cut).toMatchObject({ confidence: 'hint', severity: 'info' })
    expect(streamCut.intermediary).toBeUndefined()
    expect(streamCut.remedy).toContain('HAProxy `timeout server`')
    expect(tunnelCut.remedy).toContain('HAProxy `timeout tunnel`')
    expect(tunnelCut.evidence[0]).toMatch(/close 1006 without a close frame$/)
    // HAProxy's log says which timer fired: the server side, during data (sD).
    expect(haproxy.log()).toMatch(/sD--/)
  })

  it('answers a long-poll held past `timeout server` with its own 504 page: gateway-timeout names HAProxy', async ({ expect }) => {
    await session({ technique: 'long-polling', url: `${haproxy.url}/longpoll?cursor=0&hold=10000&every=600000` }, async (h) => {
      const found = await h.waitFor('finding', finding('gateway-timeout'), 5000)
      const response = h.ofKind('response')[0]!
      expect(response.status).toBe(504)
      expect(response.headers['server']).toBeUndefined()
      expect(Math.abs(response.durationMs - SERVER_TIMEOUT_S * 1000)).toBeLessThan(400)
      expect(found).toMatchObject({ intermediary: 'HAProxy', confidence: 'hint' })
      expect(found.summary).toBe('HAProxy answered 504 after exactly 2.0 s: it gave up waiting for the origin')
      expect(found.evidence.at(-1)).toMatch(/^named from its error page \("<html><body><h1>504 Gateway Time-out/)
      expect(found.remedy).toContain('HAProxy `timeout server`')
      expect(ours(h).map((f) => f.id)).toEqual(['gateway-timeout'])
    })
  })
})
