// The UI benchmark's in-page probe (bench/ui.ts). main.ts loads this chunk only when
// the page URL has a #bench fragment, so it costs nothing otherwise. It drives the
// real engine through the page's own API client (a paced playground ticker), measures
// with what the page itself can see — animation frames, 'longtask' entries,
// performance.memory — and prints its figures as console lines that the bench reads
// from Chromium's log: no DevTools session is attached, which would slow the page.
import { watch } from 'vue'
import type { FrameBatch } from '@contract'
import type { ApiClient } from '../api'
import type { useSessionsStore } from '../stores/sessions'
import { frameRate, heapFreedAcross, percentile, type LongTask } from './frame-stats'

type SessionsStore = ReturnType<typeof useSessionsStore>

export const REPORT_PREFIX = 'RTI_BENCH '

export interface ProbeOptions {
  /** Frames the session's window holds (the store's frame cap). */
  cap: number
  /** Ticker rate while filling the window, and the most frames a batch may carry then. */
  fillRate: number
  fillBatch: number
  /** Longest the fill may take before the bench goes on with what it has. */
  fillSeconds: number
  rate: number
  warmupSeconds: number
  seconds: number
  scrollSeconds: number
  /** Pads each message to about this many bytes (0: the ticker's own ~40). */
  size: number
}

const DEFAULTS: ProbeOptions = { cap: 1_000_000, fillRate: 50_000, fillBatch: 2000, fillSeconds: 600, rate: 10_000, warmupSeconds: 3, seconds: 60, scrollSeconds: 10, size: 0 }

/** `#bench&seconds=10&cap=1000000…`: unknown or non-numeric values keep their default. */
export function probeOptions(hash: string): ProbeOptions {
  const params = new URLSearchParams(hash.replace(/^#bench/, ''))
  const options = { ...DEFAULTS }
  for (const key of Object.keys(DEFAULTS) as (keyof ProbeOptions)[]) {
    const value = Number(params.get(key) ?? NaN)
    if (Number.isFinite(value) && value >= 0) options[key] = value
  }
  return options
}

interface MemoryInfo {
  usedJSHeapSize: number
}
const heapUsed = () => (performance as Performance & { memory?: MemoryInfo }).memory?.usedJSHeapSize ?? 0
/** Present when Chromium runs with --js-flags=--expose-gc: heap readings without garbage. */
const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve))
const report = (type: string, figures: object) => console.log(REPORT_PREFIX + JSON.stringify({ type, ...figures }))

/** Samples every animation frame (time and heap) and every long task, for one phase at a time. */
class PhaseRecorder {
  times: number[] = []
  heaps: number[] = []
  longTasks: { startMs: number; durationMs: number }[] = []
  /** Per batch: arrival in the page → applied, and → the animation frame after that (painted). */
  applyDelays: number[] = []
  paintDelays: number[] = []
  framesArrived = 0
  skippedArrived = 0
  recording = false
  /** The display's refresh period, once measured on the idle page. */
  periodMs: number | undefined
  private arrivals: number[] = []

  constructor(store: SessionsStore, client: ApiClient) {
    const loop = (time: number) => {
      if (this.recording) {
        this.times.push(time)
        this.heaps.push(heapUsed())
      }
      requestAnimationFrame(loop)
    }
    requestAnimationFrame(loop)
    new PerformanceObserver((list) => {
      if (!this.recording) return
      for (const entry of list.getEntries()) this.longTasks.push({ startMs: entry.startTime, durationMs: entry.duration })
    }).observe({ type: 'longtask', buffered: false })
    // Registered after the store's own listener: this runs in the same task, right after
    // the store queued the batch, which is when the bridge client received it.
    client.onFrames((batch: FrameBatch) => {
      if (!this.recording) return
      this.arrivals.push(performance.now())
      this.framesArrived += batch.frames.length
      this.skippedArrived += batch.skipped
    })
    // The store bumps `version` once per applyPending, which applies every queued batch.
    watch(
      () => store.version,
      () => {
        if (this.arrivals.length === 0) return
        const arrived = this.arrivals
        this.arrivals = []
        const applied = performance.now()
        for (const at of arrived) this.applyDelays.push(applied - at)
        requestAnimationFrame(() => {
          const painted = performance.now()
          for (const at of arrived) this.paintDelays.push(painted - at)
        })
      },
      { flush: 'sync' },
    )
  }

  start(): void {
    this.times = []
    this.heaps = []
    this.longTasks = []
    this.applyDelays = []
    this.paintDelays = []
    this.arrivals = []
    this.framesArrived = this.skippedArrived = 0
    this.recording = true
  }

  stop() {
    this.recording = false
    const phaseStart = this.times[0] ?? 0
    const longTasks: LongTask[] = this.longTasks.map((task) => ({ ...task, heapFreedBytes: heapFreedAcross(task, this.times, this.heaps) }))
    const elapsedS = ((this.times.at(-1) ?? 0) - phaseStart) / 1000
    return {
      ...frameRate(this.times, this.periodMs),
      longTasks: longTasks.length,
      longestTaskMs: Math.max(0, ...longTasks.map((t) => t.durationMs)),
      /** Long tasks during which no heap was freed: not garbage collection. */
      longTasksWithoutGc: longTasks.filter((t) => t.heapFreedBytes < 1024 * 1024).length,
      longestTaskWithoutGcMs: Math.max(0, ...longTasks.filter((t) => t.heapFreedBytes < 1024 * 1024).map((t) => t.durationMs)),
      worstLongTasks: longTasks
        .sort((a, b) => b.durationMs - a.durationMs)
        .slice(0, 5)
        .map((task) => ({ ...task, startMs: task.startMs - phaseStart })),
      batches: this.paintDelays.length,
      applyMs: delays(this.applyDelays),
      paintMs: delays(this.paintDelays),
      framesPerSecondArrived: elapsedS > 0 ? this.framesArrived / elapsedS : 0,
      skippedArrived: this.skippedArrived,
    }
  }
}

