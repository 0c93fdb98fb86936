// stale-cache (docs/diagnostics.md): polls answered by a cache instead of the server. The
// cache says so (X-Cache: HIT, CF-Cache-Status: HIT, an Age), and the answers repeat
// (the same body, or the same server time in it). It is certain once an update is
// seen late: a new answer whose send time is older than an earlier cached answer.
import type { ResponseFacts } from '../attempt-facts.js'
import type { Detector, DetectorContext } from '../detector.js'
import { cacheHit } from '../intermediary.js'
import { PayloadClock } from '../payload-time.js'
import { countStep } from './arrivals.js'
import { formatMs } from '../../contract/format.js'

/** A cached answer given this long after newer data existed was stale (not a race). */
const STALE_MARGIN_MS = 100
const KEPT_HITS = 50

interface Hit {
  seq: number
  time: number
  content: string
}

export function staleCacheDetector(): Detector {
  let clock: PayloadClock | undefined
  let last: { content: string; stamps: string } | undefined
  let polls = 0
  let hits: Hit[] = []
  let hitCount = 0
  let repeated = 0
  let firstSign: string | undefined
  let staleMs = 0
  let shown = ''
  return {
    name: 'stale-cache',
    onFrame(frame, ctx) {
      const technique = ctx.spec.technique
      if (frame.kind !== 'response' || (technique !== 'polling' && technique !== 'long-polling') || frame.from === 'proxy') return
      const response = ctx.current?.exchanges.at(-1)?.response
      if (!response || response.seq !== frame.seq || (response.status !== 200 && response.status !== 304)) return
      clock ??= new PayloadClock(ctx.spec.diagnostics?.timestampField ?? '')
      polls++
      const stamps = response.body !== undefined ? clock.stamps(response.body, response.time) : []
      const content = response.status === 304 || response.unchanged ? (last?.content ?? '') : (response.body ?? '')
      const same = last !== undefined && (content === last.content || (stamps.length > 0 && stamps.join() === last.stamps))
      // New data shows how long earlier cached answers kept the old.
      if (!same && stamps.length > 0) {
        const newest = Math.max(...stamps)
        for (const hit of hits) if (hit.content !== content && hit.time - newest > STALE_MARGIN_MS) staleMs = Math.max(staleMs, hit.time - newest)
      }
      last = { content, stamps: stamps.length > 0 ? stamps.join() : (last?.stamps ?? '') }
      const sign = cacheHit(response.headers)
      if (sign) {
        firstSign ??= sign
        hitCount++
        if (same) repeated++
        hits = [...hits.slice(-(KEPT_HITS - 1)), { seq: response.seq, time: response.time, content }]
      }
      // An answer from the server itself may still show that the cached ones were stale.
      if (!firstSign) return
      const confidence = staleMs > 0 && hitCount >= 2 ? 'confirmed' : hitCount >= 3 && repeated >= 2 ? 'likely' : 'hint'
      // Said again when the picture changes, not with every poll.
      const key = `${countStep(hitCount)}/${countStep(repeated)}/${confidence}/${Math.round(staleMs / 100)}`
      if (key === shown) return
      shown = key
      raise(ctx, response, { polls, hitCount, repeated, firstSign, staleMs, confidence, hits })
    },
    reset() {
      last = undefined
      polls = hitCount = repeated = staleMs = 0
      hits = []
      firstSign = undefined
      shown = ''
    },
  }
}

interface Tally {
  polls: number
  hitCount: number
  repeated: number
  firstSign: string
  staleMs: number
  confidence: 'hint' | 'likely' | 'confirmed'
  hits: Hit[]
}

function raise(ctx: DetectorContext, response: ResponseFacts, tally: Tally): void {
  const hop = ctx.intermediary
  const evidence = [
    `${tally.hitCount} of ${tally.polls} poll answers came from a cache (${tally.firstSign})`,
    `${tally.repeated} of the cached answers were the same as the answer before`,
  ]
  if (tally.staleMs > 0) evidence.push(`newer data existed for ${formatMs(tally.staleMs)} while the cache still answered with the old`)
  const validators = ['cache-control', 'last-modified', 'etag', 'expires'].map((name) => (response.headers[name] !== undefined ? `${name}: ${response.headers[name]}` : undefined)).filter(Boolean)
  if (!response.headers['cache-control']) evidence.push(`no Cache-Control on the answer${response.headers['last-modified'] ? ': with a Last-Modified, caches may keep it for a while on their own (heuristic freshness)' : ''}`)
  else evidence.push(validators.join('; '))
  if (hop) evidence.push(`the cache: ${hop.label} (${hop.source})`)
  ctx.raise({
    id: 'stale-cache',
    severity: 'warning',
    summary: `Polls are answered by ${hop ? hop.label : 'a cache'} instead of the server${tally.staleMs > 0 ? `: updates arrived up to ${formatMs(tally.staleMs)} late` : ', so updates can arrive late or not at all'}.`,
    evidence,
    remedy:
      'Mark the endpoint uncacheable: `Cache-Control: no-store` (or `no-cache` with an ETag, so every poll is revalidated with the server). If the server cannot change, add a cache-busting query parameter (a counter or the time) to each poll.',
    confidence: tally.confidence,
    ...(hop ? { intermediary: hop.label } : {}),
    ...(tally.staleMs > 0 ? { measuredMs: Math.round(tally.staleMs) } : {}),
    seqs: tally.hits.map((h) => h.seq),
    times: tally.hits.map((h) => h.time),
  })
}
