// reconnect-storm over made-up sessions: many short-lived connections in a row, or
// reconnects sooner than announced; healthy reconnects and polling are not storms.
import { describe, expect, it } from 'vitest'
import { CUT_FINDINGS, DiagnosticsScript } from '../helpers/diagnostics-script.js'

describe('reconnect-storm', () => {
  it('five connections within 10 s, each lasting under a second, are a storm', () => {
    const s = new DiagnosticsScript({ technique: 'sse' })
    for (let i = 0; i < 4; i++) {
      s.connect().wait(200)
      s.close({ cause: 'remote-close', reason: 'the server ended the event stream' })
      s.reconnect(100)
    }
    expect(s.finding('reconnect-storm')).toBeUndefined()
    s.connect().wait(200)
    s.close({ cause: 'remote-close', reason: 'the server ended the event stream' })
    const finding = s.finding('reconnect-storm')!
    expect(finding.severity).toBe('warning')
    expect(finding.summary).toBe('Reconnecting in a storm: 5 connections in 1.2 s, each lasting under 1.0 s')
    expect(finding.evidence).toEqual([
      'attempts 1–5 started within 1.2 s; each lived 205 ms–205 ms',
      'waits between them: 100 ms–100 ms',
      'how they ended: the server ended the event stream (5×)',
    ])
    expect(finding.times).toHaveLength(5)
  })

  it('a long storm updates its finding as it grows, not at every attempt', () => {
    const s = new DiagnosticsScript({ technique: 'websocket' })
    for (let i = 0; i < 60; i++) {
      s.connect().wait(20)
      s.close({ cause: 'fin' })
      s.reconnect(30)
    }
    const frames = s.emitted.filter((f) => f.id === 'reconnect-storm')
    // 5…10 one by one, then at 15, 22, 33, 49.
    expect(frames.length).toBeLessThan(12)
    expect(frames.at(-1)!.summary).toMatch(/^Reconnecting in a storm: \d+ connections/)
    expect(s.emitted.filter((f) => f.id === 'abnormal-close').length).toBeLessThan(20)
  })

  it('attempts that fail before opening count too', () => {
    const s = new DiagnosticsScript({ technique: 'websocket' })
    for (let i = 0; i < 6; i++) {
      s.connect({ status: 503 })
      s.frame({ kind: 'error', direction: 'system', code: 'E_HANDSHAKE', message: 'the server answered 503' })
      s.reconnect(50)
    }
    s.connect({ status: 503 })
    expect(s.finding('reconnect-storm')!.evidence).toContain('how they ended: E_HANDSHAKE before opening (6×)')
  })

  it('a reconnect that starts before its announced delay is over is a storm of its own', () => {
    const s = new DiagnosticsScript({ technique: 'sse' })
    s.connect().wait(5000)
    s.close()
    s.frame({ kind: 'reconnect', direction: 'system', attempt: 2, delayMs: 3000 })
    s.wait(200).connect()
    expect(s.finding('reconnect-storm')!.evidence).toEqual(['attempt 2 started 200 ms after the previous ended, though 3.0 s was announced'])
  })

  it('healthy: reconnects after long-lived connections, backoff after failures, and polling', () => {
    const sse = new DiagnosticsScript({ technique: 'sse' })
    for (let i = 0; i < 8; i++) {
      sse.connect().data(5, 300)
      sse.close({ cause: 'remote-close' })
      sse.reconnect(200)
    }
    const failing = new DiagnosticsScript({ technique: 'websocket' })
    for (const delay of [1000, 2000, 4000, 8000, 16_000, 30_000]) {
      failing.connect({ status: 502 })
      failing.frame({ kind: 'error', direction: 'system', code: 'E_HANDSHAKE', message: '502' })
      failing.reconnect(delay)
    }
    const poll = new DiagnosticsScript({ technique: 'polling' })
    poll.connect()
    for (let i = 0; i < 40; i++) {
      poll.wait(500)
      poll.frame({ kind: 'request', direction: 'out', method: 'GET', url: 'http://127.0.0.1:1/x', headers: {} })
      poll.frame({ kind: 'response', direction: 'in', status: 200, headers: {}, httpVersion: '1.1', durationMs: 3, body: '{}' })
    }
    expect([...sse.ids(CUT_FINDINGS), ...failing.ids(CUT_FINDINGS), ...poll.ids(CUT_FINDINGS)]).toEqual([])
  })
})