const delays = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(0, ...values) })

export async function runProbe(store: SessionsStore, client: ApiClient, options: ProbeOptions): Promise<void> {
  await store.init(client, { frameCap: options.cap, connectOnFirstRun: false })
  const recorder = new PhaseRecorder(store, client)
  const base = store.environment?.playground?.baseUrl
  if (!base) return report('error', { message: 'no playground beside the engine' })

  // Baseline: the whole UI loaded, no frames yet; the idle page shows the refresh period.
  recorder.start()
  await sleep(1500)
  recorder.periodMs = recorder.stop().periodMs
  collectGarbage()
  const baselineHeap = heapUsed()
  report('baseline', { heapBytes: baselineHeap, cap: options.cap, periodMs: recorder.periodMs })

  const sizeParam = options.size > 0 ? `&size=${options.size}` : ''
  const connected = await store.connect({ technique: 'websocket', url: `${base.replace(/^http/, 'ws')}/ws/ticker?rate=${options.fillRate}${sizeParam}` })
  const sessionId = store.activeId
  const held = () => store.activeWindow?.length ?? 0
  if (!connected || !sessionId) return report('error', { message: `could not open the ticker: ${store.connectError?.message ?? 'unknown'}` })

  // Fill: bigger batches than the UI asks for normally, as fast as the page takes them.
  await client.subscribe({ sessionId, maxFramesPerBatch: options.fillBatch })
  const fillStart = performance.now()
  let lastProgress = fillStart
  while (held() < options.cap && performance.now() - fillStart < options.fillSeconds * 1000) {
    await sleep(200)
    if (performance.now() - lastProgress >= 5000) {
      lastProgress = performance.now()
      report('fill-progress', { held: held(), seconds: (lastProgress - fillStart) / 1000 })
    }
  }
  await store.send({ type: 'text', data: 'rate=0' })
  await sleep(1000)
  const fillSeconds = (performance.now() - fillStart) / 1000
  collectGarbage()
  const filledHeap = heapUsed()
  const window = store.activeWindow!
  report('filled', {
    held: window.length,
    // Frames let go from the head to stay under the cap (their slots are emptied at once).
    letGo: window.dropped,
    skipped: window.skipped,
    seconds: fillSeconds,
    framesPerSecond: window.length / fillSeconds,
    heapBytes: filledHeap,
    heapPerHeldFrame: (filledHeap - baselineHeap) / window.length,
    heapPerReferencedFrame: (filledHeap - baselineHeap) / (window.length + window.dropped),
  })

  // Steady load at the measured rate, with the UI's normal batch size.
  await client.subscribe({ sessionId })
  await store.send({ type: 'text', data: `rate=${options.rate}` })
  await sleep(options.warmupSeconds * 1000)
  recorder.start()
  for (let waited = 0; waited < options.seconds; waited += 10) {
    await sleep(Math.min(10, options.seconds - waited) * 1000)
    report('load-progress', { seconds: Math.min(options.seconds, waited + 10), held: held() })
  }
  const load = recorder.stop()
  const loadHeap = heapUsed()
  collectGarbage()
  const loadHeapAfterGc = heapUsed()
  report('load', {
    rate: options.rate,
    seconds: options.seconds,
    ...load,
    held: window.length,
    letGo: window.dropped,
    heapBytes: loadHeap,
    heapAfterGcBytes: loadHeapAfterGc,
    heapPerHeldFrameAfterGc: (loadHeapAfterGc - baselineHeap) / window.length,
  })

  // Scroll through every held frame, top to bottom, one step per animation frame.
  await store.send({ type: 'text', data: 'rate=0' })
  await sleep(1000)
  report('scroll', await scrollThrough(recorder, options.scrollSeconds))
  await store.disconnect(sessionId)
  report('done', {})
}

async function scrollThrough(recorder: PhaseRecorder, seconds: number) {
  const scroller = document.querySelector<HTMLElement>('[data-testid="frame-scroller"]')
  if (!scroller) return { error: 'no frame list on the page' }
  scroller.scrollTop = 0
  await nextFrame()
  await nextFrame()
  const bottom = scroller.scrollHeight - scroller.clientHeight
  recorder.start()
  const start = await nextFrame()
  // The step follows the clock, so a late frame jumps further instead of slowing the run.
  for (let now = start; now - start < seconds * 1000; now = await nextFrame()) {
    scroller.scrollTop = Math.round((bottom * (now - start)) / (seconds * 1000))
  }
  scroller.scrollTop = bottom
  await nextFrame()
  await nextFrame()
  const rows = document.querySelectorAll('[data-testid="frame-row"]').length
  return { ...recorder.stop(), scrolledPx: bottom, reachedBottom: scroller.scrollTop >= bottom - 1, rowsOnScreen: rows }
}
