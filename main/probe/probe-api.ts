// The probe as InspectorApi methods (the app's diagnostics panel): one registry per
// engine, a few runs at once, finished reports kept a while for whoever polls late,
// and every run stopped when the engine closes.
import { randomBytes } from 'node:crypto'
import { fail, ok, ProbeParamsSchema, type InspectorApi, type ProbeReport } from '../contract/index.js'
import type { NetContext } from '../net/proxy.js'
import { startProbeRun, type ProbeRun } from './probe-run.js'

export type ProbeMethods = Pick<InspectorApi, 'startProbe' | 'probeStatus' | 'cancelProbe'>

export interface ProbeRegistry extends ProbeMethods {
  /** Cancels every run and resolves once their sessions are closed (the engine closes). */
  closeAll(): Promise<void>
}

export const MAX_RUNNING_PROBES = 4
/** A finished report stays readable this long. */
export const KEEP_FINISHED_MS = 10 * 60_000
const MAX_KEPT = 50

export function createProbeRegistry(options: { net?: NetContext; max?: number; keepMs?: number } = {}): ProbeRegistry {
  const max = options.max ?? MAX_RUNNING_PROBES
  const keepMs = options.keepMs ?? KEEP_FINISHED_MS
  const runs = new Map<string, { run: ProbeRun; final?: ProbeReport; forget?: NodeJS.Timeout }>()
  let closed = false
  const running = () => [...runs.values()].filter((r) => !r.final).length

  const unknown = (id: string) => fail('E_PROBE_UNKNOWN', `no probe ${id} (finished reports are kept ${Math.round(keepMs / 60_000)} minutes)`)

  return {
    async startProbe(params) {
      if (closed) return fail('E_PROBE_CLOSED', 'the engine is closing')
      const parsed = ProbeParamsSchema.safeParse(params)
      if (!parsed.success) return fail('E_PROBE_INVALID', parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; '))
      if (running() >= max) return fail('E_PROBE_LIMIT', `at most ${max} probes run at once: wait for one or cancel it`)
      const id = randomBytes(6).toString('hex')
      const run = startProbeRun({ id, spec: parsed.data.spec, maxTimeMs: parsed.data.maxTimeMs, playgroundUrl: parsed.data.playgroundUrl, net: options.net ?? {} })
      const entry: { run: ProbeRun; final?: ProbeReport; forget?: NodeJS.Timeout } = { run }
      runs.set(id, entry)
      void run.finished.then((final) => {
        entry.final = final
        entry.forget = setTimeout(() => runs.delete(id), keepMs)
        entry.forget.unref()
        // Many quick runs must not pile up reports for ten minutes each.
        const finished = [...runs.entries()].filter(([, r]) => r.final)
        for (const [oldId, old] of finished.slice(0, Math.max(0, finished.length - MAX_KEPT))) {
          clearTimeout(old.forget)
          runs.delete(oldId)
        }
      })
      return ok(run.report())
    },
    async probeStatus(id) {
      const entry = runs.get(id)
      return entry ? ok(entry.final ?? entry.run.report()) : unknown(id)
    },
    async cancelProbe(id) {
      const entry = runs.get(id)
      if (!entry) return unknown(id)
      entry.run.cancel()
      return ok(await entry.run.finished)
    },
    async closeAll() {
      closed = true
      const all = [...runs.values()]
      for (const entry of all) {
        entry.run.cancel()
        clearTimeout(entry.forget)
      }
      await Promise.all(all.map((entry) => entry.run.finished))
      runs.clear()
    },
  }
}
