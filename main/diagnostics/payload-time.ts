// Reads the server's send time out of payloads, so lag and bursts can be measured
// against it (docs/diagnostics.md: "lag against server timestamps"). A scan, not a JSON parse:
// it also finds every stamp in a raw chunk that carries many events.

const DEFAULT_FIELDS = ['sentAt', 'timestamp', 'ts', 'time', 't']
/** A stamp further than this from the arrival time is not a send time (an id, a date of birth…). */
const PLAUSIBLE_MS = 24 * 3600_000

export class PayloadClock {
  private readonly pattern: RegExp

  /** `field`: a name or dotted path (its last part is looked for); empty for the usual names. */
  constructor(field: string) {
    const names = field ? [field.split('.').pop()!] : DEFAULT_FIELDS
    const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    this.pattern = new RegExp(`"(?:${escaped.join('|')})"\\s*:\\s*("?)([0-9][0-9TZ:.+-]*)\\1`, 'g')
  }

  /** Every plausible send time in `text`, in order (ms since the epoch). */
  stamps(text: string, arrival: number): number[] {
    const found: number[] = []
    this.pattern.lastIndex = 0
    for (let match = this.pattern.exec(text); match; match = this.pattern.exec(text)) {
      const ms = toEpochMs(match[2]!, match[1] === '"')
      if (ms !== undefined && Math.abs(arrival - ms) < PLAUSIBLE_MS) found.push(ms)
      if (found.length >= 1000) break
    }
    return found
  }
}

function toEpochMs(value: string, quoted: boolean): number | undefined {
  if (/^[0-9]+(\.[0-9]+)?$/.test(value)) {
    const n = Number(value)
    // Seconds (10 digits) or milliseconds (13 digits) since the epoch.
    return n < 1e11 ? n * 1000 : n
  }
  if (!quoted) return undefined
  const parsed = Date.parse(value)
  return Number.isNaN(parsed) ? undefined : parsed
}
