// How a frame reads in one line of the frame list. Pure functions, so the list can
// format only the rows on screen and tests can pin the wording.
import { describeCloseCode, formatBytes as formatBytesIn, type Direction, type Frame } from '@contract'
import { decodedPreview } from './packet-format'

/** Longest preview handed to the DOM; the row ellipsises anyway, and huge strings cost layout. */
const PREVIEW_MAX = 400
/** Bytes shown for a binary payload before the ellipsis. */
const HEX_PREVIEW_BYTES = 32

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** Local wall-clock time with milliseconds: 14:03:27.118 */
export function formatTime(ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
}

/** Byte counts in the UI's words (KB, MB), by the one formatter the engine uses too. */
export const formatBytes = (bytes: number): string => formatBytesIn(bytes, 'KB')

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`
}

// One formatter for every call: toLocaleString builds a new one each time, which shows up
// in profiles when the status line refreshes every animation frame.
const COUNT_FORMAT = new Intl.NumberFormat('en-US')
export const formatCount = (n: number): string => COUNT_FORMAT.format(n)

export const DIRECTION_ARROW: Record<Direction, string> = { out: '↑', in: '↓', system: '•' }
export const DIRECTION_LABEL: Record<Direction, string> = { out: 'sent', in: 'received', system: 'system' }

/** Space-separated hex of the first bytes of a base64 payload, without decoding all of it. */
export function hexPreview(base64: string, maxBytes = HEX_PREVIEW_BYTES): string {
  // 4 base64 chars carry 3 bytes; decode just enough of the prefix.
  const prefix = base64.slice(0, Math.ceil((maxBytes + 2) / 3) * 4)
  let raw: string
  try {
    raw = atob(prefix)
  } catch {
    return '(invalid base64)'
  }
  const shown = Math.min(raw.length, maxBytes)
  let hex = ''
  for (let i = 0; i < shown; i++) hex += (i ? ' ' : '') + raw.charCodeAt(i).toString(16).padStart(2, '0')
  const total = Math.floor((base64.replace(/=+$/, '').length * 3) / 4)
  return total > shown ? `${hex} …` : hex || '(empty)'
}

/** Previews are one line: line breaks become a visible marker instead of vanishing. */
function oneLine(text: string): string {
  const cut = text.length > PREVIEW_MAX ? text.slice(0, PREVIEW_MAX) + '…' : text.trimEnd()
  return cut.replace(/\r\n|\r|\n/g, ' ↵ ').replace(/\t/g, ' ')
}

function payloadPreview(frame: { data?: string; dataBase64?: string }): string {
  if (frame.dataBase64 !== undefined) return hexPreview(frame.dataBase64)
  return frame.data === undefined || frame.data === '' ? '(empty)' : oneLine(frame.data)
}

const CAUSE_TEXT: Record<string, string> = {
  'remote-close': 'closed by the server',
  fin: 'cut with a TCP FIN, no proper close',
  reset: 'TCP reset',
  timeout: 'timed out',
  local: 'closed by you',
}

export interface CloseLike {
  code: number
  reason: string
  meaning?: string
  cause?: string
}

/** One line for a close: the WebSocket code and its meaning (HTTP closes have none), reason, cause. */
export function closeSummary({ code, reason, meaning, cause }: CloseLike): string {
  const parts = code === 0 ? [reason || 'connection ended'] : [`${code} ${meaning ?? describeCloseCode(code)}${reason ? ` — ${reason}` : ''}`]
  // An HTTP technique's reason already says when the user closed.
  const redundant = code === 0 && cause === 'local' && reason !== ''
  if (cause && CAUSE_TEXT[cause] && !redundant) parts.push(CAUSE_TEXT[cause])
  return parts.join(' · ')
}

export function framePreview(frame: Frame): string {
  switch (frame.kind) {
    case 'connecting':
      return `${frame.url}${frame.attempt > 1 ? ` (attempt ${frame.attempt})` : ''}`
    case 'request':
      return `${frame.method} ${frame.url}`
    case 'response': {
      const status = `${frame.status}${frame.statusText ? ' ' + frame.statusText : ''}`
      const body = frame.body ? ` · ${oneLine(frame.body)}` : frame.bodyBase64 ? ` · ${hexPreview(frame.bodyBase64)}` : ''
      return `${status} · HTTP/${frame.httpVersion} · ${Math.round(frame.durationMs)} ms${frame.unchanged ? ' · unchanged' : ''}${body}`
    }
    case 'open':
      return [frame.protocol ? `protocol ${frame.protocol}` : 'connected', frame.extensions ? `extensions ${frame.extensions}` : '']
        .filter(Boolean)
        .join(' · ')
    case 'message':
      // A protocol's packets read as the protocol says them; the raw payload stays in the detail pane.
      return frame.decoded !== undefined ? decodedPreview(frame.decoded, frame.direction) : payloadPreview(frame)
    case 'chunk':
      return payloadPreview(frame)
    case 'event':
      return frame.decoded !== undefined ? decodedPreview(frame.decoded, frame.direction) : `${frame.event}: ${oneLine(frame.data)}`
    case 'comment':
      return `: ${oneLine(frame.text)}`
    case 'ping':
    case 'pong':
      return frame.data ? oneLine(frame.data) : '(empty)'
    case 'close':
      return closeSummary(frame)
    case 'error':
      return `${frame.code} ${oneLine(frame.message)}`
    case 'reconnect':
      return `attempt ${frame.attempt} in ${Math.round(frame.delayMs)} ms${frame.lastEventId ? ` · Last-Event-ID ${frame.lastEventId}` : ''}`
    case 'finding':
      return `${frame.severity}: ${oneLine(frame.summary)}`
  }
}

/** Payload size in bytes, or undefined when the kind has no payload worth sizing. */
export function frameSize(frame: Frame): number | undefined {
  switch (frame.kind) {
    case 'message':
    case 'chunk':
      return frame.size
    case 'ping':
    case 'pong':
      return utf8Length(frame.data)
    case 'event':
      return utf8Length(frame.data)
    case 'response':
      return frame.body !== undefined ? utf8Length(frame.body) : frame.bodyBase64 !== undefined ? Math.floor((frame.bodyBase64.length * 3) / 4) : undefined
    default:
      return undefined
  }
}

function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

/** A short label for the kind badge. */
export function kindLabel(frame: Frame): string {
  if (frame.kind === 'message' && frame.binary) return 'binary'
  return frame.kind
}

/** Which colour family a kind badge uses (see styles/badges.css). */
export function kindTone(frame: Frame): string {
  switch (frame.kind) {
    case 'request':
      return 'http'
    case 'response':
      return frame.status >= 400 ? 'error' : 'http'
    case 'ping':
    case 'pong':
      return 'ping'
    case 'connecting':
    case 'reconnect':
    case 'comment':
    case 'chunk':
      return 'connecting'
    case 'close':
      return frame.wasClean ? 'close' : 'error'
    default:
      return frame.kind
  }
}
