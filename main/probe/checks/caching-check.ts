// caching: poll a few times, faster than the value changes, and see whether the
// answers change with it. The endpoint itself when it is polled; else the
// playground's counter, served the way many real endpoints are (Last-Modified and no
// Cache-Control), which a cache on the path may answer from heuristically.
import { cacheHit } from '../../diagnostics/intermediary.js'
import { hopOf, seconds, type ProbeContext } from '../probe-context.js'
import { deriveSpec } from '../targets.js'

const POLLS = 5
const POLL_EVERY_MS = 600
/** The playground's counter changes this often: every poll should see a new value. */
const CHANGES_EVERY_MS = 500

export async function cachingCheck(ctx: ProbeContext): Promise<void> {
  const own = ctx.spec.technique === 'polling'
  if (!own && !ctx.playground) {
    ctx.update('caching', { state: 'skipped', detail: 'the endpoint is not polled and no playground was found to poll through the same path' })
    return
  }
  ctx.update('caching', { state: 'running', startedAt: Date.now() })
  const url = own ? ctx.spec.url : `${ctx.playground}/poll?every=${CHANGES_EVERY_MS}&cacheControl=&etag=0`
  // Unconditional: a 304 would hide whether a cache answered with a stale body.
  const spec = deriveSpec(ctx.spec, { technique: 'polling', url, credentials: own, detectors: own, extra: { polling: { intervalMs: POLL_EVERY_MS, conditional: false, requestTimeoutMs: 5000 } } })
  const hold = ctx.hold({ spec, until: Math.min(ctx.deadline, Date.now() + POLLS * POLL_EVERY_MS + 3000), enough: (r) => r.responses.length >= POLLS })
  const result = await hold.result
  const endedAt = Date.now()
  const answers = result.responses.map((response) => ({ ...response, hit: cacheHit(response.headers) }))
  if (answers.length < 2) {
    const error = result.errors[0]
    ctx.update('caching', { state: 'failed', detail: error ? `${error.code}: ${error.message}` : `only ${answers.length} answer${answers.length === 1 ? '' : 's'} came`, endedAt })
    return
  }
  let repeats = 0
  for (let i = 1; i < answers.length; i++) {
    const answer = answers[i]!
    if (answer.status === 200 && (answer.unchanged || (answer.body !== undefined && answer.body === answers[i - 1]!.body))) repeats++
  }
  const hits = answers.filter((a) => a.hit)
  // On the playground the value changes between any two polls; on an endpoint of
  // unknown pace, identical bodies only count next to a cache's own word.
  const stale = own ? repeats > 0 && hits.length > 0 : repeats > 0
  const detail = `${answers.length} polls ${seconds(POLL_EVERY_MS)} apart: ${repeats} repeated the previous body, ${hits.length} marked by a cache${hits[0] ? ` (${hits[0].hit})` : ''}`
  if (stale) {
    const hop = hopOf(ctx, hits[0]?.headers ?? answers[0]!.headers)
    ctx.raise({
      id: 'stale-cache',
      severity: 'warning',
      summary: `Polls are answered from a cache${hop ? ` (${hop.label})` : ''}: ${repeats} of ${answers.length - 1} repeated the previous answer${own ? '' : ' although the value had changed'}.`,
      evidence: [
        detail,
        ...answers.slice(0, 6).map((a, i) => `poll ${i + 1}: ${a.status}${a.hit ? `, ${a.hit}` : ''}${a.headers['last-modified'] ? `, Last-Modified: ${a.headers['last-modified']}` : ''}${a.headers['cache-control'] !== undefined ? `, Cache-Control: ${a.headers['cache-control']}` : ', no Cache-Control'}; body ${JSON.stringify((a.body ?? '').slice(0, 60))}`),
      ],
      remedy: 'Send Cache-Control: no-cache (or no-store) on polled responses; a response with Last-Modified and no Cache-Control may be cached heuristically. Adding a changing query parameter works around it from the client.',
      confidence: hits.length > 0 && repeats > 0 ? 'confirmed' : 'likely',
      ...(hop ? { intermediary: hop.label } : {}),
    })
  }
  ctx.update('caching', { state: 'done', detail, endedAt })
}
