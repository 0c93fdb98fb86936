// What the detail pane says about one frame: its payload, its fields in plain words,
// its timing, and which views apply. Pure functions over the contract's frames.
import { describeCloseCode, describeErrorCode, type Frame } from '@contract'
import { formatBytes } from './frame-format'
import { ackRtt, decodeError, decodedOf } from './packet-format'

export type DetailView = 'packet' | 'pretty' | 'raw' | 'hex' | 'base64' | 'headers' | 'timing'

export const VIEW_LABEL: Record<DetailView, string> = {
  packet: 'Packet',
  pretty: 'Pretty',
  raw: 'Raw',
  hex: 'Hex',
  base64: 'Base64',
  headers: 'Headers',
  timing: 'Timing',
}

/** A frame's content: text, or bytes as base64. */
export type Payload = { text: string; base64?: undefined } | { text?: undefined; base64: string }

export function framePayload(frame: Frame): Payload | undefined {
  switch (frame.kind) {
    case 'message':
    case 'chunk':
      if (frame.dataBase64 !== undefined) return { base64: frame.dataBase64 }
      return { text: frame.data ?? '' }
    case 'event':
    case 'ping':
    case 'pong':
      return { text: frame.data }
    case 'comment':
      return { text: frame.text }
    case 'response':
      if (frame.bodyBase64 !== undefined) return { base64: frame.bodyBase64 }
      return frame.body !== undefined ? { text: frame.body } : undefined
    default:
      return undefined
  }
}

/** The views that apply, best first. `isJson` says whether a text payload parses as an object/array. */
export function detailViews(frame: Frame, isJson: boolean): DetailView[] {
  const views: DetailView[] = []
  // Decoded packets first; the raw views stay beside them (the wire is the truth).
  if (decodedOf(frame) !== undefined) views.push('packet')
  if (frame.kind === 'request' || frame.kind === 'response') views.push('headers')
  const payload = framePayload(frame)
  if (payload?.base64 !== undefined) views.push('hex', 'base64')
  else if (payload) views.push(...(isJson ? (['pretty'] as const) : []), 'raw', 'hex')
  views.push('timing')
  return views
}

export interface Field {
  label: string
  value: string
  /** Emphasis for values that mean trouble or success. */
  tone?: 'danger' | 'warning' | 'success' | 'muted'
  mono?: boolean
  /** Several lines, each its own item (evidence). */
  list?: string[]
}

const CAUSE_EXPLAINED: Record<string, string> = {
  'remote-close': 'the server closed the connection',
  fin: 'the TCP connection ended (FIN) without a proper close',
  reset: 'the TCP connection was reset (RST)',
  timeout: 'a timeout ended the connection',
  local: 'you closed it',
}

const COMMON_KEYS = new Set(['seq', 'time', 'direction', 'kind'])

/** Keys each kind's fields (or its views) already show; anything else is listed generically. */
const SHOWN_KEYS: Record<Frame['kind'], readonly string[]> = {
  connecting: ['url', 'attempt', 'proxy'],
  request: ['method', 'url', 'headers'],
  response: ['status', 'statusText', 'headers', 'httpVersion', 'durationMs', 'body', 'bodyBase64', 'bodyTruncated', 'unchanged', 'from'],
  open: ['protocol', 'extensions'],
  message: ['data', 'dataBase64', 'binary', 'size', 'decoded', 'auto'],
  event: ['event', 'data', 'id', 'retry', 'decoded', 'auto'],
  comment: ['text'],
  chunk: ['data', 'dataBase64', 'binary', 'size'],
  ping: ['data'],
  pong: ['data'],
  close: ['code', 'reason', 'meaning', 'wasClean', 'idleMs', 'bytesIn', 'bytesOut', 'cause'],
  error: ['code', 'message'],
  reconnect: ['attempt', 'delayMs', 'lastEventId'],
  finding: ['id', 'severity', 'summary', 'evidence', 'remedy'],
}

/** The frame's own fields in plain words; payloads and headers have their own views. */
export function frameFields(frame: Frame): Field[] {
  return [...kindFields(frame), ...protocolFields(frame), ...otherFields(frame)]
}

