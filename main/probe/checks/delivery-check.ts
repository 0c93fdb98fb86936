// buffering, compression and event-delay: an SSE ticker with small, frequent, stamped
// events, once with the Accept-Encoding a client sends by default and once with
// `identity`. Time to headers against the first event (the ticker stays silent a
// moment first, with its headers flushed at once), events per read against their
// send times (bursts), and the delay of each event after its server timestamp.
import type { ConnectionSpecInput } from '../../contract/index.js'
import { matchKnownDefaults } from '../../diagnostics/known-defaults.js'
import { firstByteMs, headersMs, type HoldResult } from '../hold.js'
import { hopOf, median, percentile, seconds, type ProbeContext } from '../probe-context.js'
import { deriveSpec } from '../targets.js'

export const EVENT_MS = 200
/**
 * Delays are timed on a slower ticker: behind HAProxy's ~200 ms coalescing, events
 * 200 ms apart push each other out, half arriving late and half at once.
 */
const DELAY_EVENT_MS = 500
const SILENCE_MS = 600
const LISTEN_MS = 3400
/** Constant lag above this, not bursty, is a coalescing delay worth a finding. */
const DELAY_FINDING_MS = 100

interface Delivery {
  result: HoldResult
  headersMs?: number
  firstByteMs?: number
  events: number
  /** Events that arrived in one read with events sent at least half an interval apart. */
  inBursts: number
  largestBurst: number
  lags: number[]
  encoding?: string
}

