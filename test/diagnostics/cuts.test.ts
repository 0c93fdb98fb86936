// The cuts detectors over made-up sessions: idle-timeout grows from a hint to a
// confirmed finding as the same silence ends attempt after attempt; max-lifetime is a
// constant age while data flowed; connection-reset is a real RST; abnormal-close is a
// 1006 nobody else explains. None of them speaks on a connection that ended properly.
import { describe, expect, it } from 'vitest'
import { CUT_FINDINGS, DiagnosticsScript } from '../helpers/diagnostics-script.js'

const nginx = { server: 'nginx/1.22.1', 'content-type': 'text/event-stream' }

describe('idle-timeout', () => {
  it('one cut after a silence is a hint; the same silence again is likely, three times confirmed', () => {
    const s = new DiagnosticsScript({ technique: 'sse' })
    s.connect({ headers: nginx }).wait(3000)
    const first = s.close()
    const hint = s.finding('idle-timeout')!
    // Silent from the request on: the 5 ms to the response head count (no data byte came).
    expect(hint).toMatchObject({ severity: 'info', confidence: 'hint', intermediary: 'nginx/1.22.1', measuredMs: 3005 })
    expect(hint.summary).toBe('The connection was cut after 3.0 s of silence: probably an idle timeout in nginx/1.22.1')
    expect(hint.evidence).toEqual(['attempt 1: cut after 3.0 s of silence — FIN, chunked body without its last chunk', 'Server: nginx/1.22.1 — the hop in between'])
    // The close, and the response that named nginx.
    expect(hint.seqs).toEqual([3, first])
    expect(hint.times).toEqual([s.now])
    expect(hint.remedy).toContain('an SSE comment line')
    expect(hint.remedy).toContain('at least every 1.0 s')
    expect(hint.remedy).toContain('nginx `proxy_read_timeout`')

    s.reconnect(200).connect({ headers: nginx }).wait(3010)
    s.close()
    expect(s.finding('idle-timeout')).toMatchObject({ severity: 'warning', confidence: 'likely', measuredMs: 3010 })
    expect(s.finding('idle-timeout')!.summary).toBe('2 connections were cut after 3.0 s of silence each: an idle timeout in nginx/1.22.1')

    s.reconnect(200).connect({ headers: nginx }).data(2, 100).wait(2990)
    s.close()
    const confirmed = s.finding('idle-timeout')!
    expect(confirmed).toMatchObject({ confidence: 'confirmed', measuredMs: 3005 })
    expect(confirmed.evidence.slice(0, 3)).toEqual([
      'attempt 1: cut after 3.0 s of silence — FIN, chunked body without its last chunk',
      'attempt 2: cut after 3.0 s of silence — FIN, chunked body without its last chunk',
      'attempt 3: cut after 3.0 s of silence — FIN, chunked body without its last chunk',
    ])
    expect(confirmed.times).toHaveLength(3)
    expect(s.ids(CUT_FINDINGS)).toEqual(['idle-timeout'])
    // hint, likely, confirmed: one frame each.
    expect(s.emitted.filter((f) => f.id === 'idle-timeout').map((f) => f.confidence)).toEqual(['hint', 'likely', 'confirmed'])
  })

  it('offers the well-known default that matches the measured silence, the named vendor’s first', () => {
    const s = new DiagnosticsScript({ technique: 'sse' })
    s.connect({ headers: nginx }).wait(60_020)
    s.close()
    expect(s.finding('idle-timeout')!.knownDefaults![0]).toBe('nginx proxy_read_timeout (60 s by default)')
    expect(s.finding('idle-timeout')!.summary).toContain('after 60 s of silence')
  })

  it('counts only silences that agree; a different one is listed apart', () => {
    const s = new DiagnosticsScript({ technique: 'sse' })
    for (const silence of [2000, 7000, 2100]) {
      s.connect().wait(silence)
      s.close()
      s.reconnect(100)
    }
    const finding = s.finding('idle-timeout')!
    expect(finding).toMatchObject({ confidence: 'likely', measuredMs: 2055 })
    expect(finding.evidence).toContain('cut after other silences: attempt 2 (7.0 s)')
    // Nobody named: the remedy names the usual settings.
    expect(finding.intermediary).toBeUndefined()
    expect(finding.remedy).toContain('HAProxy `timeout server`')
  })

  it('a WebSocket 1006 after a silence is idle-timeout’s (with the tunnel setting), not a separate abnormal-close', () => {
    const s = new DiagnosticsScript({ technique: 'websocket' })
    s.connect({ headers: { server: 'haproxy' } }).wait(3000)
    s.close({ cause: 'fin' })
    expect(s.ids(CUT_FINDINGS)).toEqual(['idle-timeout'])
    const finding = s.finding('idle-timeout')!
    expect(finding.evidence[0]).toBe('attempt 1: cut after 3.0 s of silence — FIN, close 1006 without a close frame')
    expect(finding.remedy).toContain('a WebSocket ping')
    expect(finding.remedy).toContain('HAProxy `timeout tunnel`')
  })

  it('a held long-poll cut without an answer counts its silence from the request', () => {
    const s = new DiagnosticsScript({ technique: 'long-polling' })
    s.connect().data(1, 50)
    s.frame({ kind: 'request', direction: 'out', method: 'GET', url: 'http://127.0.0.1:1/x', headers: {} })
    s.wait(2000)
    s.close({ cause: 'fin', reason: 'the server closed the connection without answering' })
    expect(s.finding('idle-timeout')).toMatchObject({ measuredMs: 2000 })
    expect(s.finding('idle-timeout')!.evidence[0]).toBe('attempt 1: cut after 2.0 s of silence — FIN, the held request got no answer')
    expect(s.finding('idle-timeout')!.remedy).toMatch(/^Hold each request for less than 2\.0 s/)
  })

  it('says nothing of a stream the server ended properly, or one the user closed, however silent', () => {
    const s = new DiagnosticsScript({ technique: 'sse' })
    s.connect({ headers: nginx }).wait(5000)
    s.close({ cause: 'remote-close', reason: 'the server ended the event stream' })
    s.reconnect(100).connect({ headers: nginx }).wait(5000)
    s.close({ cause: 'local' })
    const ws = new DiagnosticsScript({ technique: 'websocket' })
    ws.connect().wait(5000)
    ws.close({ cause: 'remote-close', code: 1000 })
    expect([...s.ids(CUT_FINDINGS), ...ws.ids(CUT_FINDINGS)]).toEqual([])
  })

  it('a cut right after data (no silence to speak of) is not an idle timeout', () => {
    const s = new DiagnosticsScript({ technique: 'sse' })
    s.connect().data(1, 100).wait(50)
    s.close()
    expect(s.finding('idle-timeout')).toBeUndefined()
  })
})

