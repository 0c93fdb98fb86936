// The many-tabs benchmark's in-page probe (bench/tabs.ts): opens many sessions to the
// playground's ticker one after another, as a user opening tab after tab, lets them
// all receive for a while, and reports the page's heap (after a garbage collection)
// against the idle page's, with what the tabs hold. main.ts loads it only for a
// #bench-tabs fragment. Figures are console lines the bench reads from Chromium's log.
import type { ApiClient } from '../api'
import type { useSessionsStore } from '../stores/sessions'
import { REPORT_PREFIX } from './probe'

type SessionsStore = ReturnType<typeof useSessionsStore>

export interface TabsOptions {
  sessions: number
  /** Messages per second each session's ticker sends. */
  rate: number
  seconds: number
}

const DEFAULTS: TabsOptions = { sessions: 50, rate: 200, seconds: 60 }

/** `#bench-tabs&sessions=50&rate=200&seconds=60`: unknown or non-numeric values keep their default. */
export function tabsOptions(hash: string): TabsOptions {
  const params = new URLSearchParams(hash.replace(/^#bench-tabs/, ''))
  const options = { ...DEFAULTS }
  for (const key of Object.keys(DEFAULTS) as (keyof TabsOptions)[]) {
    const value = Number(params.get(key) ?? NaN)
    if (Number.isFinite(value) && value >= 0) options[key] = value
  }
  return options
}

const heapUsed = () => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0
/** Present when Chromium runs with --js-flags=--expose-gc. */
const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve))
const report = (type: string, figures: object) => console.log(REPORT_PREFIX + JSON.stringify({ type, ...figures }))

/** The heap after collecting twice (a second pass frees what the first one's finalizers let go). */
async function settledHeap(): Promise<number> {
  await sleep(500)
  collectGarbage()
  await sleep(100)
  collectGarbage()
  return heapUsed()
}

export async function runTabsProbe(store: SessionsStore, client: ApiClient, options: TabsOptions): Promise<void> {
  await store.init(client, { connectOnFirstRun: false })
  const base = store.environment?.playground?.baseUrl
  if (!base) return report('error', { message: 'no playground beside the engine' })
  await sleep(1500)
  report('tabs-baseline', { heapBytes: await settledHeap(), sessions: options.sessions, rate: options.rate, seconds: options.seconds })

  const url = `${base.replace(/^http/, 'ws')}/ws/ticker?rate=${options.rate}`
  for (let i = 0; i < options.sessions; i++) {
    if (!(await store.connect({ technique: 'websocket', url }))) return report('error', { message: `could not open session ${i + 1}: ${store.connectError?.message ?? 'unknown'}` })
  }
  for (let waited = 0; waited < options.seconds; waited += 10) {
    await sleep(Math.min(10, options.seconds - waited) * 1000)
    report('tabs-progress', { seconds: Math.min(options.seconds, waited + 10), held: store.held().frames })
  }
  const received = () => store.sessions.reduce((n, s) => n + s.stats.frames, 0)
  report('tabs-loaded', { heapBytes: await settledHeap(), ...store.held(), received: received(), activeHeld: store.activeWindow?.length ?? 0 })

  // The user looks through every tab once, then comes back to the last.
  const ids = store.sessions.map((s) => s.id)
  for (const id of [...ids, ids.at(-1)!]) {
    store.activate(id)
    await nextFrame()
  }
  report('tabs-switched', { heapBytes: await settledHeap(), ...store.held(), received: received(), activeHeld: store.activeWindow?.length ?? 0 })
  for (const id of ids) await store.dismiss(id)
  report('done', {})
}
