// One frame, one line, for people (`rti connect` without --json). Shaped like wscat:
// `>` what we sent, `<` what came in, system frames dimmed. Payloads come from a
// remote peer, so control characters are escaped: a message cannot move the cursor,
// clear the screen or rewrite earlier lines.
import { describeCloseCode, packetsOf, packetSummary, type Frame, type FrameOf } from '../contract/index.js'

export interface FormatOptions {
  color: boolean
  /** Characters of a text payload shown before it is cut (the --json output is never cut). */
  maxText?: number
}

const DEFAULT_MAX_TEXT = 64 * 1024
const BODY_PREVIEW = 200
const HEX_PREVIEW_BYTES = 32

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org); FORCE_COLOR wins. */
export function shouldColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true
  if (env.NO_COLOR) return false
  return stream.isTTY === true && env.TERM !== 'dumb'
}

type Paint = (text: string) => string
interface Palette {
  dim: Paint
  red: Paint
  green: Paint
  yellow: Paint
  cyan: Paint
  bold: Paint
}
const sgr = (open: number, close: number): Paint => (text) => `\u001b[${open}m${text}\u001b[${close}m`
const COLORS: Palette = { dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39), bold: sgr(1, 22) }
const same: Paint = (text) => text
const PLAIN: Palette = { dim: same, red: same, green: same, yellow: same, cyan: same, bold: same }

const REQUEST_HEADERS = ['sec-websocket-protocol', 'sec-websocket-extensions', 'origin']
const RESPONSE_HEADERS = ['sec-websocket-protocol', 'sec-websocket-extensions', 'content-type', 'location', 'www-authenticate', 'retry-after', 'server', 'via', 'x-cache', 'cf-ray']

/** A protocol's packets read as the protocol: one line each; what the protocol sent by itself dimmed. */
function formatDecoded(frame: FrameOf<'message'> | FrameOf<'event'>, p: Palette): string {
  const lines = packetsOf(frame.decoded).map((packet) => {
    const line = `${arrow(frame.direction, p)} ${printable(packetSummary(packet, frame.direction))}`
    if (packet.error !== undefined) return p.red(line)
    return frame.auto ? p.dim(line) : line
  })
  return lines.length > 0 ? lines.join('\n') : `${arrow(frame.direction, p)} (no packets)`
}

