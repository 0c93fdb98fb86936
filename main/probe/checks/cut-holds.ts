// idle-timeout and lifetime: connections held open at once and watched for a cut.
// Two silent ones (is there an idle cut, and does it repeat?), one with a heartbeat
// well below any plausible timeout (does traffic keep it alive?), two with a steady
// ticker (is it cut at a constant age anyway: a maximum lifetime?), and one silent one
// of the other kind (HTTP stream vs WebSocket tunnel: proxies time them apart).
// All run in parallel, so the probe takes about one timeout, not three.
import type { ConnectionSpecInput, TechniqueName } from '../../contract/index.js'
import type { Hold, HoldResult } from '../hold.js'
import { alike, hopOf, median, seconds, type ProbeContext } from '../probe-context.js'
import { deriveSpec, wsBase } from '../targets.js'
import { holdsVerdict, silentCut, type CutPlan, type HoldSet } from './cut-verdict.js'

/** Client pings and SSE comments this often: below any timeout worth finding. */
export const HEARTBEAT_MS = 1000
/** The steady ticker of the lifetime holds. */
const TICK_MS = 1000
const WATCH_MS = 100

type Family = 'sse' | 'websocket'
const familyOf = (technique: TechniqueName): Family => (technique === 'websocket' ? 'websocket' : 'sse')

export async function cutChecks(ctx: ProbeContext): Promise<void> {
  const family = familyOf(ctx.spec.technique)
  const plan = planHolds(ctx, family)
  if (!plan) {
    const why = 'needs a silent connection: a playground reached through the same path (--playground), or an SSE, streaming or WebSocket endpoint'
    ctx.update('idle-timeout', { state: 'skipped', detail: why })
    ctx.update('lifetime', { state: 'skipped', detail: why })
    return
  }
  const startedAt = Date.now()
  ctx.update('idle-timeout', { state: 'running', startedAt, detail: `holding ${plan.silent.length} silent connections` })
  if (plan.traffic.length > 0) ctx.update('lifetime', { state: 'running', startedAt, detail: 'holding connections with a ticker every second' })
  else ctx.update('lifetime', { state: 'skipped', detail: 'needs a playground to hold a connection with steady traffic' })

  const open = (spec: ConnectionSpecInput, pings = false): Hold => {
    let timer: NodeJS.Timeout | undefined
    const hold = ctx.hold({
      spec,
      ...(pings ? { onOpen: (session) => (timer = setInterval(() => session.send({ type: 'ping', data: 'rti-probe' }), HEARTBEAT_MS)) } : {}),
    })
    void hold.result.then(() => clearInterval(timer))
    return hold
  }
  const holds: Record<keyof HoldSet, Hold[]> = {
    silent: plan.silent.map((spec) => open(spec)),
    heartbeat: plan.heartbeat ? [open(plan.heartbeat.spec, plan.heartbeat.pings)] : [],
    traffic: plan.traffic.map((spec) => open(spec)),
    other: plan.other ? [open(plan.other)] : [],
  }

  while (!ctx.signal.aborted && !enoughSeen(holds, plan.onPlayground)) {
    showProgress(ctx, holds, startedAt, plan.onPlayground)
    await ctx.sleep(WATCH_MS)
  }
  const all = Object.values(holds).flat()
  for (const hold of all) hold.stop()
  const results: Record<keyof HoldSet, HoldResult[]> = {
    silent: await Promise.all(holds.silent.map((h) => h.result)),
    heartbeat: await Promise.all(holds.heartbeat.map((h) => h.result)),
    traffic: await Promise.all(holds.traffic.map((h) => h.result)),
    other: await Promise.all(holds.other.map((h) => h.result)),
  }
  const hop = hopOf(ctx, results.silent.find((r) => r.cut)?.headers ?? results.silent[0]?.headers ?? {})
  holdsVerdict(ctx, results, { ...plan, family, heartbeatMs: HEARTBEAT_MS, tickMs: TICK_MS, hop, timedOut: ctx.signal.aborted })
}

const ageOf = (r: HoldResult, now: number) => now - (r.openAt ?? r.startedAt)

