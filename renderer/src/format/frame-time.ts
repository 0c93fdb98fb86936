// The frame list's time column, in the three ways people read a stream: the clock,
// how long into the session, and the gap since the frame before (bursts, stalls).
import { shallowRef, watch } from 'vue'
import { formatTime } from './frame-format'

export type TimeMode = 'clock' | 'start' | 'previous'
export const TIME_MODES: readonly TimeMode[] = ['clock', 'start', 'previous']

export const TIME_MODE_LABEL: Record<TimeMode, string> = { clock: 'Time', start: 'Since start', previous: 'Delta' }
export const TIME_MODE_TITLE: Record<TimeMode, string> = {
  clock: 'Clock time of each frame',
  start: 'Time since the session’s first frame',
  previous: 'Time since the frame before it',
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** 0.004 s · 12.345 s · 3:07.250 · 1:02:03.5 — millisecond precision while it fits the column. */
export function formatElapsed(ms: number): string {
  const sign = ms < 0 ? '−' : ''
  const abs = Math.abs(ms)
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(3)} s`
  const totalMs = Math.round(abs)
  const h = Math.floor(totalMs / 3_600_000)
  const m = Math.floor((totalMs % 3_600_000) / 60_000)
  const s = (totalMs % 60_000) / 1000
  if (h > 0) return `${sign}${h}:${pad(m)}:${pad(Math.floor(s))}`
  return `${sign}${m}:${s.toFixed(3).padStart(6, '0')}`
}

/** +0.8 ms · +12.4 ms · +1.250 s: gaps are short, so sub-millisecond matters. */
export function formatGap(ms: number): string {
  if (ms < 1000) return `+${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`
  return `+${formatElapsed(ms)}`
}

/** The time cell of one frame; `previous` is the frame before it in the session, if held. */
export function formatFrameTime(mode: TimeMode, time: number, origin: number | undefined, previous: number | undefined): string {
  if (mode === 'start') return origin === undefined ? '' : formatElapsed(time - origin)
  if (mode === 'previous') return previous === undefined ? '—' : formatGap(time - previous)
  return formatTime(time)
}

const STORAGE_KEY = 'rti.frameList.timeMode'

function storedMode(): TimeMode {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY)
    return TIME_MODES.includes(value as TimeMode) ? (value as TimeMode) : 'clock'
  } catch {
    return 'clock'
  }
}

/** One choice for every session, remembered across restarts. */
export const timeMode = shallowRef<TimeMode>(storedMode())
watch(timeMode, (mode) => {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, mode)
  } catch {
    // Storage can be full or disabled; the choice then lasts for this run only.
  }
})

export function nextTimeMode(mode: TimeMode): TimeMode {
  return TIME_MODES[(TIME_MODES.indexOf(mode) + 1) % TIME_MODES.length]!
}
