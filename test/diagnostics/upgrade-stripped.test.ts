// upgrade-stripped (docs/diagnostics.md): a WebSocket handshake answered as plain HTTP because
// a hop dropped Upgrade/Connection. Proven against nginx without the WebSocket lines
// and Squid (as a reverse proxy: the engine tunnels ws:// through a forward proxy, so
// Squid's forwarding is met where it forwards: in front of the origin).
import { describe, expect, it } from 'vitest'
import { startNginx } from '../helpers/nginx.js'
import { playgroundWithPeers } from '../helpers/playground-with-peers.js'
import { openSession } from '../helpers/session-harness.js'
import { startSquid } from '../helpers/squid.js'
import { StampedFeed } from '../helpers/stamped-feed.js'

const ws = (status: number, headers: Record<string, string> = {}, body?: string) => {
  const feed = new StampedFeed({ technique: 'websocket' })
  feed.answer({ status, headers, ...(body !== undefined ? { body } : {}), url: 'ws://127.0.0.1:9/x' })
  return feed
}

describe('upgrade-stripped, from the frames', () => {
  it('says nothing about a handshake answered 101', () => {
    expect(ws(101).ids()).toEqual([])
  })

  it('a 426 says the Upgrade was lost on the way: likely, with status, hop and body', () => {
    const feed = ws(426, { server: 'nginx/1.22.1', 'content-type': 'text/plain' }, '/ws/echo is a WebSocket endpoint\n')
    const finding = feed.finding('upgrade-stripped')!
    expect(finding).toMatchObject({ severity: 'error', confidence: 'likely', intermediary: 'nginx/1.22.1' })
    expect(finding.summary).toMatch(/answered 426, not 101: nginx\/1\.22\.1 on the path did not pass the Upgrade on/)
    expect(finding.evidence.join('\n')).toMatch(/body: "\/ws\/echo is a WebSocket endpoint"/)
    expect(finding.remedy).toMatch(/proxy_set_header Upgrade \$http_upgrade/)
  })

  it('a 200 with Squid\'s Via names Squid and gives its setting; wss:// as the way round', () => {
    const finding = ws(200, { via: '1.1 cache (squid/5.7)' }, '<html>hello</html>').finding('upgrade-stripped')!
    expect(finding).toMatchObject({ intermediary: 'squid/5.7', confidence: 'likely' })
    expect(finding.evidence).toContain('Via: 1.1 cache (squid/5.7)')
    expect(finding.remedy).toMatch(/http_upgrade_request_protocols websocket allow all/)
    expect(finding.remedy).toMatch(/wss:\/\//)
  })

  it('a bare 200 with no hop in sight is only a hint (the URL may not be a WebSocket endpoint)', () => {
    expect(ws(200, {}, 'hello').finding('upgrade-stripped')!.confidence).toBe('hint')
  })

  it('leaves the server\'s own refusals (401, 403, 404, 5xx) and a proxy\'s refused tunnel alone', () => {
    for (const status of [401, 403, 404, 502]) expect(ws(status, { server: 'nginx' }).ids()).not.toContain('upgrade-stripped')
    const feed = new StampedFeed({ technique: 'websocket' })
    feed.answer({ status: 403, from: 'proxy', headers: { server: 'squid/5.7' } })
    expect(feed.ids()).not.toContain('upgrade-stripped')
  })

  it('is confirmed when every attempt meets it', () => {
    const feed = ws(426, { via: '1.1 proxy' })
    feed.answer({ status: 426, headers: { via: '1.1 proxy' }, url: 'ws://127.0.0.1:9/x' })
    expect(feed.finding('upgrade-stripped')).toMatchObject({ confidence: 'confirmed', seqs: [expect.any(Number), expect.any(Number)] })
  })
})

describe('upgrade-stripped through real proxies', () => {
  const env = playgroundWithPeers()

  it('nginx without proxy_set_header Upgrade: the origin answers the handshake as a plain GET → upgrade-stripped naming nginx', async () => {
    const nginx = env.track(await startNginx('no-upgrade', { ORIGIN: env.origin }))
    const { waitFor } = openSession(env.manager, { technique: 'websocket', url: `${nginx.url.replace('http:', 'ws:')}/ws/echo` })
    const finding = await waitFor('finding', (f) => f.id === 'upgrade-stripped')
    const response = await waitFor('response')
    expect(response.status).not.toBe(101)
    expect(finding.intermediary).toMatch(/^nginx\/1\./)
    expect(finding.summary).toContain(`answered ${response.status}, not 101`)
    expect(finding.evidence.join('\n')).toMatch(/WebSocket endpoint/)
    expect(finding.remedy).toMatch(/proxy_http_version 1\.1/)
    expect(finding.seqs).toContain(response.seq)
  })

  it('Squid in front of the origin strips Upgrade by default → upgrade-stripped naming Squid from its Via', async () => {
    const squid = env.track(await startSquid({ tunnelPorts: [443], accel: env.origin }))
    const { waitFor } = openSession(env.manager, { technique: 'websocket', url: `${squid.url.replace('http:', 'ws:')}/ws/echo` })
    const finding = await waitFor('finding', (f) => f.id === 'upgrade-stripped')
    expect(finding.intermediary).toBe('squid/5.7')
    expect(finding.evidence.join('\n')).toMatch(/Via: 1\.1 rti-test-squid \(squid\/5\.7\)/)
    expect(finding.remedy).toMatch(/http_upgrade_request_protocols/)
  })

  it('healthy: nginx forwarding Upgrade and Connection → the echo works, no finding', async () => {
    const nginx = env.track(await startNginx('read-timeout', { ORIGIN: env.origin, TIMEOUT: 5 }))
    const { session, waitFor, ofKind } = openSession(env.manager, { technique: 'websocket', url: `${nginx.url.replace('http:', 'ws:')}/ws/echo` })
    await waitFor('open')
    expect(session.send({ type: 'text', data: 'hello' }).ok).toBe(true)
    await waitFor('message', (m) => m.direction === 'in' && m.data === 'hello')
    expect(ofKind('response')[0]!.status).toBe(101)
    expect(ofKind('finding').map((f) => f.id)).not.toContain('upgrade-stripped')
  })
})
