// The healthy path: real sessions against the playground that run well, or that the
// server or the user end properly, raise none of idle-timeout, max-lifetime,
// abnormal-close, connection-reset, silent-drop, reconnect-storm or gateway-timeout.
import { afterAll, beforeAll, describe, it } from 'vitest'
import type { ConnectionSpecInput } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { CUT_FINDINGS } from '../helpers/diagnostics-script.js'
import { openSession, type Harness } from '../helpers/session-harness.js'

let playground: Playground
beforeAll(async () => {
  playground = await startPlayground({ longPollEveryMs: 300, pollEveryMs: 400 })
})
afterAll(() => playground.close())

/** Runs a session to its end (or closes it after `run`), then answers the findings of ours it raised. */
async function findingsOf(spec: ConnectionSpecInput, run: (h: Harness) => Promise<void>): Promise<string[]> {
  const manager = new SessionManager()
  try {
    const h = openSession(manager, spec)
    await run(h)
    // A last tick's worth of time for anything late.
    await new Promise((resolve) => setTimeout(resolve, 1100))
    return h.ofKind('finding').filter((f) => (CUT_FINDINGS as readonly string[]).includes(f.id)).map((f) => `${f.id}: ${f.summary}`)
  } finally {
    await manager.dispose()
  }
}

const url = (path: string, ws = false) => (ws ? playground.baseUrl.replace('http', 'ws') : playground.baseUrl) + path
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.concurrent('healthy sessions raise no cut findings', () => {
  it('an SSE ticker every 300 ms with heartbeats, closed by the user after 3 s', async ({ expect }) => {
    const raised = await findingsOf({ technique: 'sse', url: url('/sse/ticker?interval=300') }, async (h) => {
      await h.waitFor('event', () => h.ofKind('event').length >= 9, 6000)
      h.session.close()
      await h.waitFor('close')
    })
    expect(raised).toEqual([])
  })

  it('a WebSocket echo talked to, then closed by the user (1000)', async ({ expect }) => {
    const raised = await findingsOf({ technique: 'websocket', url: url('/ws/echo', true) }, async (h) => {
      await h.waitFor('open')
      for (let i = 0; i < 5; i++) {
        h.session.send({ type: 'text', data: `hello ${i}` })
        await sleep(300)
      }
      await h.waitFor('message', () => h.ofKind('message').filter((m) => m.direction === 'in').length >= 5)
      h.session.close(1000)
      await h.waitFor('close')
    })
    expect(raised).toEqual([])
  })

  it('polling every 500 ms for 3 s, answers changing and unchanged', async ({ expect }) => {
    const raised = await findingsOf({ technique: 'polling', url: url('/poll'), polling: { intervalMs: 500 } }, async (h) => {
      await h.waitFor('response', () => h.ofKind('response').length >= 6, 6000)
      h.session.close()
    })
    expect(raised).toEqual([])
  })

  it('long-polling with messages arriving every 300 ms, each held request answered', async ({ expect }) => {
    const raised = await findingsOf({ technique: 'long-polling', url: url('/longpoll?cursor=0&hold=800') }, async (h) => {
      await h.waitFor('response', () => h.ofKind('response').length >= 6, 6000)
      h.session.close()
    })
    expect(raised).toEqual([])
  })

  it('servers that end properly: a WebSocket closed 1000 by the server, a ticker that stops at its count, a stream whose body ends', async ({ expect }) => {
    const [closed, ticker, stream] = await Promise.all([
      findingsOf({ technique: 'websocket', url: url('/ws/close?code=1000&reason=done&after=1500', true) }, (h) => h.waitFor('close', undefined, 4000).then(() => {})),
      findingsOf({ technique: 'websocket', url: url('/ws/ticker?interval=200&count=8', true) }, (h) => h.waitFor('close', undefined, 4000).then(() => {})),
      findingsOf({ technique: 'streaming', url: url('/stream?format=ndjson&interval=200&count=8') }, (h) => h.waitFor('close', undefined, 4000).then(() => {})),
    ])
    expect({ closed, ticker, stream }).toEqual({ closed: [], ticker: [], stream: [] })
  })

  it('an SSE stream that ends at its count, reconnects once and is told 204: no more events', async ({ expect }) => {
    const raised = await findingsOf({ technique: 'sse', url: url('/sse/ticker?interval=200&count=5&retry=300') }, async (h) => {
      await h.waitFor('close', (c) => c.reason.includes('204'), 5000)
      expect(h.ofKind('connecting')).toHaveLength(2)
    })
    expect(raised).toEqual([])
  })
})