describe('max-lifetime', () => {
  it('connections cut at the same age while data flowed: a lifetime, not an idle timeout', () => {
    const s = new DiagnosticsScript({ technique: 'sse' })
    for (const tail of [100, 250, 30]) {
      s.connect().data(10, 300).wait(tail)
      s.close()
      s.reconnect(100)
    }
    expect(s.finding('idle-timeout')).toBeUndefined()
    const finding = s.finding('max-lifetime')!
    expect(finding).toMatchObject({ severity: 'warning', confidence: 'confirmed' })
    expect(finding.measuredMs).toBeGreaterThan(3000)
    expect(finding.measuredMs).toBeLessThan(3300)
    expect(finding.summary).toMatch(/^3 connections were cut 3\.\d s after they opened, while data was flowing: a maximum connection lifetime/)
    expect(finding.evidence).toContain('the silence before each cut varied (30 ms–250 ms); the age did not')
    expect(finding.times).toHaveLength(3)
  })

  it('one cut while data flowed says nothing, unless it matches a known lifetime of a named hop', () => {
    const quiet = new DiagnosticsScript({ technique: 'websocket' })
    quiet.connect().data(10, 300)
    quiet.close({ cause: 'fin' })
    expect(quiet.finding('max-lifetime')).toBeUndefined()
    // …it is still a 1006 that nobody explained.
    expect(quiet.ids(CUT_FINDINGS)).toEqual(['abnormal-close'])

    const google = new DiagnosticsScript({ technique: 'websocket' })
    google.connect({ headers: { via: '1.1 google' } }).data(100, 300)
    google.close({ cause: 'fin' })
    const finding = google.finding('max-lifetime')!
    expect(finding).toMatchObject({ confidence: 'hint', intermediary: 'Google Cloud Load Balancing' })
    expect(finding.knownDefaults![0]).toMatch(/^Google Cloud external HTTP\(S\) load balancer/)
    expect(google.ids(CUT_FINDINGS)).toEqual(['max-lifetime'])
  })
})

