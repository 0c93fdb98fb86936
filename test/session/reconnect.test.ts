// The reconnect policy, shown with WebSocket against the playground and a closed port.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ReconnectPolicySchema } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { backoffDelay } from '../../main/session/reconnecting-technique.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'
import { freePort } from '../helpers/free-port.js'

let playground: Playground
let manager: SessionManager
beforeAll(async () => {
  playground = await startPlayground()
})
afterAll(() => playground.close())
afterEach(() => manager?.dispose())


describe('reconnect policy', () => {
  it('does not reconnect a WebSocket unless asked', async () => {
    manager = new SessionManager()
    const h = openSession(manager, { technique: 'websocket', url: playground.baseUrl.replace('http', 'ws') + '/ws/drop?after=5' })
    await expect(h.session.ended).resolves.toBe('closed')
    expect(h.ofKind('reconnect')).toEqual([])
  })

  it('reconnects a dropped WebSocket when asked, numbering the attempts', async () => {
    manager = new SessionManager()
    const h = openSession(manager, {
      technique: 'websocket',
      url: playground.baseUrl.replace('http', 'ws') + '/ws/drop?after=5',
      reconnect: { enabled: true, initialDelayMs: 300, jitter: 0 },
    })
    await h.waitFor('reconnect', (f) => f.attempt === 3)
    await h.waitFor('connecting', (f) => f.attempt === 3)
    // Each attempt opened, so the backoff starts over every time.
    const delays = h.ofKind('reconnect').map((f) => f.delayMs)
    expect(delays.length).toBeGreaterThanOrEqual(2)
    expect(new Set(delays)).toEqual(new Set([300]))
    h.session.close()
    await expect(h.session.ended).resolves.toBe('closed')
  })

  it('backs off exponentially on failures and gives up after maxAttempts', async () => {
    manager = new SessionManager()
    const h = openSession(manager, {
      technique: 'websocket',
      url: `ws://127.0.0.1:${await freePort()}/`,
      reconnect: { enabled: true, initialDelayMs: 300, multiplier: 3, jitter: 0, maxAttempts: 3 },
    })
    await expect(h.session.ended).resolves.toBe('failed')
    expect(h.ofKind('connecting').map((f) => f.attempt)).toEqual([1, 2, 3])
    expect(h.ofKind('reconnect').map((f) => f.delayMs)).toEqual([300, 900])
    expect(h.ofKind('error').map((f) => f.code)).toEqual(['E_CONNECT_REFUSED', 'E_CONNECT_REFUSED', 'E_CONNECT_REFUSED', 'E_RECONNECT_GAVE_UP'])
    expect(h.session.info().stats.reconnects).toBe(2)
  })

  it('stops waiting when the user closes between attempts', async () => {
    manager = new SessionManager()
    const h = openSession(manager, {
      technique: 'websocket',
      url: `ws://127.0.0.1:${await freePort()}/`,
      reconnect: { enabled: true, initialDelayMs: 60_000 },
    })
    await h.waitFor('reconnect')
    expect(h.session.state).toBe('reconnecting')
    h.session.close()
    await expect(h.session.ended).resolves.toBe('closed')
  })

  it('computes delays with a cap and bounded jitter', () => {
    const policy = ReconnectPolicySchema.parse({ initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: 0.5 })
    expect(backoffDelay(policy, 1, 100, () => 0)).toBe(100)
    expect(backoffDelay(policy, 3, 100, () => 0)).toBe(400)
    expect(backoffDelay(policy, 10, 100, () => 0)).toBe(1000)
    expect(backoffDelay(policy, 10, 100, () => 1)).toBe(1500)
  })
})
