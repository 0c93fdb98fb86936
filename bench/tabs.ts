// The many-tabs benchmark (docs/architecture.md, "Budgets"): the built renderer in
// Chromium through browser mode, with 50 sessions to the playground's ticker opened one
// after another and receiving at once. The renderer holds one budget for all its tabs,
// so its heap stays bounded however many tabs are open: the page's heap (after a
// garbage collection) is printed next to that budget. Measured, never asserted.
// Part of `npm run bench`; alone: `node --import tsx bench/tabs.ts`.
// Environment: BENCH_TABS_SESSIONS (50), BENCH_TABS_RATE (messages/s per session, 200),
// BENCH_TABS_SECONDS (60), BENCH_UI_RENDERER (a built renderer folder, default out/renderer).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { CHROMIUM, runPage, type ProbeReport } from './ui-chromium.js'

/**
 * The page's heap with the tabs open and receiving, above the idle page: this much for
 * the tabs in the background (their shared pool of frames, counters and rate series)…
 */
export const BACKGROUND_HEAP_BUDGET_BYTES = 24 * 1024 * 1024
/** …plus this much per frame the tab in view holds (its own cap is the UI bench's). */
export const HEAP_PER_ACTIVE_FRAME_BYTES = 128

const budgetFor = (activeHeld: number) => BACKGROUND_HEAP_BUDGET_BYTES + activeHeld * HEAP_PER_ACTIVE_FRAME_BYTES

const setting = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`)
  return value
}

export async function runTabsBench(): Promise<void> {
  const options = { sessions: setting('BENCH_TABS_SESSIONS', 50), rate: setting('BENCH_TABS_RATE', 200), seconds: setting('BENCH_TABS_SECONDS', 60) }
  const rendererDir = process.env.BENCH_UI_RENDERER ?? fileURLToPath(new URL('../out/renderer/', import.meta.url))
  console.log(`Many tabs in Chromium through browser mode: ${options.sessions} sessions at ${options.rate.toLocaleString('en-US')} messages/s each for ${options.seconds} s\n`)
  if (!existsSync(rendererDir)) return console.log(`  skipped: no built renderer in ${rendererDir} (run "npm run build", or set BENCH_UI_RENDERER)\n`)
  if (!existsSync(CHROMIUM)) return console.log(`  skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)\n`)

  const server = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./ui-server.ts', import.meta.url)), rendererDir], { stdio: ['pipe', 'pipe', 'inherit'] })
  try {
    const pageUrl = await new Promise<string>((resolve, reject) => {
      server.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)))
      server.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()))
    })
    const hash = `#bench-tabs&sessions=${options.sessions}&rate=${options.rate}&seconds=${options.seconds}`
    const reports = await runPage(pageUrl + hash, (options.seconds + 180) * 1000, (report) => {
      if (report.type === 'tabs-progress') console.log(`  … ${report.seconds} s: ${Number(report.held).toLocaleString('en-US')} frames held across the tabs`)
    })
    printTabsReport(reports)
    console.log()
  } finally {
    server.stdin!.end()
  }
}

const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
const count = (n: unknown) => Number(n).toLocaleString('en-US')

export function printTabsReport(reports: ProbeReport[]): void {
  const find = (type: string) => reports.find((r) => r.type === type)
  const error = find('error')
  if (error) return console.log(`  failed: ${String(error.message)}`)
  const baseline = find('tabs-baseline')
  const loaded = find('tabs-loaded')
  const switched = find('tabs-switched')
  if (!baseline || !loaded || !switched) return console.log('  failed: the page did not report every phase')
  const idle = Number(baseline.heapBytes)
  const row = (label: string, report: ProbeReport) => {
    const above = Number(report.heapBytes) - idle
    const budget = budgetFor(Number(report.activeHeld))
    console.log(`  ${label.padEnd(28)}heap ${MB(Number(report.heapBytes)).padStart(9)}, +${MB(above)} over idle   (budget +${MB(budget)})  ${above <= budget ? 'ok' : 'MISS'}   ${count(report.frames)} frames held of ${count(report.received)} received`)
  }
  console.log(`  ${'idle page'.padEnd(28)}heap ${MB(idle).padStart(9)}`)
  row(`${count(loaded.sessions)} tabs receiving`, loaded)
  row('after looking through each', switched)
  console.log(`  budget: +${MB(BACKGROUND_HEAP_BUDGET_BYTES)} for the background tabs, +${HEAP_PER_ACTIVE_FRAME_BYTES} B for each frame the tab in view holds (${count(loaded.activeHeld)} here; its own cap is 1,000,000)`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runTabsBench()
