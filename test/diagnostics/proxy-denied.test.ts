// proxy-denied (docs/diagnostics.md): the proxy itself refused — the finding must blame the
// proxy, not the origin, and say what to change there. Proven against Squid 5.7's
// CONNECT rules (only listed ports may be tunnelled to, as Debian allows only 443).
import { describe, expect, it } from 'vitest'
import { playgroundWithPeers } from '../helpers/playground-with-peers.js'
import { openSession } from '../helpers/session-harness.js'
import { startSquid } from '../helpers/squid.js'
import { StampedFeed } from '../helpers/stamped-feed.js'

const SQUID_403 = { server: 'squid/5.7', 'x-squid-error': 'ERR_ACCESS_DENIED 0', via: '1.1 rti-test-squid (squid/5.7)', 'content-type': 'text/html' }

describe('proxy-denied, from the frames', () => {
  it('a 403 to CONNECT blames the proxy, names it, and explains Squid\'s port rule', () => {
    const feed = new StampedFeed({ technique: 'websocket' })
    feed.answer({ status: 403, from: 'proxy', headers: SQUID_403, body: '<html><body><h1>ERROR</h1><p>Access Denied.</p></body></html>', url: 'ws://example.test:8080/x', proxy: 'http://127.0.0.1:3128' })
    const finding = feed.finding('proxy-denied')!
    expect(finding).toMatchObject({ severity: 'error', confidence: 'confirmed', intermediary: 'Squid' })
    expect(finding.summary).toMatch(/The proxy \(Squid\) refused to connect to example\.test:8080 \(403\): the server itself was never reached/)
    expect(finding.evidence).toContain('X-Squid-Error: ERR_ACCESS_DENIED 0')
    expect(finding.evidence.join('\n')).toMatch(/the proxy's page: "ERROR Access Denied\."/)
    expect(finding.evidence.join('\n')).toMatch(/the origin example\.test:8080 never saw this request/)
    expect(finding.remedy).toMatch(/http_access deny CONNECT !SSL_ports/)
    expect(finding.remedy).toMatch(/acl SSL_ports port 443 8080/)
  })

  it('a 407 asks for proxy credentials', () => {
    const feed = new StampedFeed({ technique: 'sse' })
    feed.answer({ status: 407, from: 'proxy', headers: { 'proxy-authenticate': 'Basic realm="corp"' }, url: 'https://example.test/x' })
    const finding = feed.finding('proxy-denied')!
    expect(finding.summary).toMatch(/asks for credentials \(407\)/)
    expect(finding.evidence).toContain('Proxy-Authenticate: Basic realm="corp"')
    expect(finding.remedy).toMatch(/user:password@/)
  })

  it('a SOCKS refusal has only the error to go by', () => {
    const feed = new StampedFeed({ technique: 'websocket' })
    feed.frame({ kind: 'connecting', direction: 'system', url: 'ws://example.test:9000/x', attempt: 1, proxy: 'socks5://127.0.0.1:1080' })
    feed.frame({ kind: 'error', direction: 'system', code: 'E_PROXY_REFUSED', message: 'the SOCKS proxy refused the connection (rule set)' })
    expect(feed.finding('proxy-denied')!.evidence.join('\n')).toMatch(/rule set/)
  })

  it('a forwarded request refused by the proxy\'s rules (X-Squid-Error) is the proxy\'s too', () => {
    const feed = new StampedFeed({ technique: 'polling' })
    feed.answer({ status: 403, headers: SQUID_403 })
    expect(feed.ids()).toContain('proxy-denied')
  })

  it('leaves the origin\'s own 403 alone, and a proxy\'s report that the origin failed (not a refusal) to others', () => {
    const origin = new StampedFeed({ technique: 'polling' })
    origin.answer({ status: 403, headers: { server: 'nginx' } })
    expect(origin.ids()).not.toContain('proxy-denied')
    const unreachable = new StampedFeed({ technique: 'polling' })
    unreachable.answer({ status: 503, headers: { ...SQUID_403, 'x-squid-error': 'ERR_CONNECT_FAIL 111' } })
    expect(unreachable.ids()).not.toContain('proxy-denied')
  })
})

describe('proxy-denied through Squid', () => {
  const env = playgroundWithPeers()

  it('CONNECT to a port Squid does not allow: 403 ERR_ACCESS_DENIED → proxy-denied, the proxy blamed, not the origin', async () => {
    const squid = env.track(await startSquid({ tunnelPorts: [443] }))
    const port = new URL(env.playground.baseUrl).port
    const { waitFor, ofKind } = openSession(env.manager, { technique: 'websocket', url: `ws://127.0.0.1:${port}/ws/echo`, proxy: { mode: 'url', url: squid.url } })
    const finding = await waitFor('finding', (f) => f.id === 'proxy-denied')
    const response = ofKind('response')[0]!
    expect(response).toMatchObject({ from: 'proxy', status: 403 })
    expect(finding.intermediary).toBe('Squid')
    expect(finding.summary).toContain(`refused to connect to 127.0.0.1:${port} (403): the server itself was never reached`)
    expect(finding.evidence).toContain('X-Squid-Error: ERR_ACCESS_DENIED 0')
    expect(finding.remedy).toContain(`acl SSL_ports port 443 ${port}`)
    expect(finding.seqs).toContain(response.seq)
    expect(ofKind('finding').map((f) => f.id)).not.toContain('upgrade-stripped')
  })

  it('healthy: the port allowed, the tunnel opens and the echo works → no finding', async () => {
    const port = Number(new URL(env.playground.baseUrl).port)
    const squid = env.track(await startSquid({ tunnelPorts: [port] }))
    const { session, waitFor, ofKind } = openSession(env.manager, { technique: 'websocket', url: `ws://127.0.0.1:${port}/ws/echo`, proxy: { mode: 'url', url: squid.url } })
    await waitFor('open')
    session.send({ type: 'text', data: 'through the tunnel' })
    await waitFor('message', (m) => m.direction === 'in')
    expect(ofKind('finding')).toEqual([])
  })
})
