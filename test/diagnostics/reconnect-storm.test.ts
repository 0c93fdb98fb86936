// reconnect-storm over made-up sessions: many short-lived connections in a row,
// reconnects sooner than announced, or more than a few requests or connection
// attempts a second to one endpoint (any technique); healthy reconnects and polling
// are not storms.
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
    // Each change while small (the run of attempts, then the requests a second), then at growth by half.
    expect(frames.length).toBeLessThan(16)
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

  it('a long-poll answered at once, asked again and again: more than 5 requests a second to one endpoint is a storm, with its figure', () => {
    const s = new DiagnosticsScript({ technique: 'long-polling' })
    s.connect()
    for (let i = 0; i < 40; i++) {
      s.wait(4)
      // The cursor (or an Engine.IO sid) changes the query on every request: one endpoint all the same.
      s.frame({ kind: 'request', direction: 'out', method: 'GET', url: `http://127.0.0.1:1/x?cursor=${i}`, headers: {} })
      s.wait(1)
      s.frame({ kind: 'response', direction: 'in', status: 200, headers: {}, httpVersion: '1.1', durationMs: 1, body: '[]' })
    }
    const finding = s.finding('reconnect-storm')!
    expect(finding.severity).toBe('warning')
    // Updated as the storm grows by half: the figure is the last one raised.
    const peak = Number(/^Asking too often: up to (\d+) requests a second to http:\/\/127\.0\.0\.1:1\/x$/.exec(finding.summary)![1])
    expect(peak).toBeGreaterThanOrEqual(20)
    expect(finding.evidence[0]).toMatch(new RegExp(`^${peak} requests to http://127\\.0\\.0\\.1:1/x within one second, the most seen \\(more than 5 a second to one endpoint hammers it\\); \\d+ in 1\\.0 s since the first second over the limit$`))
    expect(finding.measuredMs).toBe(Math.round(1000 / peak))
    expect(finding.remedy).toContain('longPolling.minIntervalMs')
    expect(finding.seqs!.length).toBeGreaterThan(0)
    // Raised as the storm grew, not at every request.
    expect(s.emitted.filter((f) => f.id === 'reconnect-storm').length).toBeLessThan(12)
  })

  it('WebSocket handshakes in a burst (a protocol reconnecting in a loop) are a storm of connection attempts', () => {
    const s = new DiagnosticsScript({ technique: 'websocket' })
    for (let i = 0; i < 8; i++) {
      s.connect().wait(20)
      s.close({ cause: 'remote-close', code: 1000 })
      s.wait(30)
    }
    const finding = s.finding('reconnect-storm')!
    expect(finding.summary).toMatch(/^Reconnecting in a storm: 8 connections in /)
    expect(finding.evidence.some((line) => /^8 connection attempts to http:\/\/127\.0\.0\.1:1\/x within one second, the most seen/.test(line))).toBe(true)
    expect(finding.measuredMs).toBe(125)
  })

  it('a long-poll paced by the floor (250 ms, doubling) and a poll every 250 ms are no storm', () => {
    const lp = new DiagnosticsScript({ technique: 'long-polling' })
    lp.connect()
    for (const wait of [250, 500, 1000, 2000, 4000]) {
      lp.wait(wait)
      lp.frame({ kind: 'request', direction: 'out', method: 'GET', url: 'http://127.0.0.1:1/x', headers: {} })
      lp.frame({ kind: 'reconnect', direction: 'system', attempt: 1, delayMs: wait * 2 })
    }
    const poll = new DiagnosticsScript({ technique: 'polling' })
    poll.connect()
    for (let i = 0; i < 40; i++) {
      poll.wait(250)
      poll.frame({ kind: 'request', direction: 'out', method: 'GET', url: 'http://127.0.0.1:1/x', headers: {} })
    }
    expect([...lp.ids(CUT_FINDINGS), ...poll.ids(CUT_FINDINGS)]).toEqual([])
  })

  it('requests that carry what was sent (Engine.IO POSTs of a chatty client) are not asks; the same POSTs in a loop with nothing sent are', () => {
    const chatty = new DiagnosticsScript({ technique: 'long-polling' })
    chatty.connect()
    for (let i = 0; i < 20; i++) {
      chatty.wait(40)
      chatty.frame({ kind: 'message', direction: 'out', data: `42["chat",${i}]`, size: 12 })
      chatty.frame({ kind: 'request', direction: 'out', method: 'POST', url: `http://127.0.0.1:1/socket.io/?EIO=4&transport=polling&sid=a`, headers: {} })
    }
    expect(chatty.ids(['reconnect-storm'])).toEqual([])
    const looping = new DiagnosticsScript({ technique: 'long-polling' })
    looping.connect()
    for (let i = 0; i < 20; i++) {
      looping.wait(40)
      looping.frame({ kind: 'request', direction: 'out', method: 'POST', url: 'http://127.0.0.1:1/cometd', headers: {} })
    }
    expect(looping.ids(['reconnect-storm'])).toEqual(['reconnect-storm'])
  })
})
