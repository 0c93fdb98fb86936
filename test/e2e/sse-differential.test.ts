// Chromium's own EventSource is the oracle: every tricky stream is served byte for
// byte by the playground (cut into pieces at awkward offsets), read by Chromium and
// by the SSE technique, and the two must see the same events — type, data and
// lastEventId, in order.
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

interface Seen {
  type: string
  data: string
  lastEventId: string
}

interface Stream {
  name: string
  bytes: Buffer
  /** Offsets where the playground cuts the stream into separate writes. */
  splits?: number[]
  /** No event at all is the right answer. */
  empty?: true
}

const text = (s: string) => Buffer.from(s, 'utf8')
const everyOffset = (length: number) => Array.from({ length: length - 1 }, (_, i) => i + 1)
const LONG = 'x'.repeat(10_000)

const STREAMS: Stream[] = [
  { name: 'BOM, split inside it', bytes: text('\ufeffdata: bom\n\n'), splits: [1, 2] },
  { name: 'two BOMs: only the first is stripped', bytes: text('\ufeff\ufeffdata: a\n\ndata: b\n\n'), splits: [3] },
  { name: 'a BOM misread as Latin-1 is text', bytes: text('\u00ef\u00bb\u00bfdata: a\n\ndata: b\n\n') },
  { name: 'CR, LF and CRLF mixed', bytes: text('data: a\rdata: b\ndata: c\r\n\r\nid: 1\r\ndata: d\n\r'), splits: [8, 17] },
  { name: 'lone CR at the end of a chunk', bytes: text('data: x\r\rdata: y\r\r'), splits: [9] },
  { name: 'stream ending in a lone CR', bytes: text('data: x\n\ndata: y\r\r') },
  { name: 'CRLF split across chunks', bytes: text('data: a\r\n\r\ndata: b\r\n\r\n'), splits: [8, 10, 19] },
  { name: 'CR then LF in the next chunk', bytes: text('data: a\r\ndata: b\r\n\r\n'), splits: [8] },
  { name: 'UTF-8 split inside characters', bytes: text('data: é€😀\n\nevent: ünï\ndata: ü\n\n'), splits: [7, 9, 12, 14, 26] },
  { name: 'invalid UTF-8', bytes: Buffer.concat([text('data: a'), Buffer.from([0xff, 0xc0, 0xaf, 0xe2, 0x82]), text('\ndata: '), Buffer.from([0xed, 0xa0, 0x80]), text('b\n\n')]) },
  { name: 'field without colon', bytes: text('data\n\ndata\ndata\n\nid\ndata: x\n\n') },
  { name: 'leading space rules', bytes: text('data:a\n\ndata: b\n\ndata:  c\n\ndata : d\n\n data: e\n\n') },
  { name: 'empty data lines', bytes: text('data:\ndata:\n\ndata:\n\ndata: \n\n') },
  { name: 'id with NUL is ignored', bytes: text('id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\n') },
  { name: 'empty id resets the last event ID', bytes: text('id: 1\ndata: a\n\nid:\ndata: b\n\nid: 2\ndata: c\n\nid\ndata: d\n\n') },
  { name: 'retry with non-digits', bytes: text('retry: 1a\ndata: a\n\nretry: -5\nretry: 1.5\nretry:\ndata: b\n\nretry: 100\ndata: c\n\n') },
  { name: 'unknown fields', bytes: text('foo: bar\nDATA: x\nData: y\nevent : z\ndata: kept\n\n') },
  { name: 'comments only', bytes: text(': one\n: two\n\n:three\n\n'), empty: true },
  { name: 'event without data', bytes: text('event: x\n\nevent: x\ndata: y\n\nevent: only\n\ndata: z\n\n') },
  { name: 'unterminated last event', bytes: text('data: a\n\ndata: cut'), splits: [9] },
  { name: 'unterminated event after a full line', bytes: text('id: 9\ndata: a\n\nid: 10\ndata: b\n') },
  { name: 'very long line, split in the middle', bytes: text(`data: ${LONG}\n\ndata: short\n\n`), splits: [100, 3000, 9000] },
  { name: 'multiple data lines', bytes: text('data: 1\ndata: 2\ndata: 3\n\n') },
  { name: 'comment between data lines', bytes: text('data: a\n: c\ndata: b\n\n') },
  { name: 'id-only blocks', bytes: text('id: 7\n\ndata: after\n\nid: 8\n\n\ndata: again\n\n') },
  { name: 'event type resets after each event', bytes: text('event: x\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\n') },
  { name: 'colons in the value', bytes: text('data: a:b: c\n\nid: x:y\ndata: d\n\n') },
  { name: 'NUL in data and event names with unicode', bytes: text('data: a\u0000b\n\nevent: ünï\ndata: u\n\nid: é\ndata: v\n\n') },
  { name: 'one byte at a time', bytes: text('\ufeffid: 1\r\nevent: x\rdata: é\n\r\ndata: 2\r\r'), splits: everyOffset(Buffer.byteLength('\ufeffid: 1\r\nevent: x\rdata: é\n\r\ndata: 2\r\r')) },
]

