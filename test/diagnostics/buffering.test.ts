// buffering and compression-buffering (docs/diagnostics.md): a hop that holds a stream back is
// seen in the headers waiting for the first event, and in events sent apart that
// arrive together; when the stream is compressed, compression is the one to blame.
// Proven against nginx 1.22 (docs/diagnostics.md).
import { describe, expect, it } from 'vitest'
import { startNginx } from '../helpers/nginx.js'
import { playgroundWithPeers } from '../helpers/playground-with-peers.js'
import { openSession } from '../helpers/session-harness.js'
import { StampedFeed } from '../helpers/stamped-feed.js'

const OURS = ['buffering', 'compression-buffering', 'coalescing-delay']

describe('buffering, from the frames', () => {
  it('says nothing about a stream whose headers come at once and whose events arrive as sent', () => {
    const feed = new StampedFeed({ technique: 'sse' })
    feed.answer({ durationMs: 4 })
    feed.stream(30, 300, 2)
    expect(feed.ids()).toEqual([])
  })

  it('sees headers withheld until the first event: late headers, the event right behind them, sent just before', () => {
    const feed = new StampedFeed({ technique: 'sse' })
    const response = feed.answer({ durationMs: 1500, headers: { server: 'nginx/1.22.1' } })
    feed.wait(2).read([10]).stream(5, 300, 2)
    const finding = feed.finding('buffering')!
    expect(finding).toMatchObject({ severity: 'warning', intermediary: 'nginx/1.22.1', confidence: 'hint', measuredMs: 1500 })
    expect(finding.summary).toMatch(/nginx\/1\.22\.1 holds the stream back: the response headers waited 1\.5 s/)
    expect(finding.evidence.join('\n')).toMatch(/headers came 1\.5 s after the request, together with the first data; the server sent that payload 1\.5 s after the request/)
    expect(finding.seqs).toContain(response)
    expect(feed.finding('compression-buffering')).toBeUndefined()
  })

  it('does not blame a hop for a server that was slow to answer and then sent what it had long before', () => {
    const feed = new StampedFeed({ technique: 'sse' })
    feed.answer({ durationMs: 1500 })
    // The first payload was stamped right at the request: the server, not a hop, took 1.5 s.
    feed.wait(2).read([1500]).stream(5, 300, 2)
    expect(feed.finding('buffering')).toBeUndefined()
  })

  it('sees bursts: events sent 250 ms apart arriving together, and grows surer with each burst', () => {
    const feed = new StampedFeed({ technique: 'streaming' })
    feed.answer()
    feed.wait(1000).read([1000, 750, 500, 250, 0])
    expect(feed.finding('buffering')).toMatchObject({ confidence: 'hint', measuredMs: 1000 })
    expect(feed.finding('buffering')!.summary).toMatch(/events sent apart arrive in bursts/)
    feed.wait(1000).read([1000, 750, 500, 250, 0])
    feed.wait(1000).read([1000, 750, 500, 250, 0])
    expect(feed.finding('buffering')!.confidence).toBe('confirmed')
    expect(feed.finding('buffering')!.evidence.filter((l) => /5 payloads the server sent over 1\.0 s arrived at once/.test(l))).toHaveLength(3)
  })

  it('counts payloads split over reads of one delivery (a decoder hands them over in pieces) as one burst', () => {
    const feed = new StampedFeed({ technique: 'sse' })
    feed.answer()
    feed.wait(1000).read([1000, 600]).wait(1).read([300, 0])
    expect(feed.finding('buffering')!.evidence.join()).toMatch(/4 payloads the server sent over 1\.0 s arrived at once/)
  })

  it('does not take a fast stream read many at a time for a burst (sent close together, as a slow reader sees it)', () => {
    const feed = new StampedFeed({ technique: 'sse' })
    feed.answer()
    for (let i = 0; i < 20; i++) feed.wait(300).read(Array.from({ length: 100 }, (_, k) => 300 - k * 3))
    expect(feed.finding('buffering')).toBeUndefined()
  })

  it('blames compression when the bursting stream is gzipped, and only that', () => {
    const feed = new StampedFeed({ technique: 'sse' })
    feed.answer({ durationMs: 1600, headers: { 'content-encoding': 'gzip', 'content-type': 'text/event-stream', server: 'nginx/1.22.1' } })
    feed.wait(2).read([1400, 1200, 1000, 800, 600, 400, 200, 0])
    const finding = feed.finding('compression-buffering')!
    expect(finding).toMatchObject({ severity: 'warning', confidence: 'likely', intermediary: 'nginx/1.22.1' })
    expect(finding.evidence.join('\n')).toMatch(/Content-Encoding: gzip/)
    expect(finding.evidence.join('\n')).toMatch(/Accept-Encoding: gzip, deflate, br/)
    expect(finding.remedy).toMatch(/Accept-Encoding: identity/)
    expect(finding.remedy).toMatch(/gzip_types/)
    expect(feed.finding('buffering')).toBeUndefined()
  })

  it('says nothing about a compressed stream that flows event by event', () => {
    const feed = new StampedFeed({ technique: 'sse' })
    feed.answer({ headers: { 'content-encoding': 'gzip' } })
    feed.stream(20, 300, 3)
    expect(feed.ids()).toEqual([])
  })

  it('looks at stamps only in the payloads (polls carry when the data changed, not when it was sent)', () => {
    const feed = new StampedFeed({ technique: 'polling' })
    feed.answer({ durationMs: 1500 })
    feed.wait(1).read([5000, 4000, 3000], 'message')
    expect(feed.ids()).toEqual([])
  })
})

