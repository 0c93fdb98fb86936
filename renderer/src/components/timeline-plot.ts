// The uPlot part of the timeline: lines for messages per second in and out over a
// shaded area of bytes per second, with a time axis. It draws only; pointer, markers
// and gaps live in the component's overlay, placed over the plotting area that the
// fixed insets below leave free.
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { BYTE_INCREMENTS, MESSAGE_INCREMENTS, TIME_INCREMENTS, formatAxisTime, formatCompact, formatCompactBytes, type TimeRange } from './timeline-layout'

/** Where the plotting area sits inside the plot's box (the axes take the rest), px. */
export const PLOT_INSETS = { top: 6, right: 56, bottom: 20, left: 42 } as const

/** Canvas colours cannot be CSS variables: the component reads them and recreates the plot when the theme changes. */
export interface PlotColors {
  messagesIn: string
  messagesOut: string
  bytes: string
  grid: string
  axis: string
  font: string
}

export interface TimelinePlot {
  setData(data: [number[], number[], number[], number[]], range: TimeRange): void
  setSize(width: number, height: number): void
  destroy(): void
}

export function createTimelinePlot(target: HTMLElement, width: number, height: number, colors: PlotColors): TimelinePlot {
  let range: TimeRange = { start: 0, end: 1 }
  const axisFont = `10px ${colors.font}`
  const yScale = (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, max > 0 ? max * 1.15 : 1]
  const options: uPlot.Options = {
    width,
    height,
    ms: 1,
    padding: [PLOT_INSETS.top, 0, 0, 0],
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: {
      x: { time: true, range: () => [range.start, range.end] },
      msgs: { range: yScale },
      bytes: { range: yScale },
    },
    axes: [
      {
        stroke: colors.axis,
        font: axisFont,
        size: PLOT_INSETS.bottom,
        gap: 3,
        space: 70,
        incrs: [...TIME_INCREMENTS],
        values: (_u, ticks, _axis, _space, increment) => ticks.map((t) => formatAxisTime(t, increment)),
        grid: { stroke: colors.grid, width: 1 },
        ticks: { show: false },
      },
      { scale: 'msgs', side: 3, stroke: colors.axis, font: axisFont, size: PLOT_INSETS.left, gap: 4, space: 22, incrs: [...MESSAGE_INCREMENTS], values: (_u, ticks) => ticks.map(formatCompact), grid: { stroke: colors.grid, width: 1 }, ticks: { show: false } },
      { scale: 'bytes', side: 1, stroke: colors.axis, font: axisFont, size: PLOT_INSETS.right, gap: 4, space: 22, incrs: [...BYTE_INCREMENTS], values: (_u, ticks) => ticks.map(formatCompactBytes), grid: { show: false }, ticks: { show: false } },
    ],
    series: [
      {},
      { label: 'bytes/s', scale: 'bytes', stroke: colors.bytes, width: 1, fill: translucent(colors.bytes, 0.3), points: { show: false } },
      { label: 'received msg/s', scale: 'msgs', stroke: colors.messagesIn, width: 1.5, points: { show: false } },
      { label: 'sent msg/s', scale: 'msgs', stroke: colors.messagesOut, width: 1.5, points: { show: false } },
    ],
  }
  const plot = new uPlot(options, [[], [], [], []], target)
  return {
    setData(data, next) {
      range = next
      plot.setData(data)
    },
    setSize(w, h) {
      plot.setSize({ width: w, height: h })
    },
    destroy() {
      plot.destroy()
    },
  }
}

/** The same colour with some alpha, for fills; a colour in another syntax is kept as it is. */
function translucent(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color.trim())
  if (!hex) return color
  const n = parseInt(hex[1]!, 16)
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`
}
