// The cuts detectors against a real nginx (Debian's package) in front of the
// playground: proxy_read_timeout cuts a silent SSE stream and a silent WebSocket
// (idle-timeout naming nginx, the figure within a second of the setting, growing to
// likely and confirmed as reconnects are cut alike); a heartbeat below the timeout
// keeps both open with nothing raised; a long-poll held past the timeout gets nginx's
// own 504 (gateway-timeout naming nginx).
import { afterAll, beforeAll, describe, it } from 'vitest'
import type { ConnectionSpecInput, FrameOf } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { CUT_FINDINGS } from '../helpers/diagnostics-script.js'
import { startNginx, type TestNginx } from '../helpers/nginx.js'
import { openSession, type Harness } from '../helpers/session-harness.js'

const READ_TIMEOUT_S = 2
const GATEWAY_TIMEOUT_S = 2

let playground: Playground
let proxy: TestNginx
let gateway: TestNginx
beforeAll(async () => {
  playground = await startPlayground()
  const origin = `127.0.0.1:${playground.port}`
  ;[proxy, gateway] = await Promise.all([startNginx('read-timeout', { ORIGIN: origin, TIMEOUT: READ_TIMEOUT_S }), startNginx('longpoll-timeout', { ORIGIN: origin, TIMEOUT: GATEWAY_TIMEOUT_S })])
})
afterAll(async () => {
  await Promise.all([proxy?.stop(), gateway?.stop()])
  await playground?.close()
})

async function session(spec: ConnectionSpecInput, run: (h: Harness) => Promise<void>): Promise<void> {
  const manager = new SessionManager()
  try {
    await run(openSession(manager, spec))
  } finally {
    await manager.dispose()
  }
}

const ours = (h: Harness) => h.ofKind('finding').filter((f) => (CUT_FINDINGS as readonly string[]).includes(f.id))
const finding = (id: string, confidence?: string) => (f: FrameOf<'finding'>) => f.id === id && (confidence === undefined || f.confidence === confidence)
const ws = (url: string) => url.replace(/^http/, 'ws')

describe.concurrent('nginx proxy_read_timeout', () => {
  it('cuts a silent SSE stream at the timeout: idle-timeout names nginx, hint → likely → confirmed', async ({ expect }) => {
    await session({ technique: 'sse', url: `${proxy.url}/sse/ticker?interval=600000&heartbeat=0&retry=200` }, async (h) => {
      const hint = await h.waitFor('finding', finding('idle-timeout', 'hint'), 5000)
      expect(hint.intermediary).toMatch(/^nginx\/1\.\d+/)
      expect(hint.evidence[0]).toMatch(/^attempt 1: cut after [12]\.\d s of silence — FIN, chunked body without its last chunk$/)
      expect(hint.evidence.at(-1)).toMatch(/^Server: nginx\/1\.[\d.]+ — the hop in between$/)
      // Jump targets: the response that named nginx, and the cut.
      expect(hint.seqs).toEqual([h.ofKind('response')[0]!.seq, h.ofKind('close')[0]!.seq])
      const confirmed = await h.waitFor('finding', finding('idle-timeout', 'confirmed'), 9000)
      expect(Math.abs(confirmed.measuredMs! - READ_TIMEOUT_S * 1000)).toBeLessThanOrEqual(1000)
      expect(confirmed.summary).toMatch(/^3 connections were cut after [12]\.\d s of silence each: an idle timeout in nginx\/1\./)
      expect(confirmed.remedy).toContain('nginx `proxy_read_timeout`')
      expect(ours(h).filter((f) => f.id === 'idle-timeout').map((f) => f.confidence)).toEqual(['hint', 'likely', 'confirmed'])
      expect(ours(h).map((f) => f.id)).not.toContain('connection-reset')
      expect(ours(h).map((f) => f.id)).not.toContain('reconnect-storm')
    })
  })

  it('cuts a silent WebSocket at the timeout: 1006, idle-timeout naming nginx (no separate abnormal-close), likely on the reconnect', async ({ expect }) => {
    await session({ technique: 'websocket', url: `${ws(proxy.url)}/ws/echo`, reconnect: { enabled: true, initialDelayMs: 100 } }, async (h) => {
      const likely = await h.waitFor('finding', finding('idle-timeout', 'likely'), 8000)
      expect(h.ofKind('close')[0]).toMatchObject({ code: 1006, cause: 'fin' })
      expect(likely.intermediary).toMatch(/^nginx\//)
      expect(Math.abs(likely.measuredMs! - READ_TIMEOUT_S * 1000)).toBeLessThanOrEqual(1000)
      expect(likely.evidence[0]).toMatch(/^attempt 1: cut after [12]\.\d s of silence — FIN, close 1006 without a close frame$/)
      expect(likely.remedy).toContain('a WebSocket ping')
      expect(ours(h).map((f) => f.id)).not.toContain('abnormal-close')
    })
  })

  it('an SSE heartbeat every 500 ms keeps the stream open past the timeout: nothing raised', async ({ expect }) => {
    await session({ technique: 'sse', url: `${proxy.url}/sse/ticker?interval=600000&heartbeat=500` }, async (h) => {
      await h.waitFor('comment', () => h.ofKind('comment').length >= 9, 7000)
      expect(h.ofKind('close')).toEqual([])
      expect(ours(h)).toEqual([])
    })
  })

  it('WebSocket pings every 700 ms keep a silent WebSocket open past the timeout: nothing raised', async ({ expect }) => {
    await session({ technique: 'websocket', url: `${ws(proxy.url)}/ws/echo` }, async (h) => {
      await h.waitFor('open')
      const pinger = setInterval(() => h.session.send({ type: 'ping', data: 'hb' }), 700)
      try {
        await h.waitFor('pong', () => h.ofKind('pong').length >= 6, 7000)
      } finally {
        clearInterval(pinger)
      }
      expect(h.ofKind('close')).toEqual([])
      h.session.close(1000)
      await h.waitFor('close')
      expect(ours(h)).toEqual([])
    })
  })

  it('answers a long-poll held past the timeout with its own 504: gateway-timeout names nginx, likely on the repeat', async ({ expect }) => {
    await session({ technique: 'long-polling', url: `${gateway.url}/longpoll?cursor=0&hold=10000&every=600000` }, async (h) => {
      const first = await h.waitFor('finding', finding('gateway-timeout'), 5000)
      const response = h.ofKind('response')[0]!
      expect(response.status).toBe(504)
      expect(Math.abs(response.durationMs - GATEWAY_TIMEOUT_S * 1000)).toBeLessThan(400)
      expect(first).toMatchObject({ confidence: 'hint', intermediary: expect.stringMatching(/^nginx\//) })
      expect(first.summary).toMatch(/^nginx\/1\.[\d.]+ answered 504 after exactly 2\.0 s: it gave up waiting for the origin$/)
      expect(first.remedy).toMatch(/^Hold each long-poll for less than 2\.0 s/)
      expect(first.seqs).toEqual([h.ofKind('request')[0]!.seq, response.seq])
      const likely = await h.waitFor('finding', finding('gateway-timeout', 'likely'), 6000)
      expect(Math.abs(likely.measuredMs! - GATEWAY_TIMEOUT_S * 1000)).toBeLessThan(400)
      // A gateway's answer is not a cut.
      expect(ours(h).map((f) => f.id)).not.toContain('idle-timeout')
    })
  })
})
