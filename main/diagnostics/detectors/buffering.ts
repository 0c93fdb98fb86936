// buffering and compression-buffering (docs/diagnostics.md): a hop holds a stream back. Two
// signatures (docs/diagnostics.md, nginx): the response headers wait for the
// first event instead of coming after a round trip, and events sent over a while
// arrive together. When the stream is compressed, compression is the likely reason
// (nginx's gzip filled its buffer before flushing), and only that finding is raised.
import type { AttemptFacts, ResponseFacts } from '../attempt-facts.js'
import type { Detector, DetectorContext, FindingDraft } from '../detector.js'
import { ArrivalLog, MIN_DELIVERIES, readOf, steadyDelay, type Delivery } from './arrivals.js'
import { formatMs } from '../../contract/format.js'
import { confidenceOf } from './figures.js'

/** Headers later than this after the request may have been held; a round trip is far shorter. */
const WITHHELD_MIN_MS = 500
/** The first data came this close after the headers: they were let go together. */
const TOGETHER_MS = 100
/** A hold this long is no write delay: buffering, whatever the rest of the stream does. */
const LONG_HOLD_MS = 1000
/** Attempts remembered for the finding's evidence. */
const MAX_ATTEMPTS = 20

interface Withheld {
  seq: number
  time: number
  durationMs: number
  /** The first payload's send time after the request, when it carried one. */
  firstSentAfterMs?: number
}

interface AttemptRecord {
  number: number
  withheld?: Withheld
  bursts: Delivery[]
  coding?: string
}

export function bufferingDetector(): Detector {
  const log = new ArrivalLog()
  const records = new Map<AttemptFacts, AttemptRecord>()
  return {
    name: 'buffering',
    onSample(sample, ctx) {
      const attempt = ctx.current
      const technique = ctx.spec.technique
      if (!attempt || (technique !== 'sse' && technique !== 'streaming')) return
      const response = attempt.firstResponse
      if (!response || response.status < 200 || response.status > 299) return
      log.follow(attempt)
      const read = readOf(sample, true)
      if (read) log.add(read)
      const record = recordOf(records, attempt, response)
      const withheld = withheldHeaders(attempt, response, log)
      if (withheld && !record.withheld) record.withheld = withheld
      if (withheld?.firstSentAfterMs !== undefined) record.withheld = withheld
      if (read) record.bursts = burstsOf(log)
      judge(ctx, [...records.values()])
    },
    reset() {
      log.clear()
      records.clear()
    },
  }
}

/**
 * Bursts held a fixed short time are a hop's write delay (coalescing-delay's), not
 * buffering: short holds count only once enough deliveries showed they are not steady.
 */
function burstsOf(log: ArrivalLog): Delivery[] {
  const holds = log.holds()
  if (steadyDelay(holds) !== undefined) return []
  const settled = (holds?.count ?? 0) >= MIN_DELIVERIES
  return log.bursts().filter((burst) => settled || burst.heldMs >= LONG_HOLD_MS)
}

function recordOf(records: Map<AttemptFacts, AttemptRecord>, attempt: AttemptFacts, response: ResponseFacts): AttemptRecord {
  let record = records.get(attempt)
  if (!record) {
    const coding = compressedWith(response)
    record = { number: attempt.number, bursts: [], ...(coding ? { coding } : {}) }
    records.set(attempt, record)
    if (records.size > MAX_ATTEMPTS) records.delete(records.keys().next().value!)
  }
  return record
}

function compressedWith(response: ResponseFacts): string | undefined {
  const coding = response.headers['content-encoding']?.toLowerCase()
  return coding && /\b(gzip|x-gzip|br|deflate|zstd)\b/.test(coding) ? coding : undefined
}

/** The headers came late and together with the first data: a hop waited for the body. */
function withheldHeaders(attempt: AttemptFacts, response: ResponseFacts, log: ArrivalLog): Withheld | undefined {
  if (response.durationMs < WITHHELD_MIN_MS) return undefined
  if (attempt.firstDataAt === undefined || attempt.firstDataAt - response.time > TOGETHER_MS) return undefined
  const withheld: Withheld = { seq: response.seq, time: response.time, durationMs: response.durationMs }
  const first = log.reads[0]
  if (!first || first.time - response.time > TOGETHER_MS) return withheld
  // With a send time: the server produced that payload late, and the headers came
  // right after it — not a server slow to answer that then had much to say at once.
  const requestedAt = response.time - response.durationMs
  const sentAfter = Math.min(...first.stamps) - requestedAt
  if (sentAfter < response.durationMs * 0.5 || response.time - (requestedAt + sentAfter) > Math.max(200, response.durationMs * 0.2)) return undefined
  return { ...withheld, firstSentAfterMs: sentAfter }
}