describe('connection-reset', () => {
  it('a real RST is a reset; a FIN mid-body is not', () => {
    const s = new DiagnosticsScript({ technique: 'sse' })
    s.connect().data(3, 100).wait(200)
    s.frame({ kind: 'error', direction: 'system', code: 'E_CONNECTION_RESET', message: 'read ECONNRESET' })
    const close = s.close({ cause: 'reset', reason: 'the connection was reset (TCP RST)' })
    const finding = s.finding('connection-reset')!
    expect(finding.summary).toBe('The connection was reset (TCP RST)')
    expect(finding.evidence[0]).toBe('attempt 1: reset 500 ms after it opened, 200 ms after the last byte (100 bytes in)')
    expect(finding.seqs).toEqual([close - 1, close])

    const fin = new DiagnosticsScript({ technique: 'sse' })
    fin.connect().data(3, 100).wait(200)
    fin.close({ cause: 'fin' })
    expect(fin.finding('connection-reset')).toBeUndefined()
  })

  it('resets after the same silence each time point at an idle timer that resets', () => {
    const s = new DiagnosticsScript({ technique: 'websocket' })
    for (let i = 0; i < 2; i++) {
      s.connect().wait(1500)
      s.close({ cause: 'reset' })
      s.reconnect(100)
    }
    expect(s.finding('connection-reset')!.summary).toBe('2 connections were reset (TCP RST), each after 1.5 s of silence')
    expect(s.finding('connection-reset')!.remedy).toContain('keep the line busy below 1.5 s')
    expect(s.finding('idle-timeout')).toMatchObject({ confidence: 'likely' })
    // The 1006s are explained by both; no abnormal-close.
    expect(s.ids(CUT_FINDINGS)).toEqual(['connection-reset', 'idle-timeout'])
  })
})

describe('abnormal-close', () => {
  it('a WebSocket 1006 nobody explains is said once, and counted as it repeats', () => {
    const s = new DiagnosticsScript({ technique: 'websocket' })
    s.connect().data(1, 100).wait(100)
    s.close({ cause: 'fin' })
    expect(s.finding('abnormal-close')).toMatchObject({ severity: 'warning', summary: 'The WebSocket closed without a close frame (1006)' })
    s.reconnect(100).connect().data(1, 100).wait(100)
    s.close({ cause: 'fin' })
    expect(s.finding('abnormal-close')!.summary).toBe('The WebSocket closed without a close frame (1006) 2 times')
    expect(s.emitted.filter((f) => f.id === 'abnormal-close')).toHaveLength(2)
  })

  it('a close frame, even an unusual code, is not abnormal; nor is an SSE stream’s end', () => {
    const s = new DiagnosticsScript({ technique: 'websocket' })
    s.connect().data(2, 100)
    s.close({ cause: 'remote-close', code: 4000, reason: 'bye', wasClean: true })
    expect(s.ids(CUT_FINDINGS)).toEqual([])
  })
})

describe('bounds', () => {
  it('a hundred cuts keep a bounded finding', () => {
    const s = new DiagnosticsScript({ technique: 'sse' })
    for (let i = 0; i < 120; i++) {
      s.connect({ headers: nginx }).wait(2000)
      s.close()
      s.reconnect(100)
    }
    const finding = s.finding('idle-timeout')!
    expect(finding.evidence.length).toBeLessThanOrEqual(20)
    expect(finding.seqs!.length).toBeLessThanOrEqual(50)
    expect(finding.summary).toMatch(/^100 connections were cut/)
    // The hop's line survives the bounding.
    expect(finding.evidence.at(-1)).toBe('Server: nginx/1.22.1 — the hop in between')
  })
})