/** Every event type the streams use; Chromium only reports types with a listener. */
const TYPES = ['message', 'x', 'z', 'only', 'ünï']

let playground: Playground
let browser: Browser
let page: Page
let manager: SessionManager

beforeAll(async () => {
  playground = await startPlayground()
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  page = await (await browser.newContext()).newPage()
  // Same origin as the streams: no CORS in the way.
  await page.goto(`${playground.baseUrl}/`)
  manager = new SessionManager()
})

afterAll(async () => {
  manager?.dispose()
  await browser?.close()
  await playground?.close()
})

/** The query of /sse/raw for a stream. */
function streamQuery(stream: Stream): Record<string, string> {
  return {
    b64: stream.bytes.toString('base64'),
    ...(stream.splits?.length ? { splits: stream.splits.join(',') } : {}),
    gap: (stream.splits?.length ?? 0) > 20 ? '2' : '15',
  }
}

/** Chromium's EventSource, closed at its first error so it never reconnects. */
function viaChromium(url: string): Promise<Seen[]> {
  return page.evaluate(
    ({ url, types }) =>
      new Promise<Seen[]>((resolve) => {
        const seen: Seen[] = []
        const es = new EventSource(url)
        const record = (event: Event) => {
          const { type, data, lastEventId } = event as MessageEvent
          seen.push({ type, data: String(data), lastEventId })
        }
        for (const type of types) es.addEventListener(type, record)
        es.onerror = () => {
          es.close()
          resolve(seen)
        }
      }),
    { url, types: TYPES },
  )
}

/** The technique, given the query as the spec's parameters (a spec URL is capped at 8 KiB). */
async function viaTechnique(query: Record<string, string>): Promise<Seen[]> {
  const h = openSession(manager, {
    technique: 'sse',
    url: `${playground.baseUrl}/sse/raw`,
    query: Object.entries(query).map(([name, value]) => ({ name, value })),
    reconnect: { enabled: false },
  })
  await h.session.ended
  return h.ofKind('event').map((e) => ({ type: e.event, data: e.data, lastEventId: e.id }))
}

describe('SSE parsing matches Chromium\'s EventSource', () => {
  it('has at least 20 tricky streams', () => {
    expect(STREAMS.length).toBeGreaterThanOrEqual(20)
  })

  it.each(STREAMS.map((s) => [s.name, s] as const))('%s', async (_name, stream) => {
    const query = streamQuery(stream)
    const url = `${playground.baseUrl}/sse/raw?${new URLSearchParams(query).toString()}`
    const [chromiumSaw, weSaw] = await Promise.all([viaChromium(url), viaTechnique(query)])
    // An oracle that saw nothing proves nothing.
    expect(chromiumSaw.length > 0).toBe(!stream.empty)
    expect(weSaw).toEqual(chromiumSaw)
  })
})
