// The findings' moments (cuts, bursts: a finding's `times`) as marks on the timeline,
// in plot pixels; marks that would overlap share one. Plain functions, like
// timeline-layout.ts, so they are testable without a canvas.
import type { Finding, Severity } from '@contract'
import { formatTime } from '../format/frame-format'
import { timeToX, type TimeRange } from './timeline-layout'

export interface FindingMark {
  x: number
  /** The earliest moment in the mark: what a click shows in the frame list. */
  time: number
  /** The most serious severity among the merged moments. */
  severity: Severity
  count: number
  /** Tooltip and accessible name: which findings, and when. */
  label: string
}

/** Marks closer than this many pixels become one. */
const SPACING_PX = 6
const MAX_LINES = 4
const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 }

interface Moment {
  time: number
  finding: Pick<Finding, 'id' | 'severity' | 'summary'>
}

export function layoutFindingMarks(findings: readonly Pick<Finding, 'id' | 'severity' | 'summary' | 'times'>[] | undefined, range: TimeRange, width: number): FindingMark[] {
  const moments: Moment[] = []
  for (const finding of findings ?? []) {
    for (const time of finding.times ?? []) if (time >= range.start && time <= range.end) moments.push({ time, finding })
  }
  moments.sort((a, b) => a.time - b.time)
  const marks: FindingMark[] = []
  let group: Moment[] = []
  let groupX = 0
  const flush = () => {
    if (group.length === 0) return
    const severity = group.reduce<Severity>((s, m) => (RANK[m.finding.severity] > RANK[s] ? m.finding.severity : s), group[0]!.finding.severity)
    marks.push({ x: groupX, time: group[0]!.time, severity, count: group.length, label: markLabel(group) })
    group = []
  }
  for (const moment of moments) {
    const x = timeToX(moment.time, range, width)
    if (group.length > 0 && x - groupX >= SPACING_PX) flush()
    if (group.length === 0) groupX = x
    group.push(moment)
  }
  flush()
  return marks
}

function markLabel(group: readonly Moment[]): string {
  const line = (m: Moment) => `${m.finding.id} at ${formatTime(m.time)} — ${m.finding.summary}`
  if (group.length === 1) return `Finding: ${line(group[0]!)}`
  const lines = group.slice(0, MAX_LINES).map(line)
  if (group.length > MAX_LINES) lines.push(`… and ${group.length - MAX_LINES} more`)
  return `${group.length} finding moments from ${formatTime(group[0]!.time)} to ${formatTime(group.at(-1)!.time)}\n${lines.join('\n')}`
}