export async function deliveryChecks(ctx: ProbeContext): Promise<void> {
  const ids = ['buffering', 'compression', 'event-delay'] as const
  const pg = ctx.playground
  const own = ctx.spec.technique === 'sse' || ctx.spec.technique === 'streaming' || ctx.spec.technique === 'websocket'
  if (!pg && !own) {
    for (const id of ids) ctx.update(id, { state: 'skipped', detail: 'needs a stream: a playground reached through the same path (--playground), or an SSE, streaming or WebSocket endpoint' })
    return
  }
  const startedAt = Date.now()
  const http = pg !== undefined || ctx.spec.technique !== 'websocket'
  for (const id of ids) ctx.update(id, http || id === 'event-delay' ? { state: 'running', startedAt } : { state: 'skipped', detail: 'a WebSocket has no HTTP body to buffer or compress; no playground to try an HTTP stream' })
  const make = (encoding?: string, knobs = `interval=${EVENT_MS}&heartbeat=0&retry=none&silence=${SILENCE_MS}`): ConnectionSpecInput =>
    pg
      ? deriveSpec(ctx.spec, { technique: 'sse', url: `${pg}/sse/ticker?${knobs}`, credentials: false, detectors: false, ...(encoding ? { headers: [{ name: 'Accept-Encoding', value: encoding }] } : {}) })
      : deriveSpec(ctx.spec, { technique: ctx.spec.technique, url: ctx.spec.url, credentials: true, detectors: false, ...(encoding ? { headers: [{ name: 'Accept-Encoding', value: encoding }] } : {}) })
  const until = Math.min(ctx.deadline, Date.now() + LISTEN_MS)
  const encodedHold = http ? ctx.hold({ spec: make(), until }) : undefined
  const identityHold = ctx.hold({ spec: make(http ? 'identity' : undefined), until })
  const delayHold = pg ? ctx.hold({ spec: make('identity', `interval=${DELAY_EVENT_MS}&heartbeat=0&retry=none`), until }) : undefined
  const [encoded, identity, paced] = await Promise.all([encodedHold?.result, identityHold.result, delayHold?.result]).then(([a, b, c]) => [a && measure(ctx, a), measure(ctx, b), c && measure(ctx, c)] as const)
  const onPlayground = pg !== undefined
  const hop = hopOf(ctx, identity.result.headers, identity.result.body)?.label
  const endedAt = Date.now()
  const failed = (d: Delivery) => d.result.responseAt === undefined && d.result.openAt === undefined
  if (failed(identity)) {
    const error = identity.result.errors[0]
    for (const id of ids) if (ctx.check(id).state === 'running') ctx.update(id, { state: 'failed', detail: error ? `${error.code}: ${error.message}` : 'the stream did not open', endedAt })
    return
  }

  // --- buffering ---------------------------------------------------------------------
  // From how long it really listened: a cancel cuts the window short.
  const expected = onPlayground ? Math.floor((identity.result.endedAt - (identity.result.requestAt ?? startedAt) - SILENCE_MS) / EVENT_MS) : undefined
  const starved = (d: Delivery) => expected !== undefined && expected >= 5 && d.events < expected / 3
  const bursty = (d: Delivery) => d.events >= 3 && d.inBursts / d.events >= 0.5
  const withheld = (d: Delivery) => onPlayground && d.headersMs !== undefined && d.firstByteMs !== undefined && d.headersMs >= SILENCE_MS - 150 && d.firstByteMs - d.headersMs < 150
  const held = (d: Delivery) => bursty(d) || starved(d)
  if (http) {
    const evidence = describe('identity', identity, expected)
    if (held(identity) || withheld(identity)) {
      const what = held(identity) ? (starved(identity) ? `only ${identity.events} of ~${expected} events arrived within ${seconds(LISTEN_MS - SILENCE_MS)}` : `${identity.inBursts} of ${identity.events} events arrived in bursts (up to ${identity.largestBurst} in one read)`) : `the headers waited for the first event (${seconds(identity.headersMs!)}, though the server sent them at once)`
      ctx.raise({
        id: 'buffering',
        severity: held(identity) ? 'error' : 'warning',
        summary: `${hop ? `${hop} holds` : 'Something on this path holds'} the stream back: ${what}.`,
        evidence: [...evidence, ...(encoded && held(encoded) ? [encoded.events > 0 ? `with the default Accept-Encoding too (${encoded.inBursts} of ${encoded.events} in bursts)` : 'with the default Accept-Encoding nothing arrived at all'] : [])],
        remedy: hop?.startsWith('nginx') ? 'In nginx: proxy_buffering off for this location (or send X-Accel-Buffering: no from the origin); for headers, flush them with the first byte or send a comment at once.' : 'Turn off response buffering for event streams on the proxy (nginx proxy_buffering off / X-Accel-Buffering: no; Apache flushpackets=on; disable antivirus web shields for the host).',
        confidence: onPlayground ? 'confirmed' : 'likely',
        ...(hop ? { intermediary: hop } : {}),
      })
    }
    ctx.update('buffering', { state: 'done', detail: evidence[0], endedAt })

    // --- compression -----------------------------------------------------------------
    // Nothing at all with the default Accept-Encoding while identity streamed: the only
    // difference between the two requests is the compression.
    const silentEncoded = encoded !== undefined && failed(encoded) && encoded.result.errors.length === 0
    if (encoded && (!failed(encoded) || silentEncoded)) {
      // Headers held for the first byte are buffering of their own (said above); this is about the events.
      const cured = held(encoded) && !held(identity) && identity.events > 0
      if ((encoded.encoding || silentEncoded) && cured) {
        ctx.raise({
          id: 'compression-buffering',
          severity: 'error',
          summary: `${hop ? `${hop} compresses` : 'Something on this path compresses'} the event stream${encoded.encoding ? ` (Content-Encoding: ${encoded.encoding})` : ''} and holds events back doing so${silentEncoded ? ` — nothing arrived within ${seconds(encoded.result.endedAt - encoded.result.startedAt)}, not even the headers` : ''}; with Accept-Encoding: identity they stream.`,
          evidence: [...describe(`Accept-Encoding: gzip, deflate, br → ${encoded.encoding ? `Content-Encoding: ${encoded.encoding}` : 'no answer yet'}`, encoded, expected), ...describe('Accept-Encoding: identity', identity, expected)],
          remedy: hop?.startsWith('nginx') ? 'Leave text/event-stream out of gzip_types in nginx (or gzip off for the location); clients can also send Accept-Encoding: identity.' : 'Do not compress text/event-stream on the proxy, or have it flush per event; clients can send Accept-Encoding: identity.',
          confidence: 'confirmed',
          ...(hop ? { intermediary: hop } : {}),
        })
      }
      const detail = silentEncoded ? `nothing arrived with the default Accept-Encoding${cured ? '; identity streamed' : ''}` : encoded.encoding ? `Content-Encoding: ${encoded.encoding} on the stream; ${cured ? 'it batches events (identity streams)' : held(encoded) ? 'batched with identity too' : 'events still streamed'}` : 'the stream was not compressed on the way'
      ctx.update('compression', { state: 'done', detail, endedAt })
    } else if (ctx.check('compression').state === 'running') ctx.update('compression', { state: 'failed', detail: 'the compressed stream did not open', endedAt })
  }

  // --- event delay -------------------------------------------------------------------
  const timed = paced ?? identity
  const lags = timed.lags
  if (lags.length < 3) {
    ctx.update('event-delay', { state: onPlayground ? 'failed' : 'skipped', detail: onPlayground ? `only ${lags.length} stamped events arrived` : 'the endpoint sent too few payloads with a timestamp (sentAt, timestamp, ts…; see --help for the field)', endedAt })
    return
  }
  const mid = median(lags)!
  const spread = percentile(lags, 90)! - percentile(lags, 10)!
  ctx.measured.eventDelayMs = Math.round(mid)
  const clock = ctx.clock && onPlayground ? `clock offset ${(Math.abs(ctx.clock.offsetMs) < 0.05 ? 0 : ctx.clock.offsetMs).toFixed(1)} ms ±${ctx.clock.uncertaintyMs.toFixed(1)} ms, ${ctx.clock.how}` : "clocks assumed in step (no playground to measure the server's clock against)"
  const detail = `median ${seconds(mid)} after the server's timestamp (p10–p90 spread ${seconds(spread)}, ${lags.length} events; ${clock})`
  if (mid >= DELAY_FINDING_MS && !bursty(timed) && spread < Math.max(100, mid / 2)) {
    const knownDefaults = matchKnownDefaults('delay', mid, hopOf(ctx, timed.result.headers)?.name)
    ctx.raise({
      id: 'coalescing-delay',
      severity: 'warning',
      summary: `Every event arrives about ${seconds(mid)} late, steadily: ${hop ? `${hop} delays` : 'a hop on this path delays'} small writes (it waits to fill a packet).`,
      evidence: [detail, `the events were not bursty: ${timed.inBursts} of ${timed.events} shared a read`, ...(timed.headersMs !== undefined ? [`the response headers came ${seconds(timed.headersMs)} after the request`] : [])],
      remedy: "In HAProxy, add `option http-no-delay` to the frontend or backend serving streams; elsewhere look for Nagle-style coalescing (TCP_NODELAY off) or a proxy's write buffering.",
      confidence: onPlayground && ctx.clock ? 'confirmed' : 'likely',
      measuredMs: Math.round(mid),
      ...(knownDefaults.length ? { knownDefaults } : {}),
      ...(hop ? { intermediary: hop } : {}),
    })
  }
  ctx.update('event-delay', { state: 'done', detail, endedAt })
}

