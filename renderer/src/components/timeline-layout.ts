// Where things go on the timeline, as plain functions of the series and the plot's
// width: time ↔ pixels, markers (merged when they would overlap), shaded gaps, the
// values under the pointer. The chart component only wires these to the DOM and to
// uPlot, so all of this is testable without a canvas.
import { formatBytes, formatCount, formatDuration, formatTime } from '../format/frame-format'
import type { RateColumns } from '../stores/rate-buckets'
import type { MarkerKind, TimelineGap, TimelineMarker } from '../stores/rate-series'

export interface TimeRange {
  start: number
  end: number
}

/** The first seconds of a session still get a readable axis instead of a zoom into milliseconds. */
/** A session still growing spans at least this, so its first seconds stay readable without rescaling each second. */
const MIN_SPAN_MS = 30_000
/** An ended session or a recording spans what it holds, however short. */
const MIN_ENDED_SPAN_MS = 1_000
/** Markers closer than this many pixels become one. */
const MARKER_SPACING_PX = 6

/** The whole session: from its start to its end, or to now while it lives (`growing`). */
export function sessionRange(session: { startedAt: number; endedAt?: number }, now: number, growing = session.endedAt === undefined): TimeRange {
  const end = Math.max(session.endedAt ?? now, session.startedAt)
  return { start: session.startedAt, end: Math.max(end, session.startedAt + (growing ? MIN_SPAN_MS : MIN_ENDED_SPAN_MS)) }
}

export const timeToX = (time: number, range: TimeRange, width: number): number =>
  ((time - range.start) / (range.end - range.start)) * width

export function xToTime(x: number, range: TimeRange, width: number): number {
  const clamped = Math.min(Math.max(x, 0), width)
  return range.start + (width > 0 ? (clamped / width) * (range.end - range.start) : 0)
}

export interface MarkerPin {
  x: number
  /** The earliest marker in the pin: what a click reveals. */
  time: number
  seq: number
  /** The most serious kind among the merged markers (error over close over reconnect). */
  kind: MarkerKind
  count: number
  /** Tooltip and accessible name. */
  label: string
}

const SEVERITY: Record<MarkerKind, number> = { reconnect: 0, close: 1, error: 2 }
const MAX_LINES = 4

/** Markers as pins in plot pixels; ones that would overlap share a pin. */
export function layoutMarkers(markers: readonly TimelineMarker[], range: TimeRange, width: number): MarkerPin[] {
  const inRange = markers.filter((m) => m.time >= range.start && m.time <= range.end)
  return groupByPixels(inRange, range, width).map(({ x, items }) => {
    const first = items[0]!
    const kind = mostSerious(items.map((m) => m.kind), SEVERITY)
    return { x, time: first.time, seq: first.seq, kind, count: items.length, label: markerLabel(items) }
  })
}

function markerLabel(group: readonly TimelineMarker[]): string {
  const line = (m: TimelineMarker) => `${m.kind} at ${formatTime(m.time)} — ${m.text}`
  if (group.length === 1) return line(group[0]!)
  const counts = new Map<MarkerKind, number>()
  for (const m of group) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1)
  const summary = [...counts].map(([kind, n]) => `${n} ${kind}${n > 1 ? 's' : ''}`).join(', ')
  return groupLabel(group, summary, line)
}

/**
 * Things on the timeline (in time order) as groups in plot pixels: one that would
 * stand closer than MARKER_SPACING_PX to its group's first joins the group, drawn at
 * that first one's x. Shared by the frame markers and the findings' marks, so the
 * two merge alike.
 */
export function groupByPixels<T extends { time: number }>(items: readonly T[], range: TimeRange, width: number): { x: number; items: T[] }[] {
  const groups: { x: number; items: T[] }[] = []
  for (const item of items) {
    const x = timeToX(item.time, range, width)
    const last = groups.at(-1)
    if (last && x - last.x < MARKER_SPACING_PX) last.items.push(item)
    else groups.push({ x, items: [item] })
  }
  return groups
}

/** The most serious of `values` by `rank`; the first among equals. */
export function mostSerious<K extends string>(values: readonly K[], rank: Record<K, number>): K {
  return values.reduce((worst, v) => (rank[v] > rank[worst] ? v : worst))
}

/** A merged group's tooltip: what it holds from when to when, then its first few lines. */
export function groupLabel<T extends { time: number }>(group: readonly T[], heading: string, line: (item: T) => string): string {
  const lines = group.slice(0, MAX_LINES).map(line)
  if (group.length > MAX_LINES) lines.push(`… and ${group.length - MAX_LINES} more`)
  return `${heading} from ${formatTime(group[0]!.time)} to ${formatTime(group.at(-1)!.time)}\n${lines.join('\n')}`
}

export interface GapBox {
  left: number
  width: number
  reason: TimelineGap['reason']
  label: string
}

/**
 * Gaps as shaded boxes in plot pixels, at least one pixel wide, touching ones merged.
 * A gap still going on lasts until `sessionEnd` (now, or when the session ended):
 * the axis may reach further, but there is nothing to say about that time.
 */
