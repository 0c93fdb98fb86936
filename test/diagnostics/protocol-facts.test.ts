// Diagnostics that know the protocol, over made-up sessions with the facts a protocol
// module tells them: silent-drop judges the protocol's own heartbeat deadline (and
// says where it comes from) instead of a learned rhythm, stays quiet while nothing is
// due (after a GraphQL `complete`), and a protocol's normal end is never a finding.
import { describe, expect, it } from 'vitest'
import { CUT_FINDINGS, DiagnosticsScript } from '../helpers/diagnostics-script.js'

const engineIo = { protocol: 'socket.io' as const, heartbeatDeadlineMs: 45_000, heartbeatWhy: 'Engine.IO pingInterval 25 s + pingTimeout 20 s' }

describe('silent-drop with a protocol', () => {
  it('uses the protocol deadline, with its reason in the evidence, where no rhythm could be learned', () => {
    const s = new DiagnosticsScript({ technique: 'websocket' })
    s.connect()
    s.diagnostics.protocolFacts(engineIo)
    // Irregular data: nothing to learn a rhythm from.
    s.data(1, 100).data(1, 7000).data(1, 300)
    s.live(44_000)
    expect(s.finding('silent-drop')).toBeUndefined()
    s.live(2000)
    const finding = s.finding('silent-drop')!
    expect(finding.summary).toBe('The connection went silent: nothing arrived for 46 s, past the 45 s heartbeat deadline, with no FIN or reset — it was probably dropped on the way')
    expect(finding.evidence).toContain('the socket.io heartbeat: Engine.IO pingInterval 25 s + pingTimeout 20 s')
  })

  it('prefers the protocol deadline over a learned rhythm (a quick rhythm would cry wolf)', () => {
    const s = new DiagnosticsScript({ technique: 'websocket' })
    s.connect()
    s.diagnostics.protocolFacts({ protocol: 'graphql-transport-ws', heartbeatDeadlineMs: 20_000, heartbeatWhy: 'graphql-ws keep-alive ping every 10 s' })
    s.data(10, 200)
    s.live(10_000)
    expect(s.finding('silent-drop')).toBeUndefined()
    s.live(11_000)
    expect(s.finding('silent-drop')!.evidence).toContain('the graphql-transport-ws heartbeat: graphql-ws keep-alive ping every 10 s')
  })

  it('watches a long-poll too when the protocol has a beat (Engine.IO over polling)', () => {
    const s = new DiagnosticsScript({ technique: 'long-polling' })
    s.connect()
    s.diagnostics.protocolFacts(engineIo)
    s.data(1, 100)
    s.live(50_000)
    expect(s.finding('silent-drop')).toBeDefined()
  })

  it('is silent while the protocol says nothing is due (every operation completed), and counts silence again from when something is', () => {
    const s = new DiagnosticsScript({ technique: 'websocket' })
    s.connect()
    s.diagnostics.protocolFacts({ protocol: 'graphql-transport-ws' })
    // A lively subscription teaches a 300 ms rhythm (deadline 2.3 s)…
    s.data(10, 300)
    // …then `complete`: nothing is due, however long the socket stays quiet.
    s.diagnostics.protocolFacts({ protocol: 'graphql-transport-ws', idle: true })
    s.live(60_000)
    expect(s.ids(CUT_FINDINGS)).toEqual([])
    // A new subscription: silence counts from now, not from the last frame a minute ago.
    s.diagnostics.protocolFacts({ protocol: 'graphql-transport-ws', idle: false })
    s.live(2000)
    expect(s.finding('silent-drop')).toBeUndefined()
    s.live(1000)
    expect(s.finding('silent-drop')!.summary).toContain('nothing arrived for 3.0 s')
  })

  it('a protocol’s normal end is no finding: no silent-drop, no idle-timeout for its close', () => {
    const s = new DiagnosticsScript({ technique: 'sse', url: 'http://127.0.0.1:1/graphql/stream' })
    s.connect({ headers: { server: 'nginx/1.22.1', 'content-type': 'text/event-stream' } })
    s.diagnostics.protocolFacts({ protocol: 'graphql-sse' })
    s.data(5, 300)
    s.diagnostics.protocolFacts({ protocol: 'graphql-sse', ended: 'the subscription completed' })
    s.live(3000)
    s.close({ cause: 'fin' })
    expect(s.ids(CUT_FINDINGS)).toEqual([])
  })

  it('without protocol facts the same silence is found as before (the learned rhythm)', () => {
    const s = new DiagnosticsScript({ technique: 'websocket' })
    s.connect().data(10, 300)
    s.live(3000)
    expect(s.finding('silent-drop')!.evidence.at(-1)).toMatch(/^learned: frames arrived every 300 ms/)
  })
})
