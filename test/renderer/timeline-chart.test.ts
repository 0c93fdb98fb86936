import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import type { Frame, FrameBatch, SessionState, SessionStats } from '@contract'
import TimelineChart from '../../renderer/src/components/TimelineChart.vue'
import { BYTE_INCREMENTS, MESSAGE_INCREMENTS, TIME_INCREMENTS, formatAxisTime, formatCompact, layoutGaps, layoutMarkers, plotData, sessionRange, timeToX, valuesAt, xToTime } from '../../renderer/src/components/timeline-layout'
import { RateSeries } from '../../renderer/src/stores/rate-series'
import { useSessionsStore } from '../../renderer/src/stores/sessions'
import { AREA, T0, ZERO, measurePlotBox, timelineSession as session } from './timeline-stand-in'

// happy-dom has no canvas: the uPlot part is replaced by a recorder; everything the
// user points at and clicks is the component's own DOM and runs for real.
const plots = vi.hoisted(() => ({ created: [] as { setData: ReturnType<typeof vi.fn>; setSize: ReturnType<typeof vi.fn>; destroy: ReturnType<typeof vi.fn> }[] }))
vi.mock('../../renderer/src/components/timeline-plot', () => ({
  PLOT_INSETS: { top: 6, right: 56, bottom: 20, left: 42 },
  createTimelinePlot: () => {
    const plot = { setData: vi.fn(), setSize: vi.fn(), destroy: vi.fn() }
    plots.created.push(plot)
    return plot
  },
}))


const open = (seq: number, time: number): Frame => ({ seq, time, direction: 'system', kind: 'open', protocol: '' })
const close = (seq: number, time: number): Frame => ({ seq, time, direction: 'system', kind: 'close', code: 1006, reason: '', wasClean: false, idleMs: 0, bytesIn: 0, bytesOut: 0, cause: 'fin' })
const reconnect = (seq: number, time: number): Frame => ({ seq, time, direction: 'system', kind: 'reconnect', attempt: 2, delayMs: 500 })
const error = (seq: number, time: number): Frame => ({ seq, time, direction: 'system', kind: 'error', code: 'E_CONNECT_REFUSED', message: 'refused' })
const message = (seq: number, time: number): Frame => ({ seq, time, direction: 'in', kind: 'message', data: 'x', size: 1 })

const batch = (frames: Frame[], stats: SessionStats, state: SessionState = 'open'): FrameBatch => ({
  sessionId: 's1',
  frames,
  skipped: 0,
  lastSeq: frames.at(-1)?.seq ?? 0,
  state,
  stats,
})

/** Open at 1 s, 50 messages in second 10, dropped at 20 s, reconnect, open again at 30 s. */
function storySeries(record: (b: FrameBatch, previous: SessionStats) => void): void {
  const s1 = { ...ZERO, frames: 1 }
  record(batch([open(1, T0 + 1_000)], s1), ZERO)
  const s2 = { ...s1, frames: 51, messagesIn: 50, bytesIn: 500 }
  record(batch([message(51, T0 + 10_500)], s2), s1)
  const s3 = { ...s2, frames: 53, reconnects: 1 }
  record(batch([close(52, T0 + 20_000), reconnect(53, T0 + 20_001)], s3, 'reconnecting'), s2)
  const s4 = { ...s3, frames: 54 }
  record(batch([open(54, T0 + 30_000)], s4), s3)
}