function measure(ctx: ProbeContext, result: HoldResult): Delivery {
  const offset = ctx.playground && ctx.clock ? ctx.clock.offsetMs : 0
  let events = 0
  let inBursts = 0
  let largestBurst = 0
  const lags: number[] = []
  for (const arrival of result.arrivals) {
    const stamps = arrival.stamps
    events += stamps.length
    largestBurst = Math.max(largestBurst, stamps.length)
    if (stamps.length >= 2 && Math.max(...stamps) - Math.min(...stamps) >= EVENT_MS / 2) inBursts += stamps.length
    for (const stamp of stamps) lags.push(arrival.time - stamp + offset)
  }
  const encoding = result.headers['content-encoding']
  return { result, headersMs: headersMs(result), firstByteMs: firstByteMs(result), events, inBursts, largestBurst, lags, ...(encoding && encoding !== 'identity' ? { encoding } : {}) }
}

function describe(label: string, d: Delivery, expected: number | undefined): string[] {
  const head = `${label}: headers after ${d.headersMs !== undefined ? seconds(d.headersMs) : '—'}, first event after ${d.firstByteMs !== undefined ? seconds(d.firstByteMs) : '—'}`
  // The count expected is an estimate from the ticker's interval: never print "14 of ~13".
  const count = `${d.events}${expected !== undefined && d.events < expected ? ` of ~${expected}` : ''} events, ${d.inBursts} in bursts${d.largestBurst > 1 ? ` (up to ${d.largestBurst} in one read)` : ''}`
  return [`${head}; ${count}`]
}
