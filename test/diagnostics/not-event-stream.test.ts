// not-event-stream (docs/diagnostics.md): an SSE endpoint that answers something other than a
// 200 text/event-stream makes a browser's EventSource fail for good. 204 is the
// server asking the client to stop: information, not an error. A proxy's error page
// in place of the stream names the proxy.
import { describe, expect, it } from 'vitest'
import { freePort } from '../helpers/free-port.js'
import { startNginx } from '../helpers/nginx.js'
import { playgroundWithPeers } from '../helpers/playground-with-peers.js'
import { openSession } from '../helpers/session-harness.js'
import { StampedFeed } from '../helpers/stamped-feed.js'

describe('not-event-stream, from the frames', () => {
  it('says nothing about a 200 text/event-stream (with a charset), nor about a redirect that is followed', () => {
    const feed = new StampedFeed({ technique: 'sse' })
    feed.answer({ status: 307, headers: { location: '/elsewhere', 'content-type': 'text/html' } })
    feed.respond({ headers: { 'content-type': 'text/event-stream; charset=utf-8' } })
    expect(feed.ids()).toEqual([])
  })

  it('a JSON error page from a gateway in place of the stream names the hop', () => {
    const feed = new StampedFeed({ technique: 'sse' })
    feed.answer({ status: 502, headers: { 'content-type': 'application/json', via: '1.1 gw (squid/5.7)' }, body: '{"error":"upstream unavailable"}' })
    const finding = feed.finding('not-event-stream')!
    expect(finding).toMatchObject({ severity: 'error', confidence: 'confirmed', intermediary: 'squid/5.7' })
    expect(finding.summary).toMatch(/answered 502 \(from squid\/5\.7\) instead of a 200 text\/event-stream: a browser's EventSource fails and does not reconnect/)
    expect(finding.evidence.join('\n')).toMatch(/body: "\{"error":"upstream unavailable"\}"/)
  })

  it('is only applied to SSE sessions', () => {
    const feed = new StampedFeed({ technique: 'polling' })
    feed.answer({ status: 200, headers: { 'content-type': 'text/plain' } })
    expect(feed.ids()).toEqual([])
  })
})

describe('not-event-stream from real answers', () => {
  const env = playgroundWithPeers()
  const sse = (query: string) => ({ technique: 'sse' as const, url: `${env.playground.baseUrl}/sse/ticker?interval=200&${query}` })

  // count=3: the body ends, so the technique's read of it as evidence ends too.
  it('Content-Type text/plain → error: EventSource would fail and not reconnect', async () => {
    const { waitFor } = openSession(env.manager, sse('type=text/plain&count=3'))
    const finding = await waitFor('finding', (f) => f.id === 'not-event-stream')
    expect(finding).toMatchObject({ severity: 'error', confidence: 'confirmed' })
    expect(finding.summary).toMatch(/with Content-Type text\/plain.* instead of a 200 text\/event-stream/)
    expect(finding.remedy).toMatch(/Content-Type: text\/event-stream/)
  })

  it('status 500 → error, with the answer\'s body as evidence', async () => {
    const { waitFor, ofKind } = openSession(env.manager, sse('status=500'))
    const finding = await waitFor('finding', (f) => f.id === 'not-event-stream')
    expect(finding.summary).toMatch(/answered 500/)
    expect(finding.seqs).toEqual([ofKind('response')[0]!.seq])
    expect(ofKind('reconnect')).toEqual([])
  })

  it('status 204 → information: the server asks the client to stop', async () => {
    const { waitFor } = openSession(env.manager, sse('status=204'))
    const finding = await waitFor('finding', (f) => f.id === 'not-event-stream')
    expect(finding.severity).toBe('info')
    expect(finding.summary).toMatch(/204 No Content: it asks the client to stop/)
  })

  it('nginx\'s own 502 page when the origin is down names nginx', async () => {
    const nginx = env.track(await startNginx('read-timeout', { ORIGIN: `127.0.0.1:${await freePort()}`, TIMEOUT: 3 }))
    const { waitFor } = openSession(env.manager, { technique: 'sse', url: `${nginx.url}/sse/ticker` })
    const finding = await waitFor('finding', (f) => f.id === 'not-event-stream')
    expect(finding.intermediary).toMatch(/^nginx/)
    expect(finding.summary).toMatch(/answered 502 \(from nginx/)
    expect(finding.evidence.join('\n')).toMatch(/502 Bad Gateway/)
  })

  it('healthy: a ticker → no finding', async () => {
    const { session, waitFor, ofKind } = openSession(env.manager, sse('count=3'))
    await waitFor('event', (e) => e.id === '3')
    session.close()
    expect(ofKind('finding')).toEqual([])
  })
})