describe('timeline layout', () => {
  const range = { start: T0, end: T0 + 100_000 }

  it('maps time to pixels and back, clamped to the plot', () => {
    expect(timeToX(T0 + 25_000, range, AREA)).toBe(250)
    expect(xToTime(250, range, AREA)).toBe(T0 + 25_000)
    expect(xToTime(-40, range, AREA)).toBe(T0)
    expect(xToTime(5_000, range, AREA)).toBe(T0 + 100_000)
  })

  it('spans the whole session, at least half a minute so the first seconds stay readable', () => {
    expect(sessionRange({ startedAt: T0 }, T0 + 5_000)).toEqual({ start: T0, end: T0 + 30_000 })
    expect(sessionRange({ startedAt: T0 }, T0 + 90_000)).toEqual({ start: T0, end: T0 + 90_000 })
    expect(sessionRange({ startedAt: T0, endedAt: T0 + 60_000 }, T0 + 900_000)).toEqual({ start: T0, end: T0 + 60_000 })
  })

  it('spans an ended session or a recording by what it holds, even a short one', () => {
    expect(sessionRange({ startedAt: T0, endedAt: T0 + 2_400 }, T0 + 900_000)).toEqual({ start: T0, end: T0 + 2_400 })
    // A playback: its "now" is the recording's end, and it does not grow.
    expect(sessionRange({ startedAt: T0 }, T0 + 2_400, false)).toEqual({ start: T0, end: T0 + 2_400 })
    expect(sessionRange({ startedAt: T0 }, T0 + 200, false)).toEqual({ start: T0, end: T0 + 1_000 })
  })

  it('puts a pin at each close, error and reconnect, merging those that would overlap', () => {
    const series = new RateSeries(T0)
    storySeries((b, previous) => series.record(b, previous, b.frames.at(-1)!.time))
    series.record(batch([error(55, T0 + 60_000)], { ...ZERO, frames: 55, messagesIn: 50, bytesIn: 500, reconnects: 1 }), { ...ZERO, frames: 54, messagesIn: 50, bytesIn: 500, reconnects: 1 }, T0 + 60_000)

    const pins = layoutMarkers(series.markers, range, AREA)
    // close and reconnect are 1 ms apart: one pin, shown as the first frame, coloured by the worse kind.
    expect(pins.map((p) => [p.x, p.kind, p.count, p.seq])).toEqual([
      [200, 'close', 2, 52],
      [600, 'error', 1, 55],
    ])
    expect(pins[0]!.label).toMatch(/^1 close, 1 reconnect from 12:00:20\.000 to 12:00:20\.001/m)
    expect(pins[0]!.label).toContain('reconnect at 12:00:20.001 — attempt 2 in 500 ms')
    expect(pins[1]!.label).toBe('error at 12:01:00.000 — E_CONNECT_REFUSED refused')
    // Wide enough, the two stay apart.
    expect(layoutMarkers(series.markers, { start: T0 + 19_990, end: T0 + 20_010 }, AREA).map((p) => p.kind)).toEqual(['close', 'reconnect'])
  })

  it('shades the time the session was not open, up to now while it still is not', () => {
    const series = new RateSeries(T0)
    storySeries((b, previous) => series.record(b, previous, b.frames.at(-1)!.time))
    expect(layoutGaps(series.gaps, range, AREA, T0 + 100_000).map((g) => [g.left, g.width, g.reason])).toEqual([
      [0, 10, 'not-open'],
      [200, 100, 'not-open'],
    ])
    series.record(batch([close(56, T0 + 80_000)], { ...ZERO, frames: 56, messagesIn: 50, bytesIn: 500, reconnects: 1 }, 'reconnecting'), { ...ZERO, frames: 55, messagesIn: 50, bytesIn: 500, reconnects: 1 }, T0 + 80_000)
    const ongoing = layoutGaps(series.gaps, range, AREA, T0 + 90_000).at(-1)!
    expect([ongoing.left, ongoing.width]).toEqual([800, 100])
    expect(ongoing.label).toBe('Not open since 12:01:20.000 (0:10)')
    // Once the session has ended, nothing is shaded past its end, however far the axis goes.
    expect(layoutGaps(series.gaps, range, AREA, T0 + 80_000).at(-1)!.width).toBe(1)
  })

  it('labels axes on one line, as precise as the tick spacing needs, with round byte steps', () => {
    const t = new Date(2025, 0, 1, 9, 5, 7).getTime()
    expect(formatAxisTime(t, 5_000)).toBe('09:05:07')
    expect(formatAxisTime(t, 300_000)).toBe('09:05')
    expect(formatAxisTime(t, 86_400_000)).toBe('Jan 1')
    // Never a tick finer than the chart's 1 s buckets: each label names a different second.
    expect(Math.min(...TIME_INCREMENTS)).toBe(1000)
    expect(TIME_INCREMENTS.every((ms, i) => i === 0 || ms > TIME_INCREMENTS[i - 1]!)).toBe(true)
    expect([formatCompact(950), formatCompact(1_200), formatCompact(15_000), formatCompact(3_400_000)]).toEqual(['950', '1.2k', '15k', '3.4M'])
    expect(BYTE_INCREMENTS).toContain(5 * 1024)
    expect(BYTE_INCREMENTS).not.toContain(10_000)
    expect(MESSAGE_INCREMENTS.every(Number.isInteger)).toBe(true)
  })

  it('reads the bucket under the pointer, nothing outside the series', () => {
    const series = new RateSeries(T0)
    storySeries((b, previous) => series.record(b, previous, b.frames.at(-1)!.time))
    const columns = series.buckets.columns()
    expect(valuesAt(columns, T0 + 10_700)).toEqual({ time: T0 + 10_000, widthMs: 1000, messagesIn: 50, messagesOut: 0, bytesPerSecond: 500 })
    expect(valuesAt(columns, T0 + 12_000)?.messagesIn).toBe(0)
    expect(valuesAt(columns, T0 - 1)).toBeUndefined()
    expect(valuesAt(columns, T0 + 31_000)).toBeUndefined()
    const [time, bytes, received, sent] = plotData(columns)
    expect(time[10]).toBe(T0 + 10_000)
    expect([bytes[10], received[10], sent[10]]).toEqual([500, 50, 0])
    // A live session's newest bucket is still filling: not drawn, so lines do not dive at the end.
    const [liveTime, liveBytes] = plotData(columns, true)
    expect(liveTime).toEqual(time.slice(0, -1))
    expect(liveBytes).toHaveLength(time.length - 1)
  })
})

