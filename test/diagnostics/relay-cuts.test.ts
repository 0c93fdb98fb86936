// The cuts detectors on real sessions through a loopback TCP relay in front of the
// playground: a FIN after a silence is an idle timeout (not a reset), a real RST is a
// reset, a blackhole is only seen through the heartbeat deadline, and a cut at a
// constant age while events flow is a lifetime. Through the same relay left alone,
// nothing is raised.
import { afterAll, beforeAll, describe, it } from 'vitest'
import type { ConnectionSpecInput, FrameOf } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { CUT_FINDINGS } from '../helpers/diagnostics-script.js'
import { openSession, type Harness } from '../helpers/session-harness.js'
import { startTcpRelay, type RelayCut, type TcpRelay } from '../helpers/tcp-relay.js'

let playground: Playground
beforeAll(async () => {
  playground = await startPlayground()
})
afterAll(() => playground.close())

/** One session through its own relay; everything is stopped when `run` ends. */
async function throughRelay(cut: RelayCut | undefined, spec: (relay: TcpRelay) => ConnectionSpecInput, run: (h: Harness, relay: TcpRelay) => Promise<void>): Promise<void> {
  const relay = await startTcpRelay({ target: playground.port, ...(cut ? { cut } : {}) })
  const manager = new SessionManager()
  try {
    await run(openSession(manager, spec(relay)), relay)
  } finally {
    await manager.dispose()
    await relay.stop()
  }
}

const findings = (h: Harness) => h.ofKind('finding').filter((f) => (CUT_FINDINGS as readonly string[]).includes(f.id))
const latest = (h: Harness, id: string) => findings(h).findLast((f) => f.id === id)
const finding = (id: string, confidence?: string) => (f: FrameOf<'finding'>) => f.id === id && (confidence === undefined || f.confidence === confidence)