describe('buffering through nginx', () => {
  const env = playgroundWithPeers()
  const start = async (gzip: 'on' | 'off', buffering: 'on' | 'off') => env.track(await startNginx('buffering', { ORIGIN: env.origin, GZIP: gzip, BUFFERING: buffering }))

  it('proxy_buffering on: the headers wait for a first event sent 1.5 s late → buffering, naming nginx', async () => {
    const peer = await start('off', 'on')
    // retry=none: the origin writes nothing before the first event, so nginx has nothing to pass on.
    const { waitFor, ofKind } = openSession(env.manager, { technique: 'sse', url: `${peer.url}/sse/ticker?interval=300&silence=1500&heartbeat=0&retry=none&count=3`, reconnect: { enabled: false } })
    const finding = await waitFor('finding', (f) => f.id === 'buffering', 6000)
    const response = ofKind('response')[0]!
    expect(response.durationMs).toBeGreaterThan(1200)
    expect(finding.intermediary).toMatch(/^nginx\/1\./)
    expect(finding.measuredMs).toBeGreaterThan(1200)
    expect(finding.measuredMs).toBeLessThan(2500)
    expect(finding.evidence.join('\n')).toMatch(/together with the first data; the server sent that payload 1\.\d s after the request/)
    expect(finding.seqs).toContain(response.seq)
    await waitFor('close')
    expect(ofKind('finding').map((f) => f.id).filter((id) => OURS.includes(id))).toEqual(['buffering'])
  })

  it('gzip on text/event-stream with buffering on: every event at the end, in one gzip chunk → compression-buffering', async () => {
    const peer = await start('on', 'on')
    const { waitFor, ofKind } = openSession(env.manager, { technique: 'sse', url: `${peer.url}/sse/ticker?interval=200&heartbeat=0&count=8`, reconnect: { enabled: false } })
    await waitFor('close', undefined, 6000)
    expect(ofKind('response')[0]!.headers['content-encoding']).toBe('gzip')
    const findings = ofKind('finding').filter((f) => OURS.includes(f.id))
    expect(findings.map((f) => f.id)).toEqual(['compression-buffering'])
    const [finding] = findings
    expect(finding).toMatchObject({ severity: 'warning', intermediary: expect.stringMatching(/^nginx/) })
    expect(finding!.evidence.join('\n')).toMatch(/8 payloads the server sent over 1\.\d s arrived at once/)
    expect(finding!.measuredMs).toBeGreaterThan(1100)
  })

  it('the same stream asked with Accept-Encoding: identity flows event by event → no finding', async () => {
    const peer = await start('on', 'on')
    const { waitFor, ofKind } = openSession(env.manager, { technique: 'sse', url: `${peer.url}/sse/ticker?interval=200&heartbeat=0&count=8`, headers: [{ name: 'Accept-Encoding', value: 'identity' }], reconnect: { enabled: false } })
    await waitFor('close', undefined, 6000)
    expect(ofKind('response')[0]!.headers['content-encoding']).toBeUndefined()
    expect(ofKind('event')).toHaveLength(8)
    expect(ofKind('finding').filter((f) => OURS.includes(f.id))).toEqual([])
  })

  it('healthy: proxy_buffering off and gzip off, the same late first event → no finding', async () => {
    const peer = await start('off', 'off')
    const { waitFor, ofKind } = openSession(env.manager, { technique: 'sse', url: `${peer.url}/sse/ticker?interval=200&silence=1000&heartbeat=0&retry=none&count=4`, reconnect: { enabled: false } })
    await waitFor('close', undefined, 6000)
    expect(ofKind('response')[0]!.durationMs).toBeLessThan(500)
    expect(ofKind('finding').filter((f) => OURS.includes(f.id))).toEqual([])
  })
})
