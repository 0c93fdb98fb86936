// `rti connect <url>`: one session, every frame printed as it happens — one line per
// frame for people, or the DESIGN §2 frame objects as NDJSON with --json. Lines typed
// (or piped) on stdin are sent as text messages once the connection is open.
import { fstatSync } from 'node:fs'
import { createInterface, type Interface } from 'node:readline'
import { isatty } from 'node:tty'
import { ConnectionSpecSchema, urlProblem, type ConnectionSpecInput, type Frame, type FrameBatch, type FrameOf, type TechniqueName } from '../contract/index.js'
import { createEngine } from '../engine.js'
import { CliError, EXIT, printError, printWarning, usageError, type ExitCode } from './errors.js'
import { formatFrame, shouldColor } from './format-frame.js'

export interface ConnectOptions {
  technique: TechniqueName
  json: boolean
  header: string[]
  subprotocol: string[]
  send: string[]
  maxFrames?: number
  /** seconds */
  duration?: number
  deflate: boolean
  maxPayload?: number
}

/** The most frames the engine carries per batch; --json must print every frame. */
const MAX_FRAMES_PER_BATCH = 100_000
/** How long a polite close may take once rti decided to stop, before it drops the connection. */
const CLOSE_GRACE_MS = 2000

type StopReason = 'max-frames' | 'duration' | 'interrupt' | 'stdout-closed'

export async function runConnect(url: string, options: ConnectOptions): Promise<ExitCode> {
  const spec = buildSpec(url, options)
  const engine = await createEngine()
  const opened = engine.sessions.open(spec)
  if (!opened.ok) {
    await engine.close()
    // The spec was checked above, so what is left is a technique that is not there yet.
    throw new CliError(opened.error.message, opened.error.code === 'E_SESSION_LIMIT' ? EXIT.CONNECT_FAILED : EXIT.USAGE)
  }
  const session = opened.value
  const stdout = process.stdout
  const color = shouldColor(stdout)
  const outgoing = [...options.send]
  const maxFrames = options.maxFrames ?? Infinity

  let printed = 0
  let wasOpen = false
  let ended = false
  let stopReason: StopReason | undefined
  let lastError: FrameOf<'error'> | undefined
  let lastClose: FrameOf<'close'> | undefined
  let graceTimer: NodeJS.Timeout | undefined
  let stdoutBroken = false
  let hinted = false

  const write = (lines: string[]) => {
    if (lines.length === 0 || stdoutBroken) return
    stdout.write(lines.join('\n') + '\n')
  }

  const sendQueued = () => {
    while (outgoing.length > 0 && wasOpen && !ended && !stopReason) {
      const result = session.send({ type: 'text', data: outgoing.shift()! })
      if (!result.ok) printWarning(`not sent: ${result.error.message}`)
    }
  }

  const stop = (reason: StopReason) => {
    if (stopReason || ended) return
    stopReason = reason
    session.close()
    graceTimer = setTimeout(() => {
      if (ended) return
      printWarning(`the server did not finish the close within ${CLOSE_GRACE_MS / 1000} s; dropping the connection`)
      session.dispose()
    }, CLOSE_GRACE_MS)
  }

  const observe = (frame: Frame) => {
    if (frame.kind === 'open') wasOpen = true
    else if (frame.kind === 'error') lastError = frame
    else if (frame.kind === 'close') lastClose = frame
  }

  const onBatch = (batch: FrameBatch) => {
    if (batch.skipped > 0) printWarning(`${batch.skipped} messages arrived faster than they could be printed and were skipped`)
    const lines: string[] = []
    for (const frame of batch.frames) {
      observe(frame)
      if (printed >= maxFrames) continue
      lines.push(options.json ? JSON.stringify(frame) : formatFrame(frame, { color }))
      printed++
    }
    write(lines)
    if (wasOpen && !hinted) {
      hinted = true
      // Like wscat's "Connected": a person at a terminal learns how to talk and how to stop.
      if (!options.json && process.stdin.isTTY && process.stderr.isTTY) process.stderr.write(`${color ? '\u001b[2m' : ''}(type a line + Enter to send it; Ctrl+C to close)${color ? '\u001b[22m' : ''}\n`)
    }
    if (printed >= maxFrames) stop('max-frames')
    // Sending from inside a delivery would add frames to the batch being delivered.
    if (wasOpen && outgoing.length > 0) setImmediate(sendQueued)
  }

  stdout.on('error', (error: NodeJS.ErrnoException) => {
    // The reader went away (`rti connect … | head`): nothing left to print for.
    stdoutBroken = true
    if (error.code !== 'EPIPE') printWarning(`cannot write output: ${error.message}`)
    stop('stdout-closed')
  })

  const unsubscribe = session.subscribe(onBatch, MAX_FRAMES_PER_BATCH)
  const lines = readStdinLines((line) => {
    outgoing.push(line)
    sendQueued()
  })

  let interrupts = 0
  const onSignal = () => {
    interrupts++
    if (interrupts > 1) process.exit(EXIT.INTERRUPTED)
    if (process.stderr.isTTY && wasOpen) process.stderr.write('rti: closing… (press Ctrl+C again to quit at once)\n')
    stop('interrupt')
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const durationTimer = options.duration !== undefined ? setTimeout(() => stop('duration'), options.duration * 1000) : undefined

  const endState = await session.ended
  ended = true
  clearTimeout(durationTimer)
  clearTimeout(graceTimer)
  unsubscribe()
  lines?.close()
  process.stdin.destroy()
  await engine.close()
  await drain(stdout)
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)

  if (!wasOpen) {
    printError(stopReason ? notOpenedInTime(url, stopReason, options.duration) : connectFailure(url, lastError))
    return EXIT.CONNECT_FAILED
  }
  if (stopReason) return EXIT.OK
  if (lastClose && isDropped(lastClose)) {
    printError(`the connection dropped without a close frame (${lastClose.code}, cause=${lastClose.cause}, idle ${Math.round(lastClose.idleMs)} ms before)`)
    return EXIT.DROPPED
  }
  // Techniques that reconnect end `failed` when they give up after losing a connection.
  if (endState === 'failed') {
    printError(`the connection was lost and reconnecting failed${lastError ? `: ${lastError.message} (${lastError.code})` : ''}`)
    return EXIT.DROPPED
  }
  return EXIT.OK
}