describe('TimelineChart', () => {
  let store: ReturnType<typeof useSessionsStore>

  beforeEach(() => {
    setActivePinia(createPinia())
    store = useSessionsStore()
    plots.created.length = 0
    localStorage.clear()
    measurePlotBox()
  })
  afterEach(() => {
    vi.restoreAllMocks()
    vi.useRealTimers()
  })

  /** Mounted and drawn once (the first layout lands on the next render). */
  async function mountChart(view = session()) {
    storySeries((b, previous) => store.rates.record(b, previous, T0, b.frames.at(-1)!.time))
    const chart = mount(TimelineChart, { props: { session: view }, attachTo: document.body })
    await nextTick()
    return chart
  }

  it('draws the series and places the markers and gaps of the session', async () => {
    const chart = await mountChart()
    const [time, , received] = plots.created[0]!.setData.mock.lastCall![0]
    expect(time[0]).toBe(T0)
    expect(received[10]).toBe(50)
    const pins = chart.findAll('[data-testid="timeline-marker"]')
    expect(pins.map((p) => [p.attributes('data-kind'), p.attributes('style')])).toEqual([['close', 'left: 200px;']])
    expect(pins[0]!.attributes('aria-label')).toContain('close at 12:00:20.000')
    expect(chart.findAll('[data-testid="timeline-gap"]')).toHaveLength(2)
    chart.unmount()
  })

  it('reveals the first frame at or after the moment clicked', async () => {
    const revealTime = vi.spyOn(store, 'revealTime').mockReturnValue(true)
    const chart = await mountChart()
    await chart.get('[data-testid="timeline-overlay"]').trigger('click', { clientX: 250 })
    expect(revealTime).toHaveBeenCalledWith(T0 + 25_000)
    chart.unmount()
  })

  it('reveals a marker’s own frame when its pin is clicked, and tells what happened on hover', async () => {
    const revealTime = vi.spyOn(store, 'revealTime').mockReturnValue(true)
    const revealSeq = vi.spyOn(store, 'revealSeq').mockReturnValue()
    const chart = await mountChart()
    const pin = chart.get('[data-testid="timeline-marker"]')
    await pin.trigger('mouseenter')
    expect(chart.get('[data-testid="timeline-tooltip"]').text()).toContain('close at 12:00:20.000 — 1006')
    await pin.trigger('click')
    expect(revealSeq).toHaveBeenCalledWith(52)
    expect(revealTime).not.toHaveBeenCalled()
    chart.unmount()
  })

  it('shows the values under the pointer', async () => {
    const chart = await mountChart()
    await chart.get('[data-testid="timeline-overlay"]').trigger('mousemove', { clientX: 105 })
    expect(chart.get('[data-testid="hover-time"]').text()).toBe('12:00:10')
    expect(chart.get('[data-testid="hover-in"]').text()).toBe('50')
    expect(chart.get('[data-testid="hover-bytes"]').text()).toBe('500 B/s')
    await chart.get('[data-testid="timeline-overlay"]').trigger('mousemove', { clientX: 250 })
    expect(chart.get('[data-testid="hover-time"]').text()).toBe('12:00:25 · not open')
    await chart.get('[data-testid="timeline-overlay"]').trigger('mouseleave')
    expect(chart.find('[data-testid="hover-time"]').exists()).toBe(false)
    chart.unmount()
  })

  it('collapses to its header, drops the plot, and remembers that', async () => {
    const chart = await mountChart()
    await chart.get('[data-testid="timeline-toggle"]').trigger('click')
    expect(chart.get('[data-testid="timeline-toggle"]').attributes('aria-expanded')).toBe('false')
    expect(chart.find('[data-testid="timeline-overlay"]').exists()).toBe(false)
    expect(plots.created[0]!.destroy).toHaveBeenCalled()
    chart.unmount()
    expect((await mountChart()).get('[data-testid="timeline-toggle"]').attributes('aria-expanded')).toBe('false')
  })

  it('redraws a live session a few times a second on its own, counting idle seconds up to now', async () => {
    vi.useFakeTimers()
    vi.setSystemTime(T0 + 40_000)
    const chart = await mountChart(session({ state: 'open', endedAt: undefined }))
    const plot = plots.created[0]!
    const before = plot.setData.mock.calls.length
    await vi.advanceTimersByTimeAsync(2_000)
    const redraws = plot.setData.mock.calls.length - before
    expect(redraws).toBeGreaterThanOrEqual(3)
    expect(redraws).toBeLessThanOrEqual(5)
    const [time, , received, , range] = [...plot.setData.mock.lastCall![0], plot.setData.mock.lastCall![1]]
    // Idle seconds are counted up to now; the second now filling (T0 + 42 s) is not drawn yet.
    expect(time.at(-1)).toBe(T0 + 41_000)
    expect(received.at(-1)).toBe(0)
    expect(range).toEqual({ start: T0, end: T0 + 42_000 })
    chart.unmount()
    const after = plot.setData.mock.calls.length
    await vi.advanceTimersByTimeAsync(2_000)
    expect(plot.setData.mock.calls.length).toBe(after)
  })
})
