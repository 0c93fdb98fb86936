// The `eventsource` package (4.1.1) as the reference client. First, what it really
// does with bytes where it departs from the spec — shown with the package itself
// against the playground, not taken on trust — then the findings the SSE technique
// reports for exactly those streams, and their absence on ordinary ones.
import { EventSource } from 'eventsource'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionSpecInput } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'

let playground: Playground
let manager: SessionManager
beforeAll(async () => {
  playground = await startPlayground()
})
afterAll(() => playground.close())
afterEach(() => manager?.dispose())

const raw = (bytes: string | Buffer, query = '') => `${playground.baseUrl}/sse/raw?b64=${encodeURIComponent(Buffer.from(bytes).toString('base64'))}${query}`

interface PackageEvent {
  type: string
  data: string
  lastEventId: string
  /** ms after the stream opened */
  at: number
}

/** What the real package dispatches, until the stream ends (or it refuses it); and the requests it made. */
function viaPackage(url: string, options: { types?: string[]; requests?: number } = {}): Promise<{ events: PackageEvent[]; lastEventIds: (string | null)[]; refused: boolean }> {
  const events: PackageEvent[] = []
  const lastEventIds: (string | null)[] = []
  let openedAt = 0
  return new Promise((resolve) => {
    const es = new EventSource(url, {
      fetch: (input, init) => {
        lastEventIds.push(new Headers(init?.headers).get('last-event-id'))
        return fetch(input, init)
      },
    })
    const record = (event: MessageEvent) => events.push({ type: event.type, data: event.data as string, lastEventId: event.lastEventId, at: performance.now() - openedAt })
    for (const type of ['message', ...(options.types ?? [])]) es.addEventListener(type, record)
    es.addEventListener('open', () => (openedAt = performance.now()))
    es.addEventListener('error', () => {
      // Refused answers close it; a stream that ended schedules a reconnect.
      const refused = es.readyState === es.CLOSED
      if (refused || lastEventIds.length >= (options.requests ?? 1)) {
        es.close()
        resolve({ events, lastEventIds, refused })
      }
    })
  })
}

const open = (url: string, extra: Partial<ConnectionSpecInput> = {}) => {
  manager = new SessionManager()
  return openSession(manager, { technique: 'sse', url, reconnect: { enabled: false }, ...extra })
}

async function viaTechnique(url: string, extra: Partial<ConnectionSpecInput> = {}) {
  const h = open(url, extra)
  await h.session.ended
  const openedAt = h.ofKind('open')[0]?.time ?? 0
  return {
    h,
    events: h.ofKind('event').map((e) => ({ type: e.event, data: e.data, lastEventId: e.id, at: e.time - openedAt })),
    findings: h.ofKind('finding').filter((f) => f.id === 'eventsource-differs'),
  }
}

describe('the eventsource package departs from the spec (shown with the package itself)', () => {
  it('holds a line that ends in a lone CR at the end of a chunk until the next byte arrives', async () => {
    // The next byte comes 600 ms later; the package's own open event may itself come late on a loaded machine.
    const url = raw('data: x\r\rdata: y\n\n', '&splits=9&gap=600')
    const [pkg, ours] = await Promise.all([viaPackage(url), viaTechnique(url)])
    expect(pkg.events.map((e) => e.data)).toEqual(['x', 'y'])
    expect(pkg.events[0]!.at).toBeGreaterThanOrEqual(400)
    expect(ours.events.map((e) => e.data)).toEqual(['x', 'y'])
    expect(ours.events[0]!.at).toBeLessThan(200)
  })

  it('loses such an event when the stream ends first', async () => {
    const url = raw('data: x\n\ndata: y\r\r')
    const [pkg, ours] = await Promise.all([viaPackage(url), viaTechnique(url)])
    expect(pkg.events.map((e) => e.data)).toEqual(['x'])
    expect(ours.events.map((e) => e.data)).toEqual(['x', 'y'])
  })

  it('reports lastEventId "" for an event without its own id line', async () => {
    const url = raw('id: 1\ndata: a\n\ndata: b\n\n')
    const [pkg, ours] = await Promise.all([viaPackage(url), viaTechnique(url)])
    expect(pkg.events.map((e) => e.lastEventId)).toEqual(['1', ''])
    expect(ours.events.map((e) => e.lastEventId)).toEqual(['1', '1'])
  })

  it('forgets an id sent in a block without data, and reconnects with an older Last-Event-ID', async () => {
    const url = raw('retry: 20\nid: 1\ndata: a\n\nid: 5\n\n')
    const pkg = await viaPackage(url, { requests: 2 })
    expect(pkg.lastEventIds).toEqual([null, '1'])
    const h = open(url, { reconnect: { jitter: 0 } })
    await h.waitFor('request', (r) => r.headers['Last-Event-ID'] !== undefined)
    expect(h.ofKind('request')[1]!.headers['Last-Event-ID']).toBe('5')
  })

  it('strips the characters "ï»¿" (a BOM misread as Latin-1) at the start of a stream', async () => {
    const url = raw('\u00ef\u00bb\u00bfdata: a\n\ndata: b\n\n')
    const [pkg, ours] = await Promise.all([viaPackage(url), viaTechnique(url)])
    expect(pkg.events.map((e) => e.data)).toEqual(['a', 'b'])
    expect(ours.events.map((e) => e.data)).toEqual(['b'])
  })

  it('strips a real BOM once, as the spec does', async () => {
    const url = raw('\ufeff\ufeffdata: a\n\ndata: b\n\n')
    const [pkg, ours] = await Promise.all([viaPackage(url), viaTechnique(url)])
    expect(pkg.events.map((e) => e.data)).toEqual(['b'])
    expect(ours.events.map((e) => e.data)).toEqual(['b'])
    expect(ours.findings).toEqual([])
  })

  it('checks the Content-Type case-sensitively and by prefix', async () => {
    const upper = raw('data: a\n\n', '&type=Text/Event-Stream')
    const [pkgUpper, oursUpper] = await Promise.all([viaPackage(upper), viaTechnique(upper)])
    expect(pkgUpper).toMatchObject({ refused: true, events: [] })
    expect(oursUpper.events.map((e) => e.data)).toEqual(['a'])

    const longer = raw('data: a\n\n', '&type=text/event-streams')
    const [pkgLonger, oursLonger] = await Promise.all([viaPackage(longer), viaTechnique(longer)])
    expect(pkgLonger.events.map((e) => e.data)).toEqual(['a'])
    expect(oursLonger.events).toEqual([])
    expect(oursLonger.h.ofKind('error')[0]).toMatchObject({ code: 'E_SSE_BAD_CONTENT_TYPE' })
  })
})

