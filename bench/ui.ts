// The UI benchmark (issue #4, docs/architecture.md ("Budgets")): the built renderer in Chromium through
// browser mode, the real engine and playground behind it. The page's own probe
// (renderer/src/bench/probe.ts) fills the session to 1,000,000 held frames, then
// takes 10,000 frames/s and scrolls through everything, measuring as it goes.
// Part of `npm run bench`; alone: `node --import tsx bench/ui.ts`.
// Environment: BENCH_UI_SECONDS (load, default 60), BENCH_UI_FRAMES (held, 1000000),
// BENCH_UI_RATE (10000), BENCH_UI_SCROLL_SECONDS (10), BENCH_UI_FILL_RATE (50000),
// BENCH_UI_RENDERER (a built renderer folder, default out/renderer: `npm run build`).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { loadavg } from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { CHROMIUM, runPage, type ProbeReport } from './ui-chromium.js'
import { printUiReport } from './ui-report.js'

const setting = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`)
  return value
}

export async function runUiBench(): Promise<void> {
  const options = {
    cap: setting('BENCH_UI_FRAMES', 1_000_000),
    rate: setting('BENCH_UI_RATE', 10_000),
    seconds: setting('BENCH_UI_SECONDS', 60),
    scrollSeconds: setting('BENCH_UI_SCROLL_SECONDS', 10),
    fillRate: setting('BENCH_UI_FILL_RATE', 50_000),
  }
  const rendererDir = process.env.BENCH_UI_RENDERER ?? fileURLToPath(new URL('../out/renderer/', import.meta.url))
  console.log(`UI in Chromium through browser mode: ${options.rate.toLocaleString('en-US')} frames/s for ${options.seconds} s with ${options.cap.toLocaleString('en-US')} frames held (no DevTools attached)\n`)
  if (!existsSync(rendererDir)) return console.log(`  skipped: no built renderer in ${rendererDir} (run "npm run build", or set BENCH_UI_RENDERER)\n`)
  if (!existsSync(CHROMIUM)) return console.log(`  skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)\n`)

  const server = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./ui-server.ts', import.meta.url)), rendererDir], { stdio: ['pipe', 'pipe', 'inherit'] })
  try {
    const pageUrl = await new Promise<string>((resolve, reject) => {
      server.once('exit', (code) => reject(new Error(`the UI bench server exited (${code})`)))
      server.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()))
    })
    const hash = `#bench&cap=${options.cap}&rate=${options.rate}&seconds=${options.seconds}&scrollSeconds=${options.scrollSeconds}&fillRate=${options.fillRate}&fillSeconds=600`
    const loadBefore = loadavg()
    const timeoutMs = (600 + options.seconds + options.scrollSeconds + 120) * 1000
    const reports = await runPage(pageUrl + hash, timeoutMs, progress)
    printUiReport(reports, { loadBefore, loadAfter: loadavg() })
    console.log()
  } finally {
    server.stdin!.end()
  }
}

/** Long phases say how far they got, so a developer knows the run is alive. */
function progress(report: ProbeReport): void {
  if (report.type === 'fill-progress') console.log(`  … filling: ${Number(report.held).toLocaleString('en-US')} frames held after ${Math.round(Number(report.seconds))} s`)
  if (report.type === 'load-progress') console.log(`  … load: ${report.seconds} s`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runUiBench()