/**
 * Done when the silent holds were cut (or never opened) and every other one was cut
 * too or outlived the cut clearly: the heartbeat one and a silent one that did not
 * repeat by a margin, the tickers and the other kind by twice the cut (a maximum
 * lifetime longer than that is not what this battery is after).
 */
function enoughSeen(holds: Record<keyof HoldSet, Hold[]>, onPlayground: boolean): boolean {
  const silent = holds.silent.map((h) => h.current)
  const cuts = silent.map((r) => silentCut(r, onPlayground)).filter((c): c is number => c !== undefined)
  if (cuts.length === 0) return silent.every((r) => r.done && r.openAt === undefined)
  const s = Math.max(...cuts)
  const now = Date.now()
  const outlived = (r: HoldResult, ms: number) => r.done || ageOf(r, now) >= ms
  const soon = s + margin(s)
  const late = Math.max(2 * s, soon)
  return [...holds.silent, ...holds.heartbeat].every((h) => outlived(h.current, soon)) && [...holds.traffic, ...holds.other].every((h) => outlived(h.current, late))
}

/** How far past a cut a connection must live to show that it was not cut alike. */
export const margin = (ms: number) => Math.max(1000, 0.3 * ms)

function showProgress(ctx: ProbeContext, holds: Record<keyof HoldSet, Hold[]>, startedAt: number, onPlayground: boolean): void {
  const cuts = holds.silent.map((h) => silentCut(h.current, onPlayground)).filter((c): c is number => c !== undefined)
  const elapsed = seconds(Date.now() - startedAt)
  const detail = cuts.length === 0 ? `no cut yet after ${elapsed} of silence` : `cut after ${seconds(median(cuts)!)} of silence${cuts.length > 1 && alike(cuts[0]!, cuts[1]!) ? ', twice alike' : ''}; a heartbeat hold is still open after ${elapsed}`
  if (ctx.check('idle-timeout').detail !== detail) ctx.update('idle-timeout', { detail })
  if (holds.traffic.length > 0) {
    const traffic = holds.traffic.filter((h) => h.current.cut).length
    const lifetime = traffic > 0 ? `${traffic} ticker connection${traffic > 1 ? 's' : ''} cut; watching` : `tickers flowing for ${elapsed}, no cut yet`
    if (ctx.check('lifetime').detail !== lifetime) ctx.update('lifetime', { detail: lifetime })
  }
}

function planHolds(ctx: ProbeContext, family: Family): CutPlan | undefined {
  const pg = ctx.playground
  // Uncompressed: a hop that holds compressed events back (the delivery check's matter) must not blur the cuts.
  const spec = (technique: TechniqueName, url: string, own = false) => deriveSpec(ctx.spec, { technique, url, credentials: own, detectors: false, ...(own ? {} : { headers: [{ name: 'Accept-Encoding', value: 'identity' }] }) })
  if (pg) {
    const sse = (knobs: string) => spec('sse', `${pg}/sse/ticker?${knobs}`)
    const ws = (knobs: string) => spec('websocket', `${wsBase(pg)}/ws/ticker?${knobs}`)
    const silent = family === 'sse' ? () => sse('interval=600000&heartbeat=0') : () => ws('interval=600000')
    return {
      silent: [silent(), silent()],
      heartbeat: family === 'sse' ? { spec: sse(`interval=600000&heartbeat=${HEARTBEAT_MS}`), pings: false } : { spec: ws('interval=600000'), pings: true },
      traffic: family === 'sse' ? [sse(`interval=${TICK_MS}&heartbeat=0`), sse(`interval=${TICK_MS}&heartbeat=0`)] : [ws(`interval=${TICK_MS}`), ws(`interval=${TICK_MS}`)],
      other: family === 'sse' ? ws('interval=600000') : sse('interval=600000&heartbeat=0'),
      onPlayground: true,
    }
  }
  // Without a playground the endpoint is held as it is: whatever it sends, the cut's
  // idle time and age still tell an idle timeout from a lifetime.
  const technique = ctx.spec.technique
  if (technique !== 'sse' && technique !== 'streaming' && technique !== 'websocket') return undefined
  const own = () => spec(technique, ctx.spec.url, true)
  return { silent: [own(), own()], ...(technique === 'websocket' ? { heartbeat: { spec: own(), pings: true } } : {}), traffic: [], onPlayground: false }
}