/** What a protocol says about the frame: which one decoded it, who sent it, an ACK's time, a decode error. */
function protocolFields(frame: Frame): Field[] {
  const decoded = decodedOf(frame)
  const auto = (frame.kind === 'message' || frame.kind === 'event') && frame.auto === true
  const out: Field[] = []
  if (decoded !== undefined) {
    const packets = Array.isArray(decoded) ? decoded : [decoded]
    const protocols = [...new Set(packets.map((p) => p.protocol))].join(', ')
    out.push({ label: 'Protocol', value: packets.length === 1 ? protocols : `${protocols} (${packets.length} packets)`, mono: true })
    const rtt = ackRtt(decoded)
    if (rtt !== undefined) out.push({ label: 'Round trip', value: `${formatDelta(rtt)} (emit to ACK)`, mono: true, tone: 'success' })
    const error = decodeError(decoded)
    if (error !== undefined) out.push({ label: 'Decode error', value: error, tone: 'danger' })
  }
  if (auto) out.push({ label: 'Sent by', value: 'the protocol, on its own (not typed by you)', tone: 'muted' })
  return out
}

function kindFields(frame: Frame): Field[] {
  switch (frame.kind) {
    case 'connecting':
      return [
        { label: 'URL', value: frame.url, mono: true },
        { label: 'Attempt', value: String(frame.attempt) },
        ...(frame.proxy ? [{ label: 'Proxy', value: frame.proxy, mono: true }] : []),
      ]
    case 'open':
      return [
        { label: 'Protocol', value: frame.protocol || '(none)', ...(frame.protocol ? { mono: true } : { tone: 'muted' as const }) },
        ...(frame.extensions ? [{ label: 'Extensions', value: frame.extensions, mono: true }] : []),
      ]
    case 'event':
      return [
        { label: 'Type', value: frame.event, mono: true },
        { label: 'ID', value: frame.id === '' ? '(none)' : frame.id, ...(frame.id === '' ? { tone: 'muted' as const } : { mono: true }) },
        ...(frame.retry !== undefined ? [{ label: 'Retry', value: `${frame.retry} ms` }] : []),
      ]
    case 'close':
      return closeFields(frame)
    case 'error':
      return [
        { label: 'Code', value: frame.code, mono: true, tone: 'danger' },
        ...errorMeaning(frame.code),
        { label: 'Message', value: frame.message },
      ]
    case 'reconnect':
      return [
        { label: 'Attempt', value: String(frame.attempt) },
        { label: 'Delay', value: formatDelta(frame.delayMs) },
        ...(frame.lastEventId !== undefined ? [{ label: 'Last-Event-ID', value: frame.lastEventId, mono: true }] : []),
      ]
    case 'finding':
      return [
        { label: 'Finding', value: frame.id, mono: true },
        { label: 'Severity', value: frame.severity, tone: frame.severity === 'error' ? 'danger' : frame.severity === 'warning' ? 'warning' : 'muted' },
        { label: 'Summary', value: frame.summary },
        { label: 'Evidence', value: frame.evidence.join('\n'), list: frame.evidence },
        { label: 'Remedy', value: frame.remedy },
      ]
    default:
      return []
  }
}

/** The catalogue's words for an error code (old codes in recordings included); none for a code it does not know. */
function errorMeaning(code: string): Field[] {
  const words = describeErrorCode(code)
  return words ? [{ label: 'Meaning', value: words }] : []
}

function closeFields(frame: Extract<Frame, { kind: 'close' }>): Field[] {
  // HTTP techniques close with code 0: there is no WebSocket close code to explain.
  const code: Field =
    frame.code === 0
      ? { label: 'Code', value: 'none (not a WebSocket close)', tone: 'muted' }
      : { label: 'Code', value: `${frame.code} — ${frame.meaning ?? describeCloseCode(frame.code)}` }
  return [
    code,
    { label: 'Reason', value: frame.reason || '(none)', ...(frame.reason ? {} : { tone: 'muted' as const }) },
    { label: 'Cause', value: `${frame.cause} — ${CAUSE_EXPLAINED[frame.cause] ?? 'unknown'}`, ...(frame.cause === 'reset' || frame.cause === 'fin' ? { tone: 'danger' as const } : {}) },
    { label: 'Clean', value: frame.wasClean ? 'yes' : 'no', tone: frame.wasClean ? 'success' : 'danger' },
    { label: 'Idle before close', value: formatDelta(frame.idleMs) },
    { label: 'Bytes in', value: bytesWithCount(frame.bytesIn) },
    { label: 'Bytes out', value: bytesWithCount(frame.bytesOut) },
  ]
}

