// Figures as people read them, the same in the engine's messages, the CLI and the UI.
// Byte counts: "512 B", "1.5 KiB", "64 KiB", "2.0 MiB" (one decimal under 10, whole
// numbers above); the UI says KB/MB (binary multiples all the same), the engine and CLI
// KiB/MiB. Durations: formatMs below.

const NAMES = { KiB: ['KiB', 'MiB', 'GiB', 'TiB'], KB: ['KB', 'MB', 'GB', 'TB'] } as const

export function formatBytes(bytes: number, units: keyof typeof NAMES = 'KiB'): string {
  if (bytes < 1024) return `${bytes} B`
  const names = NAMES[units]
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < names.length - 1) {
    value /= 1024
    unit++
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${names[unit]}`
}

/**
 * A measured duration as people read it, the same in a finding, the CLI and the
 * diagnostics panel: "850 ms", "3.0 s" (tenths below ten seconds: what a timer measures
 * to), "60 s", then minutes from two minutes on: "4 min", "2 min 30 s".
 */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`
  let minutes = Math.floor(ms / 60_000)
  let seconds = Math.round((ms % 60_000) / 1000)
  if (seconds === 60) {
    minutes++
    seconds = 0
  }
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`
}