describe.concurrent('cuts through a TCP relay', () => {
  it('a FIN after 1.5 s of silence, twice: idle-timeout (likely, 1.5 s), not connection-reset', async ({ expect }) => {
    await throughRelay(
      { mode: 'idle', afterMs: 1500, action: 'fin' },
      (relay) => ({ technique: 'sse', url: `${relay.url}/sse/ticker?interval=600000&heartbeat=0&retry=200` }),
      async (h, relay) => {
        const likely = await h.waitFor('finding', finding('idle-timeout', 'likely'), 8000)
        expect(likely.measuredMs).toBeGreaterThan(1500 - 300)
        expect(likely.measuredMs).toBeLessThan(1500 + 300)
        expect(likely.evidence[0]).toMatch(/^attempt 1: cut after 1\.\d s of silence — FIN, chunked body without its last chunk$/)
        // The cut times on the finding are the closes' times.
        const closes = h.ofKind('close')
        expect(likely.times).toEqual(closes.slice(0, 2).map((c) => c.time))
        expect(likely.seqs).toEqual(closes.slice(0, 2).map((c) => c.seq))
        expect(relay.cuts.map((c) => c.action)).toEqual(['fin', 'fin'])
        expect(findings(h).map((f) => f.id)).not.toContain('connection-reset')
        expect(findings(h).map((f) => f.id)).not.toContain('max-lifetime')
      },
    )
  })

  it('a real RST: connection-reset (and the silence before it is idle-timeout’s hint)', async ({ expect }) => {
    await throughRelay(
      { mode: 'idle', afterMs: 1500, action: 'rst' },
      (relay) => ({ technique: 'websocket', url: `${relay.url.replace('http', 'ws')}/ws/echo` }),
      async (h) => {
        const reset = await h.waitFor('finding', finding('connection-reset'), 5000)
        expect(reset.summary).toBe('The connection was reset (TCP RST)')
        expect(reset.evidence[0]).toMatch(/^attempt 1: reset 1\.\d s after it opened/)
        expect(h.ofKind('close')[0]).toMatchObject({ code: 1006, cause: 'reset' })
        expect(latest(h, 'idle-timeout')).toMatchObject({ confidence: 'hint' })
        // The 1006 is explained by both: no abnormal-close on top.
        expect(latest(h, 'abnormal-close')).toBeUndefined()
      },
    )
  })

  it('a blackhole under SSE heartbeats every 300 ms: silent-drop from the learned deadline, with no close at all', async ({ expect }) => {
    await throughRelay(
      { mode: 'lifetime', afterMs: 1500, action: 'blackhole' },
      (relay) => ({ technique: 'sse', url: `${relay.url}/sse/ticker?interval=600000&heartbeat=300` }),
      async (h, relay) => {
        const drop = await h.waitFor('finding', finding('silent-drop'), 7000)
        const blackholedAt = relay.cuts[0]!.at
        // Learned: heartbeats every 300 ms → a deadline of 2.3 s; ticks come once a second.
        expect(drop.time - blackholedAt).toBeGreaterThan(2000)
        expect(drop.time - blackholedAt).toBeLessThan(2300 + 1000 + 700)
        expect(drop.evidence.at(-1)).toMatch(/^learned: frames arrived every (29\d|3\d\d) ms/)
        expect(drop).toMatchObject({ severity: 'warning', confidence: 'likely' })
        expect(h.ofKind('close')).toEqual([])
        // Giving up on it makes the finding say how it ended.
        h.session.close()
        const closed = await h.waitFor('finding', (f) => f.id === 'silent-drop' && f.evidence.some((line) => line.endsWith('closed by the user')), 3000)
        expect(closed.confidence).toBe('likely')
      },
    )
  })

  it('a blackhole under a WebSocket ticker with a deadline set in the connection', async ({ expect }) => {
    await throughRelay(
      { mode: 'lifetime', afterMs: 1200, action: 'blackhole' },
      (relay) => ({ technique: 'websocket', url: `${relay.url.replace('http', 'ws')}/ws/ticker?interval=400`, diagnostics: { heartbeatDeadlineMs: 1500 } }),
      async (h, relay) => {
        const drop = await h.waitFor('finding', finding('silent-drop'), 6000)
        expect(drop.evidence.at(-1)).toBe('the deadline set for this connection (diagnostics.heartbeatDeadlineMs = 1500)')
        expect(h.ofKind('message').length).toBeGreaterThanOrEqual(1)
        // The last message came at most 400 ms before the blackhole; then the deadline, then a tick.
        expect(drop.time - relay.cuts[0]!.at).toBeGreaterThan(1500 - 400 - 100)
        expect(drop.time - relay.cuts[0]!.at).toBeLessThan(1500 + 1000 + 700)
      },
    )
  })

  it('cut at 1.5 s of age while events flow every 150 ms: max-lifetime, confirmed on the third, no idle-timeout', async ({ expect }) => {
    await throughRelay(
      { mode: 'lifetime', afterMs: 1500, action: 'fin' },
      (relay) => ({ technique: 'sse', url: `${relay.url}/sse/ticker?interval=150&retry=100` }),
      async (h) => {
        const confirmed = await h.waitFor('finding', finding('max-lifetime', 'confirmed'), 9000)
        // Age counts from the open, a little after the relay accepted the connection.
        expect(confirmed.measuredMs).toBeGreaterThan(1500 - 300)
        expect(confirmed.measuredMs).toBeLessThan(1500 + 300)
        expect(confirmed.summary).toMatch(/^3 connections were cut 1\.\d s after they opened, while data was flowing/)
        expect(findings(h).map((f) => f.id)).not.toContain('idle-timeout')
        expect(findings(h).map((f) => f.id)).not.toContain('reconnect-storm')
      },
    )
  })

  it('healthy: events every 300 ms through the relay, then the user closes — nothing raised', async ({ expect }) => {
    await throughRelay(
      undefined,
      (relay) => ({ technique: 'sse', url: `${relay.url}/sse/ticker?interval=300` }),
      async (h) => {
        await h.waitFor('event', () => h.ofKind('event').length >= 10, 6000)
        h.session.close()
        await h.waitFor('close')
        await new Promise((resolve) => setTimeout(resolve, 200))
        expect(findings(h)).toEqual([])
      },
    )
  })
})