export function formatFrame(frame: Frame, options: FormatOptions): string {
  const p = options.color ? COLORS : PLAIN
  const maxText = options.maxText ?? DEFAULT_MAX_TEXT
  if ((frame.kind === 'message' || frame.kind === 'event') && frame.decoded !== undefined) return formatDecoded(frame, p)
  switch (frame.kind) {
    case 'message':
      return `${arrow(frame.direction, p)} ${payloadText(frame, maxText)}`
    case 'event': {
      // `[type #id]`: the type always (unnamed events are `message` to a client), the id when there is one.
      const label = p.bold(`[${printable(frame.event)}${frame.id ? ` #${printable(frame.id)}` : ''}]`)
      const retry = frame.retry !== undefined ? p.dim(`  retry=${frame.retry}`) : ''
      return `${arrow('in', p)} ${label} ${cut(frame.data, maxText)}${retry}`
    }
    case 'chunk':
      // Size only: the bytes are in the events or messages around it, and in --json.
      return p.dim(`${arrow(frame.direction, p)} chunk ${bytes(frame.size)}`)
    case 'comment':
      return p.dim(`: ${cut(frame.text, maxText)}`)
    case 'connecting':
      return p.dim(`● connecting ${printable(frame.url)}${frame.attempt > 1 ? ` (attempt ${frame.attempt})` : ''}`)
    case 'request':
      return p.dim(`→ ${printable(frame.method)} ${printable(frame.url)}${keyHeaders(frame.headers, REQUEST_HEADERS)}`)
    case 'response':
      return formatResponse(frame, p)
    case 'open': {
      const protocol = frame.protocol ? ` protocol=${printable(frame.protocol)}` : ''
      const extensions = frame.extensions ? ` extensions=${printable(frame.extensions)}` : ''
      return p.dim(`● open${protocol}${extensions}`)
    }
    case 'ping':
    case 'pong':
      return p.dim(`${frame.direction === 'out' ? '→' : '←'} ${frame.kind}${frame.data ? ` ${quoted(frame.data)}` : ''}`)
    case 'close':
      return formatClose(frame, p)
    case 'error':
      return p.red(`! error ${frame.code} ${printable(frame.message)}`)
    case 'reconnect': {
      const lastId = frame.lastEventId ? ` (Last-Event-ID: ${printable(frame.lastEventId)})` : ''
      return p.dim(`↻ reconnect #${frame.attempt} in ${(frame.delayMs / 1000).toFixed(1)} s${lastId}`)
    }
    case 'finding': {
      const paint = frame.severity === 'error' ? p.red : frame.severity === 'warning' ? p.yellow : p.dim
      const about = [frame.confidence, frame.intermediary].filter((x) => x !== undefined).map((x) => printable(x))
      const head = `⚠ finding ${printable(frame.id)}${about.length > 0 ? ` (${about.join(', ')})` : ''}: ${printable(frame.summary)}`
      return paint(head) + (frame.remedy ? p.dim(` — ${printable(frame.remedy)}`) : '')
    }
  }
}

function arrow(direction: Frame['direction'], p: Palette): string {
  return direction === 'out' ? p.green('>') : p.cyan('<')
}

function formatResponse(frame: FrameOf<'response'>, p: Palette): string {
  // A proxy's own answer is not the server's: say so right after the status.
  const status = `${frame.status}${frame.statusText ? ` ${printable(frame.statusText)}` : ''}${frame.unchanged ? ' (unchanged)' : ''}${frame.from === 'proxy' ? ' from proxy' : ''}`
  const ok = frame.status === 101 || (frame.status >= 200 && frame.status < 300) || (frame.unchanged === true && frame.from === undefined)
  const head = `← ${ok ? status : p.yellow(status)}${p.dim(`  HTTP/${printable(frame.httpVersion)}  ${Math.round(frame.durationMs)} ms`)}`
  const headers = keyHeaders(frame.headers, RESPONSE_HEADERS)
  let body = ''
  if (frame.body !== undefined && frame.body.length > 0) body = `  body: ${quoted(frame.body, BODY_PREVIEW)}`
  else if (frame.bodyBase64) body = `  body: ${bytes(Buffer.from(frame.bodyBase64, 'base64').length)} of binary`
  if (body && frame.bodyTruncated) body += ' (truncated)'
  return ok ? p.dim(`${head}${headers}${body}`) : `${head}${p.dim(headers)}${body}`
}

function formatClose(frame: FrameOf<'close'>, p: Palette): string {
  // HTTP has no close code (0): the reason in words is the whole story there.
  const http = frame.code === 0
  const meaning = frame.meaning ?? (http ? undefined : describeCloseCode(frame.code))
  const code = http ? '' : ` ${frame.code}`
  const reason = frame.reason ? ` ${quoted(frame.reason)}` : ''
  const dropped = frame.code === 1006 || frame.cause === 'reset' || (http && frame.cause === 'fin')
  // How long the line was silent is the evidence for idle cuts by proxies.
  const idle = dropped || frame.cause === 'timeout' ? ` idle=${Math.round(frame.idleMs)}ms` : ''
  const line = `✕ close${code}${meaning ? ` (${meaning})` : ''}${reason} cause=${frame.cause}${idle}`
  return dropped ? p.red(line) : p.dim(line)
}

function payloadText(frame: { data?: string; dataBase64?: string; binary?: true; size: number }, maxText: number): string {
  if (frame.dataBase64 !== undefined || frame.binary) {
    const raw = Buffer.from(frame.dataBase64 ?? '', 'base64')
    const shown = raw.subarray(0, HEX_PREVIEW_BYTES)
    const hex = [...shown].map((b) => b.toString(16).padStart(2, '0')).join(' ')
    return `[binary, ${bytes(frame.size)}] ${hex}${raw.length > shown.length ? ' …' : ''}`
  }
  return cut(frame.data ?? '', maxText)
}

function keyHeaders(headers: Record<string, string | string[]>, wanted: readonly string[]): string {
  const parts: string[] = []
  for (const [name, value] of Object.entries(headers)) {
    if (!wanted.includes(name.toLowerCase())) continue
    parts.push(`${name}: ${printable(Array.isArray(value) ? value.join(', ') : value)}`)
  }
  return parts.length ? `  ${parts.join('  ')}` : ''
}

function cut(text: string, max: number): string {
  if (text.length <= max) return printable(text)
  return `${printable(text.slice(0, max))}… (+${text.length - max} characters; --json shows everything)`
}

/** A short string in JSON quotes (escapes included), cut at `max` characters. */
function quoted(text: string, max = BODY_PREVIEW): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text
  return printable(JSON.stringify(shown))
}

function bytes(n: number): string {
  return n === 1 ? '1 byte' : `${n} bytes`
}

// C0/C1 controls and DEL, and the bidi overrides that can make text read differently
// from what it is (CVE-2021-42574). Tabs stay: they are harmless and common.
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r' }

/** Text safe to print on one terminal line: line breaks and controls shown as escapes. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