export function layoutGaps(gaps: readonly TimelineGap[], range: TimeRange, width: number, sessionEnd: number): GapBox[] {
  const boxes: GapBox[] = []
  for (const gap of gaps) {
    const start = Math.max(gap.start, range.start)
    const end = Math.min(gap.end ?? Math.max(sessionEnd, gap.start), range.end)
    if (end <= start && gap.end !== undefined) continue
    const left = timeToX(start, range, width)
    const right = Math.max(timeToX(end, range, width), left + 1)
    const previous = boxes.at(-1)
    if (previous && previous.reason === gap.reason && left <= previous.left + previous.width + 1) {
      previous.width = Math.max(previous.width, right - previous.left)
      continue
    }
    boxes.push({ left, width: right - left, reason: gap.reason, label: gapLabel(gap, end) })
  }
  return boxes
}

function gapLabel(gap: TimelineGap, end: number): string {
  if (gap.reason === 'no-data') return `No rates before ${formatTime(end)}: this window picked the session up then`
  const lasting = gap.end === undefined ? 'since' : 'from'
  const until = gap.end === undefined ? '' : ` to ${formatTime(gap.end)}`
  return `Not open ${lasting} ${formatTime(gap.start)}${until} (${formatDuration(end - gap.start)})`
}

export interface HoverValues {
  /** Start of the bucket under the pointer. */
  time: number
  widthMs: number
  messagesIn: number
  messagesOut: number
  bytesPerSecond: number
}

/** The bucket under a time, or undefined where the series has none (before it, or after it). */
export function valuesAt(columns: RateColumns, time: number): HoverValues | undefined {
  const { time: starts, width } = columns
  let lo = 0
  let hi = starts.length - 1
  if (hi < 0 || time < starts[0]! || time >= starts[hi]! + width[hi]!) return undefined
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= time) lo = mid
    else hi = mid - 1
  }
  const r = columns.rates
  return { time: starts[lo]!, widthMs: width[lo]!, messagesIn: r.messagesIn[lo]!, messagesOut: r.messagesOut[lo]!, bytesPerSecond: r.bytesIn[lo]! + r.bytesOut[lo]! }
}

/**
 * Aligned arrays for uPlot: time, bytes/s (in + out), messages/s in, messages/s out.
 * While the session lives its newest bucket is still filling: it is left out, or the
 * lines would always end in a dive toward zero.
 */
export function plotData(columns: RateColumns, lastBucketFilling = false): [number[], number[], number[], number[]] {
  const r = columns.rates
  const n = lastBucketFilling ? Math.max(0, columns.time.length - 1) : columns.time.length
  const bytes = r.bytesIn.slice(0, n).map((v, i) => v + r.bytesOut[i]!)
  return [columns.time.slice(0, n), bytes, r.messagesIn.slice(0, n), r.messagesOut.slice(0, n)]
}

/** A rate as people read it: whole numbers with separators, one decimal below 10 when it has one. */
export function formatRate(perSecond: number): string {
  if (perSecond > 0 && perSecond < 10 && !Number.isInteger(perSecond)) return perSecond.toFixed(1)
  return formatCount(Math.round(perSecond))
}

export const formatByteRate = (perSecond: number): string => `${formatBytes(Math.round(perSecond))}/s`

/** Axis ticks: 950, 1.2k, 15k, 3.4M. */
export function formatCompact(n: number): string {
  const abs = Math.abs(n)
  if (abs >= 1e9) return `${trim(n / 1e9)}G`
  if (abs >= 1e6) return `${trim(n / 1e6)}M`
  if (abs >= 1e3) return `${trim(n / 1e3)}k`
  return trim(n)
}

/** Time ticks on one line, as precise as the spacing between them needs. */
/**
 * Time ticks on whole seconds and up: the chart counts in 1 s buckets, so a tick every
 * 200 ms said nothing and labelled the same second five times.
 */
export const TIME_INCREMENTS: readonly number[] = [
  ...[1, 2, 5, 10, 15, 30].map((s) => s * 1000),
  ...[1, 2, 5, 10, 15, 30].map((m) => m * 60_000),
  ...[1, 2, 3, 6, 12].map((h) => h * 3_600_000),
  ...[1, 2, 7, 14, 30].map((d) => d * 86_400_000),
]

export function formatAxisTime(ms: number, incrementMs: number): string {
  const d = new Date(ms)
  const hhmm = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`
  if (incrementMs < 60_000) return `${hhmm}:${pad2(d.getSeconds())}`
  if (incrementMs < 86_400_000) return hhmm
  return `${d.toLocaleString('en-US', { month: 'short' })} ${d.getDate()}`
}
const pad2 = (n: number) => String(n).padStart(2, '0')

/** Byte ticks fall on round binary numbers (5 KB, 10 KB), not on 9.8 KB. */
export const BYTE_INCREMENTS: readonly number[] = [0, 1, 2, 3, 4].flatMap((power) => [1, 2, 5, 10, 20, 50, 100, 200, 500].map((m) => m * 1024 ** power))

/** Axis ticks for bytes: 0, 512 B, 1.5 KB, 20 MB. */
export function formatCompactBytes(n: number): string {
  return n === 0 ? '0' : formatBytes(Math.round(n))
}

/** Message ticks on whole numbers: 1, 2, 5, 10, 20, 50… (never 0.5 msg/s on an idle chart). */
export const MESSAGE_INCREMENTS: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8].flatMap((power) => [1, 2, 5].map((m) => m * 10 ** power))

const trim = (n: number) => (Number.isInteger(n) ? String(n) : n < 10 ? n.toFixed(1).replace(/\.0$/, '') : String(Math.round(n)))
