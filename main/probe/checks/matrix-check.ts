// matrix: each of the five techniques through this path, for a few seconds, side by
// side: the endpoint itself for its own technique, the playground's endpoint for the
// others. Does it connect, how soon is the first byte, how late are the messages,
// and is it cut?
import { TECHNIQUES, type TechniqueMatrixRow, type TechniqueName } from '../../contract/index.js'
import type { HoldResult } from '../hold.js'
import { firstByteMs, headersMs } from '../hold.js'
import { median, seconds, type ProbeContext } from '../probe-context.js'
import { deriveSpec, playgroundTarget } from '../targets.js'
import { nameIntermediary } from '../../diagnostics/intermediary.js'

const RUN_MS = 4000
const KNOBS: Record<TechniqueName, string> = {
  websocket: 'interval=250',
  sse: 'interval=250&heartbeat=0',
  'long-polling': 'hold=2000&every=250',
  polling: 'every=500',
  streaming: 'interval=250',
}
/** Messages this late, or a first byte this slow, make a technique degraded. */
const LAG_DEGRADED_MS = 500
const FIRST_BYTE_DEGRADED_MS = 2000

export async function matrixCheck(ctx: ProbeContext): Promise<void> {
  const startedAt = Date.now()
  ctx.update('matrix', { state: 'running', startedAt, detail: `each technique for ${seconds(RUN_MS)}` })
  const until = Math.min(ctx.deadline, startedAt + RUN_MS)
  const runs = TECHNIQUES.map(async (technique) => {
    const own = technique === ctx.spec.technique
    if (!own && !ctx.playground) {
      const row: TechniqueMatrixRow = { technique, url: '', verdict: 'untested', connects: false, note: 'no playground reached through this path to try it on' }
      ctx.setRow(row)
      return row
    }
    const target = own ? { url: ctx.spec.url, extra: {} } : playgroundTarget(ctx.playground!, technique, KNOBS[technique])
    const spec = deriveSpec(ctx.spec, { technique, url: target.url, credentials: own, detectors: true, extra: target.extra })
    ctx.setRow({ technique, url: target.url, verdict: 'untested', connects: false, note: 'running' })
    const result = await ctx.hold({ spec, until }).result
    const row = rowOf(ctx, technique, target.url, result, own)
    ctx.setRow(row)
    return row
  })
  const rows = await Promise.all(runs)
  const tally = (v: TechniqueMatrixRow['verdict']) => rows.filter((r) => r.verdict === v).length
  ctx.update('matrix', { state: 'done', detail: `${tally('works')} work, ${tally('degraded')} degraded, ${tally('fails')} fail, ${tally('untested')} untested`, endedAt: Date.now() })
}

function rowOf(ctx: ProbeContext, technique: TechniqueName, url: string, r: HoldResult, own: boolean): TechniqueMatrixRow {
  const status = r.status
  const connects = r.openAt !== undefined || (status !== undefined && status >= 200 && status < 400)
  const base: TechniqueMatrixRow = { technique, url, verdict: 'works', connects, note: '', ...(status !== undefined ? { status } : {}) }
  const hop = nameIntermediary(r.headers, r.body)
  if (!connects || (status !== undefined && status >= 400 && r.openAt === undefined)) {
    const error = r.errors.find((e) => e.code !== 'E_RECONNECT_GAVE_UP')
    const why = r.fromProxy ? `the proxy refused the tunnel: ${status}${hop ? ` from ${hop.label}` : ''}` : technique === 'websocket' && status !== undefined && status !== 101 ? `Upgrade stripped: ${status}${hop ? ` from ${hop.label}` : ''}` : status !== undefined ? `answered ${status}${hop ? ` by ${hop.label}` : ''}` : error ? `${error.code}: ${error.message}` : `no answer within ${seconds(RUN_MS)}`
    return { ...base, verdict: r.done || r.errors.length > 0 || status !== undefined ? 'fails' : 'untested', connects: false, note: short(why) }
  }
  const first = firstByteMs(r)
  if (first !== undefined) base.firstByteMs = Math.round(first)
  else if (technique === 'websocket' && r.openAt !== undefined) base.firstByteMs = Math.round(r.openAt - (r.requestAt ?? r.startedAt))
  const lags = lagsOf(ctx, technique, r, own)
  const lag = median(lags)
  if (lag !== undefined) base.lagMs = Math.round(lag)
  if (r.cut) base.cutAfterMs = Math.round(r.cut.ageMs)
  const notes: string[] = []
  let verdict: TechniqueMatrixRow['verdict'] = 'works'
  if (r.cut) {
    verdict = 'degraded'
    notes.push(`cut after ${seconds(r.cut.ageMs)} (${r.cut.cause})`)
  }
  if (r.arrivals.length === 0) {
    if (!own) verdict = 'degraded'
    notes.push(own ? `connected; no data within ${seconds(RUN_MS)}` : `no data within ${seconds(RUN_MS)}`)
  }
  if (lag !== undefined && lag > LAG_DEGRADED_MS) {
    verdict = 'degraded'
    notes.push(`messages ${seconds(lag)} late`)
  } else if (lag !== undefined && lag >= 100) notes.push(`messages ~${seconds(lag)} late`)
  if (first !== undefined && first > FIRST_BYTE_DEGRADED_MS && !own) {
    verdict = 'degraded'
    notes.push(`first byte after ${seconds(first)}`)
  }
  const toHeaders = headersMs(r)
  if (notes.length === 0) notes.push(`${status ?? 'open'}${toHeaders !== undefined ? ` in ${seconds(toHeaders)}` : ''}${hop ? ` via ${hop.label}` : ''}; messages flowed`)
  return { ...base, verdict, note: short(notes.join('; ')) }
}

/** Delay of each stamped message after its server time; polled values carry their change time, not a send time. */
function lagsOf(ctx: ProbeContext, technique: TechniqueName, r: HoldResult, own: boolean): number[] {
  if (technique === 'polling') return []
  const offset = !own && ctx.clock ? ctx.clock.offsetMs : 0
  // A long-poll's first answer can carry a backlog sent long before: its messages
  // (each stamped as it was read) come before the second answer's head.
  const secondAnswer = r.responses[1]?.time ?? Infinity
  const lags: number[] = []
  for (const arrival of r.arrivals) {
    if (technique === 'long-polling' && arrival.time < secondAnswer) continue
    for (const stamp of arrival.stamps) lags.push(arrival.time - stamp + offset)
  }
  return lags
}

const short = (text: string) => (text.length > 120 ? `${text.slice(0, 119)}…` : text)
