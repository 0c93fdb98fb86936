// gateway-timeout over made-up sessions: a 502/504/524 at a round number of seconds
// names the gateway from its headers or error page; repeats raise the confidence; a
// quick 502 or an origin's own slow error is not a gateway's timer.
import { describe, expect, it } from 'vitest'
import { CUT_FINDINGS, DiagnosticsScript } from '../helpers/diagnostics-script.js'

const nginxPage = '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n'
const haproxyPage = "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n"

describe('gateway-timeout', () => {
  it('a long-poll answered 504 by nginx after exactly 3 s: hint, then likely, then confirmed', () => {
    const s = new DiagnosticsScript({ technique: 'long-polling' })
    s.connect({ status: 504, headers: { server: 'nginx/1.22.1', 'content-type': 'text/html' }, body: nginxPage, durationMs: 3004 })
    const first = s.finding('gateway-timeout')!
    expect(first).toMatchObject({ severity: 'warning', confidence: 'hint', intermediary: 'nginx/1.22.1', measuredMs: 3004 })
    expect(first.summary).toBe('nginx/1.22.1 answered 504 after exactly 3.0 s: it gave up waiting for the origin')
    expect(first.evidence).toEqual(['attempt 1: 504 Gateway Timeout after 3.00 s', 'named from Server: nginx/1.22.1'])
    expect(first.seqs).toEqual([2, 3])
    expect(first.remedy).toBe('Hold each long-poll for less than 3.0 s (the measured gateway timeout) — answer empty and let the client ask again — or raise nginx `proxy_read_timeout`.')
    s.wait(1000).connect({ status: 504, headers: { server: 'nginx/1.22.1' }, body: nginxPage, durationMs: 2998 })
    expect(s.finding('gateway-timeout')!.confidence).toBe('likely')
    s.wait(1000).connect({ status: 504, headers: { server: 'nginx/1.22.1' }, body: nginxPage, durationMs: 3001 })
    expect(s.finding('gateway-timeout')).toMatchObject({ confidence: 'confirmed' })
    expect(s.finding('gateway-timeout')!.summary).toBe('nginx/1.22.1 answered 504 after 3.0 s 3 times: its timeout is 3.0 s, and the origin took longer')
  })

  it('names HAProxy from its error page and offers known defaults at 60 s', () => {
    const s = new DiagnosticsScript({ technique: 'long-polling' })
    s.connect({ status: 504, headers: { 'content-type': 'text/html' }, body: haproxyPage, durationMs: 2002 })
    expect(s.finding('gateway-timeout')).toMatchObject({ intermediary: 'HAProxy' })
    expect(s.finding('gateway-timeout')!.remedy).toContain('HAProxy `timeout server`')
    const slow = new DiagnosticsScript({ technique: 'polling' })
    slow.connect({ status: 504, headers: { server: 'nginx' }, body: nginxPage, durationMs: 60_003 })
    expect(slow.finding('gateway-timeout')!.knownDefaults![0]).toBe('nginx proxy_read_timeout (60 s by default)')
  })

  it('Cloudflare’s 524 on an SSE request counts; nobody named gives the generic setting', () => {
    const s = new DiagnosticsScript({ technique: 'sse' })
    s.connect({ status: 524, headers: { server: 'cloudflare', 'cf-ray': '8abc-AMS' }, durationMs: 100_010 })
    expect(s.finding('gateway-timeout')).toMatchObject({ intermediary: 'Cloudflare' })
    expect(s.finding('gateway-timeout')!.knownDefaults![0]).toMatch(/^Cloudflare 524/)
    const anonymous = new DiagnosticsScript({ technique: 'long-polling' })
    anonymous.connect({ status: 504, headers: { server: 'playground-gateway' }, body: 'timed out', durationMs: 5000 })
    expect(anonymous.finding('gateway-timeout')!.evidence.at(-1)).toBe('no header names the gateway (Server: playground-gateway)')
  })

  it('not a quick 502, not a 504 at an odd time, not a 500, not a healthy long-poll', () => {
    const s = new DiagnosticsScript({ technique: 'long-polling' })
    s.connect({ status: 502, headers: { server: 'nginx' }, body: nginxPage, durationMs: 12 })
    s.wait(1000).connect({ status: 504, durationMs: 2550 })
    s.wait(1000).connect({ status: 500, durationMs: 3000 })
    s.wait(1000).connect({ status: 200, durationMs: 10_000 })
    expect(s.ids(CUT_FINDINGS)).toEqual([])
  })
})
