// Prints the UI benchmark's figures, each next to its docs/architecture.md ("Budgets") goal.
import type { ProbeReport } from './ui-chromium.js'

interface Delays {
  p50: number
  p95: number
  max: number
}
interface LongTask {
  startMs: number
  durationMs: number
  heapFreedBytes: number
}
interface PhaseFigures {
  fps: number
  dropped: number
  droppedPercent: number
  periodMs: number
  longestGapMs: number
  longTasks: number
  longestTaskMs: number
  longTasksWithoutGc: number
  longestTaskWithoutGcMs: number
  worstLongTasks: LongTask[]
  batches: number
  applyMs: Delays
  paintMs: Delays
  framesPerSecondArrived: number
  skippedArrived: number
}

interface BaselineReport {
  heapBytes: number
}
interface FilledReport {
  held: number
  skipped: number
  seconds: number
  framesPerSecond: number
  heapBytes: number
  heapPerHeldFrame: number
}
interface LoadReport extends PhaseFigures {
  rate: number
  seconds: number
  held: number
  letGo: number
  heapPerHeldFrameAfterGc: number
}
interface ScrollReport extends PhaseFigures {
  error?: string
  scrolledPx: number
  reachedBottom: boolean
  rowsOnScreen: number
}

const n = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const row = (label: string, figure: string, goal: string) => console.log(`  ${label.padEnd(24)}${figure.padEnd(62)}${goal}`)
const mark = (ok: boolean) => (ok ? 'ok  ' : 'MISS')

function framePacing(figures: PhaseFigures): void {
  row('page frame rate', `${n(figures.fps, 1)} fps (display refresh period ${n(figures.periodMs, 1)} ms)`, `${mark(figures.fps >= 58)} goal >= 58 fps`)
  row('dropped frames', `${n(figures.droppedPercent, 2)} % (${n(figures.dropped)}; longest gap ${n(figures.longestGapMs)} ms)`, `${mark(figures.droppedPercent <= 1)} goal <= 1 %`)
  row(
    'long tasks > 50 ms',
    `${figures.longTasks}, longest ${n(figures.longestTaskMs)} ms; without GC ${figures.longTasksWithoutGc}`,
    `${mark(figures.longTasksWithoutGc === 0)} goal: none but garbage collection`,
  )
  for (const task of figures.worstLongTasks) {
    console.log(`      ${n(task.durationMs).padStart(5)} ms at ${n(task.startMs / 1000, 1)} s into the phase${task.heapFreedBytes > 0 ? `, freed ${n(task.heapFreedBytes / 1e6, 1)} MB (GC)` : ''}`)
  }
}

export function printUiReport(reports: ProbeReport[], context: { loadBefore: number[]; loadAfter: number[] }): void {
  // The probe's reports, by type (renderer/src/bench/probe.ts writes them).
  const find = <T>(type: string) => reports.find((r) => r.type === type) as T | undefined
  const error = find<{ message: string }>('error')
  if (error) console.log(`  the probe failed: ${error.message}`)
  const baseline = find<BaselineReport>('baseline')
  const filled = find<FilledReport>('filled')
  const load = find<LoadReport>('load')
  const scroll = find<ScrollReport>('scroll')
  if (baseline && filled) {
    console.log(`  fill: ${n(filled.held)} frames held after ${n(filled.seconds, 1)} s (${n(filled.framesPerSecond)} frames/s taken by the page; ${n(filled.skipped)} skipped by the engine)`)
    row('heap per held frame', `${n(filled.heapPerHeldFrame)} B (${n((filled.heapBytes - baseline.heapBytes) / 1e6)} MB over a ${n(baseline.heapBytes / 1e6, 1)} MB baseline)`, `${mark(filled.heapPerHeldFrame <= 150)} goal <= 150 B`)
  }
  if (load) {
    console.log(`\n  ${n(load.rate)} frames/s for ${load.seconds} s with ${n(load.held)} frames held: ${n(load.framesPerSecondArrived)} frames/s reached the page (${n(load.skippedArrived)} skipped by the engine)`)
    framePacing(load)
    const budget = 2 * load.periodMs
    row('batch arrival → applied', `p50 ${n(load.applyMs.p50, 1)} ms, p95 ${n(load.applyMs.p95, 1)} ms, max ${n(load.applyMs.max, 1)} ms`, `(the next animation frame, <= ${n(load.periodMs, 1)} ms)`)
    row('batch arrival → painted', `p50 ${n(load.paintMs.p50, 1)} ms, p95 ${n(load.paintMs.p95, 1)} ms, max ${n(load.paintMs.max, 1)} ms`, `${mark(load.paintMs.p95 <= budget)} goal: painted by the frame after arrival (p95 <= ${n(budget, 2)} ms to the frame after it)`)
    row('heap per held frame', `${n(load.heapPerHeldFrameAfterGc)} B after the load (${n(load.letGo)} older frames let go)`, `${mark(load.heapPerHeldFrameAfterGc <= 150)} goal <= 150 B`)
  }
  if (scroll) {
    console.log(`\n  scroll through ${n(filled?.held ?? 0)} frames (${n(scroll.scrolledPx)} px), one step per animation frame: reached the bottom ${scroll.reachedBottom ? 'yes' : 'NO'}, ${scroll.rowsOnScreen} rows on screen`)
    if (scroll.error) console.log(`  ${scroll.error}`)
    else framePacing(scroll)
  }
  const fmt = (load: number[]) => load.map((l) => l.toFixed(2)).join(' ')
  console.log(`\n  load average (1, 5, 15 min): ${fmt(context.loadBefore)} before, ${fmt(context.loadAfter)} after (2 cores)`)
}
