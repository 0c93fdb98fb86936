// `rti probe <url>`: the active probe of issue #6 from the command line. The report
// on stdout (text, or one JSON object with --json), progress on stderr while it
// runs; Ctrl+C stops it and prints what it has.
import type { ProbeReport } from '../contract/index.js'
import { buildSpec } from './connect-spec.js'
import { printError, printWarning, usageError } from './errors.js'
import { PROBE_EXIT, type ProbeFlags } from './probe-options.js'
import { formatReport, hasProblems, progressLine } from './probe-report.js'

export async function runProbe(url: string, flags: ProbeFlags): Promise<number> {
  const { spec, warnings } = buildSpec(url, { ...flags, chunks: true, compare: true, conditional: true, diagnostics: true })
  for (const warning of warnings) printWarning(warning)
  if (flags.playground !== undefined) checkPlaygroundUrl(flags.playground)
  // Loaded only now: a usage error should not wait for every technique to load.
  const { ConnectionSpecSchema } = await import('../contract/index.js')
  const { startProbeRun } = await import('../probe/probe-run.js')
  const run = startProbeRun({
    id: 'cli',
    spec: ConnectionSpecSchema.parse(spec),
    ...(flags.maxTime !== undefined ? { maxTimeMs: Math.round(flags.maxTime * 1000) } : {}),
    ...(flags.playground !== undefined ? { playgroundUrl: flags.playground } : {}),
  })
  const progress = startProgress(() => run.report(), flags.json === true)
  let interrupts = 0
  const onSignal = () => {
    if (++interrupts > 1) process.exit(PROBE_EXIT.INTERRUPTED)
    if (process.stderr.isTTY) process.stderr.write('\nrti: stopping the probe… (press Ctrl+C again to quit at once)\n')
    run.cancel()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const report = await run.finished
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  progress.stop(report)
  // A probe that could not start has nothing to show but why (with --json, scripts still get the object).
  if (flags.json) process.stdout.write(`${JSON.stringify(report)}\n`)
  else if (report.state !== 'failed') process.stdout.write(formatReport(report))
  if (report.state === 'failed') {
    printError(`cannot probe ${url}: ${report.error ?? 'the probe failed'}`)
    return PROBE_EXIT.UNREACHABLE
  }
  return hasProblems(report) ? PROBE_EXIT.FINDINGS : PROBE_EXIT.CLEAN
}

function checkPlaygroundUrl(text: string): void {
  let parsed: URL
  try {
    parsed = new URL(text)
  } catch {
    throw usageError(`--playground ${JSON.stringify(text.slice(0, 200))} is not a valid URL (e.g. http://127.0.0.1:PORT)`)
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) throw usageError(`--playground needs an http:// or https:// URL, not ${parsed.protocol}//`)
}

/**
 * On a terminal, a block of one line per check rewritten in place; otherwise a plain
 * line whenever a check ends. With --json only on a terminal (a script
 * reading stdout does not want stderr chatter either).
 */
function startProgress(report: () => ProbeReport, json: boolean): { stop(final: ProbeReport): void } {
  const stderr = process.stderr
  const tty = stderr.isTTY === true
  if (json && !tty) return { stop: () => {} }
  const seen = new Map<string, string>()
  let drawn = 0
  const draw = () => {
    const current = report()
    if (tty) {
      const columns = stderr.columns || 100
      const lines = current.checks.map((check) => progressLine(check, columns))
      stderr.write(`${drawn > 0 ? `\u001b[${drawn}F` : ''}${lines.map((line) => `\u001b[2K${line}`).join('\n')}\n`)
      drawn = lines.length
      return
    }
    // A line per check as it ends: a log a script or CI can read.
    for (const check of current.checks) {
      if (check.state === 'pending' || check.state === 'running' || seen.get(check.id) === check.state) continue
      seen.set(check.id, check.state)
      stderr.write(`probe: ${progressLine(check, 400)}\n`)
    }
  }
  draw()
  const timer = setInterval(draw, tty ? 250 : 500)
  return {
    stop(final) {
      clearInterval(timer)
      if (!tty) {
        // A probe that could not start says why in one line; its skipped checks add nothing.
        if (final.state !== 'failed') for (const check of final.checks) if (seen.get(check.id) !== check.state && check.state !== 'pending') stderr.write(`probe: ${progressLine(check, 400)}\n`)
        return
      }
      // The report follows on stdout: clear the live block so the two do not mix.
      if (drawn > 0) stderr.write(`\u001b[${drawn}F\u001b[0J`)
    },
  }
}
