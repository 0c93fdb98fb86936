// What the timeline and the status line know about a session over time: messages and
// bytes per second (from the engine's cumulative counters, which count every message,
// also those skipped from display), the moments it reconnected, closed or failed, and
// the stretches when it was not open. Fed once per applied batch; plain objects, never
// reactive, bounded however long the session runs.
import type { Frame, FrameBatch, SessionStats } from '@contract'
import { framePreview } from '../format/frame-format'
import { COUNTERS, TieredBuckets, type Counts, type TierSpec } from './rate-buckets'

export type MarkerKind = 'reconnect' | 'close' | 'error'
export const MARKER_KINDS: readonly MarkerKind[] = ['reconnect', 'close', 'error']

export interface TimelineMarker {
  time: number
  seq: number
  kind: MarkerKind
  /** The frame's one-line summary, for the tooltip. */
  text: string
}

export interface TimelineGap {
  start: number
  /** Undefined while the gap lasts. */
  end?: number
  /** not-open: connecting, reconnecting or closed; no-data: before this window saw the session. */
  reason: 'not-open' | 'no-data'
}

/** Oldest markers go first past this (a reconnect storm over days). */
const MARKER_CAP = 5_000
/** Past this, the two gaps closest together merge (invisible at that zoom anyway). */
const GAP_CAP = 1_000
const MARKER_TEXT_MAX = 160

type MarkerFrame = Extract<Frame, { kind: MarkerKind }>
const isMarkerFrame = (frame: Frame): frame is MarkerFrame => frame.kind === 'reconnect' || frame.kind === 'close' || frame.kind === 'error'

export class RateSeries {
  readonly buckets: TieredBuckets
  readonly markers: TimelineMarker[] = []
  readonly gaps: TimelineGap[] = []
  droppedMarkers = 0
  private last?: SessionStats
  private openGap?: TimelineGap

  constructor(
    readonly startedAt: number,
    tiers?: readonly TierSpec[],
  ) {
    this.buckets = new TieredBuckets(tiers)
  }

  /**
   * One batch: the growth of the counters since the previous one lands in the second
   * of the batch's last frame. `previous` is what the counters were before it — zero
   * for a session opened here; for one picked up after a reload, the time before is
   * unknown and shown as such.
   */
  record(batch: FrameBatch, previous: SessionStats, receivedAt: number): void {
    const time = batch.frames.at(-1)?.time ?? receivedAt
    if (!this.last) this.begin(previous, receivedAt)
    const delta = {} as Counts
    let grew = false
    for (const c of COUNTERS) {
      // Counters only grow; a smaller value means a new baseline, not negative traffic.
      delta[c] = Math.max(0, batch.stats[c] - this.last![c])
      grew ||= delta[c] > 0
    }
    this.last = batch.stats
    if (grew) this.buckets.add(time, delta)
    else this.buckets.advanceTo(time)

    for (const frame of batch.frames) {
      if (frame.kind === 'open') this.endGap(frame.time)
      else if (frame.kind === 'close') this.startGap(frame.time)
      if (isMarkerFrame(frame)) this.addMarker(frame)
    }
    // The state after the batch settles what frames alone cannot (a refused connect has no open nor close).
    if (batch.state === 'open') this.endGap(time)
    else this.startGap(time)
  }

  /** Messages and bytes per second over the last `seconds` whole seconds before `now`. */
  recentRate(now: number, seconds = 3): Counts {
    const to = Math.floor(now / 1000) * 1000
    const span = Math.min(seconds * 1000, to - Math.floor(this.startedAt / 1000) * 1000)
    const rate: Counts = { messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 }
    if (span <= 0) return rate
    const sum = this.buckets.sumRecent(to - span, to)
    for (const c of COUNTERS) rate[c] = (sum[c] * 1000) / span
    return rate
  }

  private begin(previous: SessionStats, receivedAt: number): void {
    this.last = previous
    // A session that has counted nothing yet starts with connecting (its first frames
    // come in this batch); one picked up mid-way, after a reload, has an unknown past.
    const fresh = previous.reconnects === 0 && COUNTERS.every((c) => previous[c] === 0)
    if (fresh) {
      this.buckets.advanceTo(this.startedAt) // the chart's series starts with the session
      this.startGap(this.startedAt)
    }
    else if (receivedAt > this.startedAt) this.gaps.push({ start: this.startedAt, end: receivedAt, reason: 'no-data' })
  }

  private startGap(time: number): void {
    if (this.openGap) return
    this.openGap = { start: time, reason: 'not-open' }
    this.gaps.push(this.openGap)
    if (this.gaps.length > GAP_CAP) mergeClosestGaps(this.gaps)
  }

  private endGap(time: number): void {
    if (!this.openGap) return
    this.openGap.end = Math.max(this.openGap.start, time)
    this.openGap = undefined
  }

  private addMarker(frame: MarkerFrame): void {
    const text = framePreview(frame)
    this.markers.push({
      time: frame.time,
      seq: frame.seq,
      kind: frame.kind,
      text: text.length > MARKER_TEXT_MAX ? text.slice(0, MARKER_TEXT_MAX) + '…' : text,
    })
    if (this.markers.length > MARKER_CAP) {
      const excess = this.markers.length - MARKER_CAP
      this.markers.splice(0, excess)
      this.droppedMarkers += excess
    }
  }
}

function mergeClosestGaps(gaps: TimelineGap[]): void {
  // The last gap may still be open; merge among the closed ones.
  let best = -1
  let bestDistance = Infinity
  for (let i = 0; i + 2 < gaps.length; i++) {
    const distance = gaps[i + 1]!.start - (gaps[i]!.end ?? gaps[i]!.start)
    if (distance < bestDistance) {
      bestDistance = distance
      best = i
    }
  }
  if (best < 0) return
  const [first, second] = [gaps[best]!, gaps[best + 1]!]
  gaps.splice(best, 2, { start: first.start, end: second.end ?? second.start, reason: first.reason === second.reason ? first.reason : 'not-open' })
}

/** One series per session, owned by the sessions store. */
export class RateRegistry {
  private readonly series = new Map<string, RateSeries>()

  get(sessionId: string): RateSeries | undefined {
    return this.series.get(sessionId)
  }

  record(batch: FrameBatch, previous: SessionStats, startedAt: number, receivedAt = Date.now()): void {
    let series = this.series.get(batch.sessionId)
    if (!series) this.series.set(batch.sessionId, (series = new RateSeries(startedAt)))
    series.record(batch, previous, receivedAt)
  }

  forget(sessionId: string): void {
    this.series.delete(sessionId)
  }
}
