// Byte counts as people read them, the same in the engine's messages, the CLI and the
// UI: "512 B", "1.5 KiB", "64 KiB", "2.0 MiB" (one decimal under 10, whole numbers
// above). The UI says KB/MB (binary multiples all the same), the engine and CLI KiB/MiB.

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