function judge(ctx: DetectorContext, records: AttemptRecord[]): void {
  const compressed = records.filter((r) => r.coding && (r.withheld || r.bursts.length > 0))
  const plain = records.filter((r) => !r.coding && (r.withheld || r.bursts.length > 0))
  if (compressed.length > 0) ctx.raise(draftFor('compression-buffering', compressed, ctx))
  if (plain.length > 0) ctx.raise(draftFor('buffering', plain, ctx))
}

function draftFor(id: 'buffering' | 'compression-buffering', records: AttemptRecord[], ctx: DetectorContext): FindingDraft {
  const hop = ctx.intermediary
  const bursts = records.flatMap((r) => r.bursts)
  const withheld = records.flatMap((r) => (r.withheld ? [r.withheld] : []))
  const timed = withheld.filter((w) => w.firstSentAfterMs !== undefined)
  const evidence: string[] = []
  for (const record of records) {
    if (record.coding) evidence.push(`attempt ${record.number}: the stream came with Content-Encoding: ${record.coding}`)
    const w = record.withheld
    if (w) {
      const sent = w.firstSentAfterMs !== undefined ? `; the server sent that payload ${formatMs(w.firstSentAfterMs)} after the request` : ''
      evidence.push(`attempt ${record.number}: the response headers came ${formatMs(w.durationMs)} after the request, together with the first data${sent}`)
    }
    for (const burst of record.bursts.slice(-5)) {
      evidence.push(`attempt ${record.number}: ${burst.stamps} payloads the server sent over ${formatMs(burst.spanMs)} arrived at once; the oldest had waited ${formatMs(burst.heldMs)}`)
    }
  }
  if (hop) evidence.push(`the hop: ${hop.label} (${hop.source})`)
  const asked = ctx.current?.exchanges.find((e) => e.request)?.request?.headers['accept-encoding']
  if (id === 'compression-buffering' && asked) evidence.push(`this client sent Accept-Encoding: ${asked}`)
  const heldMs = Math.max(0, ...withheld.map((w) => w.durationMs), ...bursts.map((b) => b.heldMs))
  // Held headers without send times may be a server slow to answer: a hint only.
  // Compression on a stream that came in bursts is its own corroboration.
  const weight = bursts.length + timed.length + (id === 'compression-buffering' ? 1 : 0)
  const confidence = weight === 0 ? 'hint' : confidenceOf(Math.max(weight, records.length))
  const what = bursts.length > 0 ? 'events sent apart arrive in bursts' : `the response headers waited ${formatMs(heldMs)} for the first data`
  const summary =
    id === 'compression-buffering'
      ? `The stream is compressed, and ${hop?.label ?? 'a hop on the path'} holds it back to compress it: ${what}.`
      : `${hop ? hop.label : 'Something (a buffering proxy, or the server itself)'} holds the stream back: ${what}.`
  return {
    id,
    severity: 'warning',
    summary,
    evidence,
    remedy: id === 'compression-buffering' ? COMPRESSION_REMEDY : BUFFERING_REMEDY,
    confidence,
    ...(hop ? { intermediary: hop.label } : {}),
    measuredMs: Math.round(heldMs),
    seqs: [...withheld.map((w) => w.seq), ...bursts.map((b) => b.seq)],
    times: [...withheld.map((w) => w.time), ...bursts.map((b) => b.time)],
  }
}

const BUFFERING_REMEDY =
  'Turn response buffering off for this stream: on nginx `proxy_buffering off;` in its location, or have the origin send `X-Accel-Buffering: no`; other proxies have the same switch (Apache: `flushpackets=on`). Have the server send its headers at once and flush after every event (an early `: ok` comment shows whether a hop still holds the stream).'

const COMPRESSION_REMEDY =
  'Request the stream uncompressed with `Accept-Encoding: identity` (add the header to this connection to check), and stop the hop from compressing event streams: on nginx take text/event-stream out of `gzip_types` (or `gzip off;` in that location), or have the origin send `X-Accel-Buffering: no`. Browsers always offer gzip, so the fix for real users is on the server side.'