const bytesWithCount = (n: number) => (n < 1024 ? formatBytes(n) : `${formatBytes(n)} (${n.toLocaleString('en-US')} bytes)`)

/** Fields the contract does not name (newer engines, extra details): shown as they are. */
function otherFields(frame: Frame): Field[] {
  const shown = SHOWN_KEYS[frame.kind]
  const out: Field[] = []
  for (const [key, value] of Object.entries(frame)) {
    if (COMMON_KEYS.has(key) || shown.includes(key) || value === undefined) continue
    out.push({ label: key, value: plainValue(value), mono: typeof value !== 'boolean' })
  }
  return out
}

const PLAIN_MAX = 2000

function plainValue(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'number') return String(value)
  const json = JSON.stringify(value) ?? String(value)
  return json.length > PLAIN_MAX ? json.slice(0, PLAIN_MAX) + '…' : json
}

/** Notes about the frame that change how to read it: a cut payload, an answer from the proxy. */
export function frameNotices(frame: Frame): string[] {
  const notes: string[] = []
  for (const [key, value] of Object.entries(frame)) {
    if (value === true && /Truncated$/.test(key)) {
      const what = key.slice(0, -'Truncated'.length) || 'payload'
      notes.push(`The ${what} was longer than the evidence cap and was cut: what is shown is not all of it.`)
    }
  }
  if (frame.kind === 'response') {
    if (frame.from === 'proxy') notes.push('The proxy answered this itself; the request did not reach the origin.')
    if (frame.unchanged) notes.push('Unchanged: 304 Not Modified, or the same body as the previous answer.')
  }
  return notes
}

/** The first line of a request or response, as HTTP writes it. */
export function startLine(frame: Frame): string | undefined {
  if (frame.kind === 'request') return `${frame.method} ${frame.url}`
  if (frame.kind === 'response') return `HTTP/${frame.httpVersion} ${frame.status}${frame.statusText ? ' ' + frame.statusText : ''}`
  return undefined
}

/** A time span for people: 0.42 ms, 12.3 ms, 1.234 s, 2 min 3.4 s, 1 h 2 min. */
export function formatDelta(ms: number): string {
  const abs = Math.abs(ms)
  const sign = ms < 0 ? '-' : ''
  if (abs < 10) return `${sign}${abs.toFixed(2)} ms`
  if (abs < 100) return `${sign}${abs.toFixed(1)} ms`
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(3)} s`
  const totalSeconds = abs / 1000
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  if (hours > 0) return `${sign}${hours} h ${minutes} min`
  return `${sign}${minutes} min ${seconds.toFixed(1)} s`
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** Local date and time with milliseconds: 2025-01-02 14:03:27.118 */
export function formatDateTime(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
}

export interface TimingContext {
  /** The frame before this one, when it is still held. */
  previous?: Frame | undefined
  /** When the session started (ms since the epoch). */
  sessionStart?: number | undefined
}

export function timingFields(frame: Frame, { previous, sessionStart }: TimingContext): Field[] {
  const fields: Field[] = [{ label: 'Time', value: formatDateTime(frame.time), mono: true }]
  fields.push(
    previous
      ? { label: 'Since previous frame', value: `+${formatDelta(frame.time - previous.time)}`, mono: true }
      : { label: 'Since previous frame', value: frame.seq === 1 ? '— (first frame)' : '— (previous frame not held)', tone: 'muted' },
  )
  if (sessionStart !== undefined) fields.push({ label: 'Since session start', value: `+${formatDelta(Math.max(0, frame.time - sessionStart))}`, mono: true })
  fields.push({ label: 'Sequence', value: `#${frame.seq}`, mono: true })
  if (frame.kind === 'response') fields.push({ label: 'Response time', value: formatDelta(frame.durationMs), mono: true })
  if (frame.kind === 'close') fields.push({ label: 'Idle before close', value: formatDelta(frame.idleMs), mono: true })
  if (frame.kind === 'reconnect') fields.push({ label: 'Reconnect delay', value: formatDelta(frame.delayMs), mono: true })
  return fields
}

/** What "Copy data" copies: the payload text, or base64 for bytes. */
export function payloadCopyText(payload: Payload): string {
  return payload.base64 ?? payload.text
}
