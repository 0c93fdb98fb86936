// stale-cache (docs/diagnostics.md): polls answered by a cache. The cache says so (X-Cache:
// HIT, CF-Cache-Status, Age) and the answers repeat; it is certain once an update is
// seen to have come late. Proven against Squid 5.7 caching a poll heuristically (a
// Last-Modified, no Cache-Control), and not raised when Squid does not cache.
import { describe, expect, it } from 'vitest'
import { playgroundWithPeers } from '../helpers/playground-with-peers.js'
import { openSession } from '../helpers/session-harness.js'
import { startSquid } from '../helpers/squid.js'
import { StampedFeed } from '../helpers/stamped-feed.js'

const HIT = { 'x-cache': 'HIT from edge', via: '1.1 edge (squid/5.7)', 'last-modified': 'Tue, 24 Nov 2026 09:14:00 GMT' }
const body = (sentAt: number, counter: number) => JSON.stringify({ sentAt, counter })

describe('stale-cache, from the frames', () => {
  it('says nothing about polls the server answers itself, changed or not', () => {
    const feed = new StampedFeed({ technique: 'polling' })
    feed.answer({ body: body(feed.now, 1), headers: { 'cache-control': 'no-cache' } })
    for (let i = 0; i < 10; i++) feed.wait(300).respond({ status: 304, unchanged: true, headers: { 'cache-control': 'no-cache' } })
    expect(feed.ids()).toEqual([])
  })

  it('one cached answer is a hint; repeated identical cached answers are likely', () => {
    const feed = new StampedFeed({ technique: 'polling' })
    const sent = feed.now
    feed.answer({ body: body(sent, 1) })
    feed.wait(300).respond({ body: body(sent, 1), headers: HIT })
    const first = feed.finding('stale-cache')!
    expect(first).toMatchObject({ severity: 'warning', confidence: 'hint', intermediary: 'squid/5.7' })
    expect(first.evidence[0]).toBe('1 of 2 poll answers came from a cache (X-Cache: HIT from edge)')
    feed.wait(300).respond({ body: body(sent, 1), headers: HIT })
    feed.wait(300).respond({ status: 304, unchanged: true, headers: HIT })
    const later = feed.finding('stale-cache')!
    expect(later.confidence).toBe('likely')
    expect(later.evidence).toContain('3 of the cached answers were the same as the answer before')
    expect(later.evidence.join('\n')).toMatch(/no Cache-Control on the answer: with a Last-Modified, caches may keep it/)
    expect(later.remedy).toMatch(/Cache-Control: no-store/)
    expect(later.remedy).toMatch(/cache-busting query parameter/)
  })

  it('is confirmed, with how late, when newer data turns out to have existed while the cache answered the old', () => {
    const feed = new StampedFeed({ technique: 'polling' })
    const first = feed.now
    feed.answer({ body: body(first, 1) })
    feed.wait(1000)
    const changed = feed.now // the server's data changes now…
    for (let i = 0; i < 4; i++) feed.wait(500).respond({ body: body(first, 1), headers: { ...HIT, age: String(i + 1) } })
    feed.wait(500).respond({ body: body(changed, 2) }) // …and shows up 2.5 s later
    const finding = feed.finding('stale-cache')!
    expect(finding.confidence).toBe('confirmed')
    expect(finding.measuredMs).toBeGreaterThanOrEqual(2000)
    expect(finding.measuredMs).toBeLessThan(2100)
    expect(finding.summary).toMatch(/updates arrived up to 2\.0 s late/)
  })

  it('counts Age and CF-Cache-Status as a cache\'s word, and updates only when the picture changes', () => {
    const feed = new StampedFeed({ technique: 'long-polling' })
    feed.answer({ body: '{"messages":[]}' })
    for (let i = 0; i < 40; i++) feed.wait(100).respond({ body: '{"messages":[]}', headers: i % 2 ? { age: '5' } : { 'cf-cache-status': 'HIT' } })
    expect(feed.finding('stale-cache')!.confidence).toBe('likely')
    expect(feed.emitted.filter((f) => f.id === 'stale-cache').length).toBeLessThan(10)
  })
})

describe('stale-cache through Squid', () => {
  const env = playgroundWithPeers()
  // Last-Modified and no Cache-Control: Squid may keep the answer on its own (heuristic freshness).
  const poll = (proxy: string) => ({ technique: 'polling' as const, url: `${env.playground.baseUrl}/poll?cacheControl=&etag=0`, polling: { intervalMs: 250 }, proxy: { mode: 'url' as const, url: proxy } })

  it('a caching Squid answers the polls: X-Cache: HIT, the same answer again → stale-cache naming Squid', async () => {
    const squid = env.track(await startSquid({ tunnelPorts: [443], cache: true }))
    const { session, waitFor, ofKind } = openSession(env.manager, poll(squid.url))
    const finding = await waitFor('finding', (f) => f.id === 'stale-cache' && f.confidence === 'likely', 5000)
    session.close()
    expect(ofKind('response').some((r) => /HIT/.test(String(r.headers['x-cache'])))).toBe(true)
    expect(finding.intermediary).toBe('squid/5.7')
    expect(finding.evidence[0]).toMatch(/poll answers came from a cache \(X-Cache: HIT from rti-test-squid\)/)
    expect(finding.evidence.join('\n')).toMatch(/no Cache-Control on the answer/)
  })

  it('healthy: Squid with `cache deny all` passes every poll to the server → no finding', async () => {
    const squid = env.track(await startSquid({ tunnelPorts: [443] }))
    const { session, waitFor, ofKind } = openSession(env.manager, poll(squid.url))
    await waitFor('response', (r) => ofKind('response').indexOf(r) >= 7, 5000)
    session.close()
    expect(ofKind('response').every((r) => /MISS/.test(String(r.headers['x-cache'])))).toBe(true)
    expect(ofKind('finding')).toEqual([])
  })

  it('healthy: the playground\'s own poll (Cache-Control: no-cache), straight → no finding', async () => {
    const { session, waitFor, ofKind } = openSession(env.manager, { technique: 'polling', url: `${env.playground.baseUrl}/poll`, polling: { intervalMs: 200 }, proxy: { mode: 'none' } })
    await waitFor('response', (r) => ofKind('response').indexOf(r) >= 5, 5000)
    session.close()
    expect(ofKind('finding')).toEqual([])
  })
})