/** 1006 means no close frame came; a reset can follow even a clean close. */
const isDropped = (close: FrameOf<'close'>) => close.code === 1006 || close.cause === 'reset'

function connectFailure(url: string, error: FrameOf<'error'> | undefined): string {
  if (!error) return `cannot connect to ${url}: the connection ended before it opened`
  const target = hostOf(url)
  const why: Record<string, string> = {
    E_CONNECT_REFUSED: `connection refused — nothing is listening on ${target}`,
    E_DNS: `cannot resolve the host "${new URL(url).hostname}"`,
    E_TLS: `TLS failed: ${error.message}`,
    E_TIMEOUT: `no answer in time: ${error.message}`,
    E_UNREACHABLE: `${target} is unreachable: ${error.message}`,
  }
  return `cannot connect to ${url}: ${why[error.code] ?? error.message} (${error.code})`
}

function notOpenedInTime(url: string, reason: StopReason, duration: number | undefined): string {
  if (reason === 'duration') return `cannot connect to ${url}: the connection did not open within --duration ${duration} s`
  return `stopped before the connection to ${url} opened`
}

function hostOf(url: string): string {
  try {
    const parsed = new URL(url)
    const port = parsed.port || (parsed.protocol === 'wss:' || parsed.protocol === 'https:' ? '443' : '80')
    return `${parsed.hostname}:${port}`
  } catch {
    return url
  }
}

/** The connection spec from the flags, or a usage error naming the flag that is wrong. */
export function buildSpec(url: string, options: ConnectOptions): ConnectionSpecInput {
  const problem = explainUrlProblem(url, options.technique)
  if (problem) throw usageError(problem)
  const spec: ConnectionSpecInput = {
    technique: options.technique,
    url,
    headers: options.header.map(parseHeader),
    websocket: {
      subprotocols: options.subprotocol,
      perMessageDeflate: options.deflate,
      ...(options.maxPayload !== undefined ? { maxPayload: options.maxPayload } : {}),
    },
  }
  const parsed = ConnectionSpecSchema.safeParse(spec)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw usageError(`${flagFor(issue.path, options)}: ${issue.message}`)
  }
  return spec
}

function flagFor(path: PropertyKey[], options: ConnectOptions): string {
  const [top, second, third] = path
  if (top === 'headers') return typeof second === 'number' ? `--header ${JSON.stringify(options.header[second])}` : '--header'
  if (top === 'websocket' && second === 'subprotocols') return typeof third === 'number' ? `--subprotocol ${JSON.stringify(options.subprotocol[third])}` : '--subprotocol'
  if (top === 'websocket' && second === 'maxPayload') return '--max-payload'
  return path.join('.') || 'connection'
}

/** "Name: value" → a header; the value may be empty, the name may not. */
export function parseHeader(text: string): { name: string; value: string } {
  const colon = text.indexOf(':')
  const name = colon > 0 ? text.slice(0, colon).trim() : ''
  if (!name) throw usageError(`--header ${JSON.stringify(text)} is not of the form "Name: value"`)
  return { name, value: text.slice(colon + 1).trim() }
}

/** Why `url` cannot be used, with a guess at what was meant; undefined when it can. */
export function explainUrlProblem(url: string, technique: TechniqueName): string | undefined {
  const problem = urlProblem(url, technique)
  if (!problem) return undefined
  const shown = JSON.stringify(url.length > 200 ? `${url.slice(0, 200)}…` : url)
  const schemes = technique === 'websocket' ? 'ws:// or wss://' : 'http:// or https://'
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase()
  if (!scheme) return `${shown} is not a valid URL for ${technique} (needs ${schemes}; did you mean "${technique === 'websocket' ? 'ws' : 'http'}://${url}"?)`
  const wanted = technique === 'websocket' ? { http: 'ws', https: 'wss' }[scheme] : { ws: 'http', wss: 'https' }[scheme]
  if (wanted) return `${shown} is not a valid URL for ${technique} (needs ${schemes}; did you mean "${wanted}${url.slice(scheme.length)}"?)`
  if (problem.startsWith('"')) return problem
  if (problem.includes(' needs a ')) return `${shown} is not a valid URL for ${technique} (needs ${schemes})`
  return `${shown}: ${problem}`
}

/**
 * Lines from stdin, when stdin is something a person or a script writes to (a
 * terminal, a pipe, a file). End of input does not close the connection: replies
 * keep coming until --duration, --max-frames, the server or Ctrl+C ends it.
 */
function readStdinLines(onLine: (line: string) => void): Interface | undefined {
  if (!stdinIsReadable()) return undefined
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
  // An empty line is usually a person making room on the screen, not a message.
  lines.on('line', (line) => {
    if (line.length > 0) onLine(line)
  })
  return lines
}

/** A terminal, a pipe, a file or a socket; not /dev/null or a closed descriptor. */
function stdinIsReadable(): boolean {
  try {
    const stat = fstatSync(0)
    return isatty(0) || stat.isFIFO() || stat.isFile() || stat.isSocket()
  } catch {
    return false
  }
}

/** Resolves once everything written so far has been handed to the OS (or the reader is gone). */
function drain(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 2000)
    stream.write('', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}
