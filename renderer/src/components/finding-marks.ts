// The findings' moments (cuts, bursts: a finding's `times`) as marks on the timeline,
// in plot pixels; marks that would overlap share one, merged as the frame markers
// are (timeline-layout.ts). Plain functions, so they are testable without a canvas.
import type { Finding, Severity } from '@contract'
import { formatTime } from '../format/frame-format'
import { groupByPixels, groupLabel, mostSerious, type TimeRange } from './timeline-layout'

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
  return groupByPixels(moments, range, width).map(({ x, items }) => {
    const severity = mostSerious(items.map((m) => m.finding.severity), RANK)
    return { x, time: items[0]!.time, severity, count: items.length, label: markLabel(items) }
  })
}

function markLabel(group: readonly Moment[]): string {
  const line = (m: Moment) => `${m.finding.id} at ${formatTime(m.time)} — ${m.finding.summary}`
  if (group.length === 1) return `Finding: ${line(group[0]!)}`
  return groupLabel(group, `${group.length} finding moments`, line)
}