describe('eventsource-differs findings', () => {
  it.each([
    '/sse/ticker?interval=5&count=6',
    '/sse/ticker?interval=5&count=4&eol=crlf&split=crlf&gap=1&lines=3',
    '/sse/ticker?interval=5&count=3&split=utf8&gap=1',
    '/sse/ticker?interval=5&count=3&split=byte&gap=0',
    '/sse/ticker?interval=5&count=3&gzip=1&event=a,b',
  ])('are absent when the package sees what the spec sees: %s', async (path) => {
    const { events, findings } = await viaTechnique(playground.baseUrl + path)
    expect(events.length).toBeGreaterThan(0)
    expect(findings).toEqual([])
  })

  it('say an event would come late when its lines end in a lone CR', async () => {
    const { findings } = await viaTechnique(playground.baseUrl + '/sse/ticker?interval=20&count=3&eol=cr')
    expect(findings.length).toBeGreaterThan(0)
    expect(findings[0]).toMatchObject({ severity: 'warning', summary: expect.stringMatching(/would see this event late/), remedy: expect.stringContaining('lone CR') })
  })

  it('say an event would not be seen when the stream ends right after a lone CR', async () => {
    const { findings } = await viaTechnique(raw('data: x\n\ndata: y\r\r'))
    expect(findings.map((f) => f.summary)).toEqual([expect.stringMatching(/would not see this event/)])
    expect(findings[0]!.evidence.join('\n')).toContain('"y"')
  })

  it('say an event would carry a different id', async () => {
    const { findings } = await viaTechnique(raw('id: 1\ndata: a\n\ndata: b\n\n'))
    expect(findings).toHaveLength(1)
    expect(findings[0]!.summary).toMatch(/would see a different id/)
    expect(findings[0]!.evidence.join('\n')).toContain('lastEventId: ""')
  })

  it('say a reconnect would send another Last-Event-ID after an id-only block', async () => {
    const { findings } = await viaTechnique(raw('id: 1\ndata: a\n\nid: 5\n\n'))
    expect(findings.map((f) => f.summary)).toEqual([expect.stringMatching(/would reconnect with a different Last-Event-ID/)])
  })

  it('say the package would see an event the stream does not have', async () => {
    const { findings } = await viaTechnique(raw('\u00ef\u00bb\u00bfdata: a\n\ndata: b\n\n'))
    expect(findings.map((f) => f.summary)).toEqual([expect.stringMatching(/would see an event the stream does not have/)])
  })

  it('say the package would refuse, or accept, a Content-Type the spec judges otherwise', async () => {
    const refused = await viaTechnique(raw('data: a\n\n', '&type=TEXT/EVENT-STREAM'))
    expect(refused.findings.map((f) => f.summary)).toEqual([expect.stringMatching(/would refuse this stream/)])
    const accepted = await viaTechnique(raw('data: a\n\n', '&type=text/event-streamy'))
    expect(accepted.findings.map((f) => f.summary)).toEqual([expect.stringMatching(/would accept this answer/)])
  })

  it('are reported one by one up to ten per connection, then counted', async () => {
    const stream = 'id: 1\ndata: first\n\n' + Array.from({ length: 25 }, (_, i) => `data: ${i}\n\n`).join('')
    const { findings } = await viaTechnique(raw(stream))
    expect(findings).toHaveLength(11)
    expect(findings[10]!.summary).toMatch(/would see 15 more events differently/)
  })

  it('are off when the comparison is off', async () => {
    const { findings } = await viaTechnique(raw('id: 1\ndata: a\n\ndata: b\n\n'), { sse: { compareWithEventSource: false } })
    expect(findings).toEqual([])
  })
})
