// `rti probe` for people: the report as text (findings with evidence and remedy, the
// checks, the technique matrix as a table) and the progress lines while it runs.
import type { Finding, ProbeCheck, ProbeReport, TechniqueMatrixRow } from '../contract/index.js'
import { oneLine } from './errors.js'

const SEVERITY_MARK: Record<Finding['severity'], string> = { error: '✕', warning: '⚠', info: 'ℹ' }
const CHECK_MARK: Record<ProbeCheck['state'], string> = { pending: '·', running: '…', done: '✓', skipped: '–', failed: '✕' }

const ms = (value: number | undefined) => (value === undefined ? '—' : value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`)
/** Text from a server or a proxy may hold control characters: never on the terminal. */
const clean = (text: string) => oneLine(text)

export function formatReport(report: ProbeReport): string {
  const out: string[] = []
  const took = report.endedAt !== undefined ? ms(report.endedAt - report.startedAt) : 'still running'
  const state = report.state === 'done' ? '' : ` (${report.state})`
  out.push(`Probe of ${clean(report.url)} (${report.technique})${state} — ${took}`)
  out.push(report.playgroundUrl ? `Playground: ${clean(report.playgroundUrl)}, reached through the same path` : 'Playground: none found (checks that need one were skipped)')
  if (report.error) out.push(`Error: ${clean(report.error)}`)
  out.push('')
  out.push('Findings')
  if (report.findings.length === 0) out.push('  none')
  for (const finding of report.findings) out.push(...formatFinding(finding))
  out.push('')
  out.push('Checks')
  const width = Math.max(...report.checks.map((c) => c.id.length))
  for (const check of report.checks) out.push(`  ${CHECK_MARK[check.state]} ${check.id.padEnd(width)}  ${check.state === 'done' ? '' : `${check.state}: `}${clean(check.detail ?? '')}`.trimEnd())
  out.push('')
  out.push('Technique matrix')
  out.push(...formatMatrix(report.matrix))
  return out.join('\n') + '\n'
}

function formatFinding(finding: Finding): string[] {
  const lines = [`  ${SEVERITY_MARK[finding.severity]} ${finding.id} (${finding.severity}${finding.confidence ? `, ${finding.confidence}` : ''}): ${clean(finding.summary)}`]
  const facts = [finding.measuredMs !== undefined ? `measured ${ms(finding.measuredMs)}` : '', finding.intermediary ? `hop: ${clean(finding.intermediary)}` : ''].filter(Boolean)
  if (facts.length) lines.push(`      ${facts.join('; ')}`)
  for (const item of finding.evidence) lines.push(`      - ${clean(item)}`)
  for (const known of finding.knownDefaults ?? []) lines.push(`      matches: ${clean(known)}`)
  lines.push(`      remedy: ${clean(finding.remedy)}`)
  return lines
}

export function formatMatrix(rows: TechniqueMatrixRow[]): string[] {
  if (rows.length === 0) return ['  (not run)']
  const table = [['technique', 'verdict', 'status', 'first byte', 'lag', 'cut after', 'note'], ...rows.map((r) => [r.technique, r.verdict, r.status !== undefined ? String(r.status) : '—', ms(r.firstByteMs), ms(r.lagMs), r.cutAfterMs !== undefined ? ms(r.cutAfterMs) : '—', clean(r.note)])]
  const widths = table[0]!.map((_, col) => Math.max(...table.map((row) => row[col]!.length)))
  return table.map((row) => `  ${row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ')}`.trimEnd())
}

/** One progress line per check, as the live display shows it. */
export function progressLine(check: ProbeCheck, columns = 100): string {
  const line = `${CHECK_MARK[check.state]} ${check.id}: ${check.state}${check.detail ? ` — ${clean(check.detail)}` : ''}`
  return line.length > columns - 1 ? `${line.slice(0, columns - 2)}…` : line
}

/** Exit code from what was found: any warning or error is worth a non-zero. */
export function hasProblems(report: ProbeReport): boolean {
  return report.findings.some((f) => f.severity === 'warning' || f.severity === 'error')
}
