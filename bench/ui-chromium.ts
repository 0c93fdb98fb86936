// Runs the page in Chromium with nothing attached: no DevTools protocol session (it
// slows the page's network handling a lot), only flags. The page's probe prints its
// figures as console messages, which Chromium writes to stderr with --enable-logging.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const REPORT_LINE = /"RTI_BENCH (.*)", source: /
const PAGE_ERROR = /:CONSOLE[^\]]*\] "(Uncaught .*)", source: /

export interface ProbeReport {
  type: string
  [figure: string]: unknown
}

/**
 * Opens `url` and hands every probe report to `onReport` until one of type 'done' or
 * 'error' arrives, Chromium exits, or `timeoutMs` passes. Returns the reports.
 */
export async function runPage(url: string, timeoutMs: number, onReport: (report: ProbeReport) => void): Promise<ProbeReport[]> {
  const profile = await mkdtemp(join(tmpdir(), 'rti-ui-bench-profile-'))
  const chromium = spawn(CHROMIUM, [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-precise-memory-info',
    // gc() lets the probe read the heap without garbage; it is called only between phases.
    '--js-flags=--expose-gc',
    '--enable-logging=stderr',
    '--v=0',
    '--window-size=1280,800',
    `--user-data-dir=${profile}`,
    url,
  ], { stdio: ['ignore', 'ignore', 'pipe'] })
  const reports: ProbeReport[] = []
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the page did not finish within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs)
      const settle = (error?: Error) => {
        clearTimeout(timer)
        if (error) reject(error)
        else resolve()
      }
      chromium.once('error', settle)
      chromium.once('exit', (code) => settle(new Error(`Chromium exited (${code}) before the probe finished`)))
      createInterface({ input: chromium.stderr! }).on('line', (line) => {
        const uncaught = PAGE_ERROR.exec(line)
        if (uncaught) return settle(new Error(`the page threw: ${uncaught[1]}`))
        const match = REPORT_LINE.exec(line)
        if (!match) return
        const report = JSON.parse(match[1]!) as ProbeReport
        reports.push(report)
        onReport(report)
        if (report.type === 'done' || report.type === 'error') settle()
      })
    })
  } finally {
    chromium.kill('SIGTERM')
    await new Promise((resolve) => (chromium.exitCode !== null ? resolve(undefined) : chromium.once('exit', resolve)))
    await rm(profile, { recursive: true, force: true })
  }
  return reports
}
