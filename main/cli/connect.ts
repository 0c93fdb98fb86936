// `rti connect <url>`: one session, every frame printed as it happens — one line per
// frame for people, or the docs/architecture.md ("The frame model") frame objects as NDJSON with --json. Lines typed
// (or piped) on stdin are sent as text messages once the connection is open.
import { fstatSync } from 'node:fs'
import { createInterface, type Interface } from 'node:readline'
import { isatty } from 'node:tty'
import { errorCodeEntry, formatBytes, packetsOf, type Frame, type FrameBatch, type FrameOf, type OutgoingMessage } from '../contract/index.js'
import type { ConnectFlags } from './connect-options.js'
import { buildSpec } from './connect-spec.js'
import { CliError, EXIT, printError, printHint, printWarning, type ExitCode } from './errors.js'
import { formatFrame, shouldColor } from './format-frame.js'
import { protocolOfSubprotocol } from '../protocols/detect.js'

/** The most frames the engine carries per batch; --json must print every frame. */
const MAX_FRAMES_PER_BATCH = 100_000
/** How long a polite close may take once rti decided to stop, before it drops the connection. */
const CLOSE_GRACE_MS = 2000

type StopReason = 'max-frames' | 'duration' | 'interrupt' | 'stdout-closed'

/** `rti record` and `rti connect --record`: every frame also goes to a recording file. */
export interface RecordTo {
  path: string
  /** Replace the file if it exists (otherwise an existing file is refused). */
  force: boolean
  maxBytes?: number
  /** Print no frames, only a progress line (on a terminal) and the summary. */
  quiet: boolean
}

export async function runConnect(url: string, options: ConnectFlags, record?: RecordTo): Promise<ExitCode> {
  const { spec, warnings, outgoing: typed } = buildSpec(url, options)
  for (const warning of warnings) printWarning(warning)
  if (record?.maxBytes !== undefined) spec.record = { enabled: true, maxBytes: record.maxBytes }
  // Loaded only now: a usage error should not wait for every technique to load. Only
  // the sessions, not the whole engine (playground, library, mocks, probes): one
  // session needs nothing else, and `rti connect` in a loop should start fast.
  const { SessionManager } = await import('../session/session-manager.js')
  const sessions = new SessionManager({ net: {} })
  const opened = sessions.open(spec, record ? { recordTo: { path: record.path, exclusive: !record.force } } : {})
  if (!opened.ok) {
    await sessions.dispose()
    // The spec was checked above, so what is left is a technique that is not there yet.
    throw new CliError(opened.error.message, opened.error.code === 'E_SESSION_LIMIT' ? EXIT.CONNECT_FAILED : EXIT.USAGE)
  }
  const session = opened.value
  const recordingFailed = session.info().recording?.stopped
  if (record && recordingFailed) {
    await sessions.dispose()
    const exists = /EEXIST/.test(recordingFailed)
    throw new CliError(exists ? `${record.path} already exists; choose another file or add --force to replace it` : recordingFailed.replace(/; the session goes on unrecorded$/, ''), EXIT.USAGE)
  }
  const progress = record ? startProgress(session, record) : undefined
  const stdout = process.stdout
  const color = shouldColor(stdout)
  const outgoing: OutgoingMessage[] = [...typed]
  const json = options.json === true
  // Raw chunks repeat what the events or messages already show; a person may not want both.
  const hidden = (frame: Frame) => !json && !options.chunks && frame.kind === 'chunk'
  const quiet = record?.quiet === true
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
      const result = session.send(outgoing.shift()!)
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

  // Under auto, a protocol seen on the wire is decoded; driving it needs it chosen. Said once, after the frames that showed it.
  let protocolHinted = spec.protocol?.name !== undefined && spec.protocol.name !== 'auto'
  let protocolHint: string | undefined
  const observe = (frame: Frame) => {
    if (!protocolHinted) {
      const seen = frame.kind === 'open' ? protocolOfSubprotocol(frame.protocol) : (frame.kind === 'message' || frame.kind === 'event') && frame.decoded !== undefined ? packetsOf(frame.decoded)[0]?.protocol : undefined
      const name = seen === 'engine.io' ? 'socket.io' : seen
      if (name) {
        protocolHinted = true
        protocolHint = `looks like ${name}: decoding it; add --protocol ${name} to let rti answer its handshake and heartbeats`
      }
    }
    if (frame.kind === 'open') wasOpen = true
    // Giving up says only that; the error before it says why.
    else if (frame.kind === 'error') lastError = frame.code === 'E_RECONNECT_GAVE_UP' && lastError ? lastError : frame
    else if (frame.kind === 'close') lastClose = frame
  }

  const onBatch = (batch: FrameBatch) => {
    if (batch.skipped > 0 && !quiet) printWarning(`${batch.skipped} messages arrived faster than they could be printed and were skipped${record ? ' (the recording has them)' : ''}`)
    const lines: string[] = []
    for (const frame of batch.frames) {
      observe(frame)
      if (printed >= maxFrames || hidden(frame)) continue
      if (!quiet) lines.push(json ? JSON.stringify(frame) : formatFrame(frame, { color }))
      printed++
    }
    write(lines)
    if (protocolHint) {
      printHint(protocolHint)
      protocolHint = undefined
    }
    if (wasOpen && !hinted) {
      hinted = true
      // Like wscat's "Connected": a person at a terminal learns how to talk and how to stop.
      // Only a WebSocket carries messages from us; the HTTP techniques only listen.
      const hint = spec.technique === 'websocket' ? 'type a line + Enter to send it; Ctrl+C to close' : 'Ctrl+C to close'
      if (!json && process.stdin.isTTY && process.stderr.isTTY) process.stderr.write(`${color ? '\u001b[2m' : ''}(${hint})${color ? '\u001b[22m' : ''}\n`)
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
    outgoing.push({ type: 'text', data: line })
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
  // Closing the sessions writes the rest of the recording and closes its file.
  await sessions.dispose()
  progress?.stop()
  await drain(stdout)
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)

  if (!wasOpen) {
    printError(stopReason ? notOpenedInTime(url, stopReason, options.duration) : connectFailure(url, lastError))
    return EXIT.CONNECT_FAILED
  }
  // The file lacks what came after the stop: a script must not take it as whole.
  const recordingStopped = record ? session.info().recording?.stopped : undefined
  if (recordingStopped) {
    printError(`the recording is incomplete: ${recordingStopped.replace(/^recording stopped: /, '')}`)
    return EXIT.RECORDING_STOPPED
  }
  if (stopReason) return EXIT.OK
  if (lastClose && isDropped(lastClose)) {
    printError(droppedMessage(lastClose))
    return EXIT.DROPPED
  }
  // Techniques that reconnect end `failed` when they give up after losing a connection.
  if (endState === 'failed') {
    printError(`the connection was lost and reconnecting failed${lastError ? `: ${lastError.message} (${lastError.code})` : ''}`)
    return EXIT.DROPPED
  }
  return EXIT.OK
}

/**
 * On a terminal, one line on stderr rewritten twice a second: what is recorded so far.
 * At the end, always, a summary line (stderr, so --json output stays clean).
 */
function startProgress(session: { info(): { recording?: { path: string; bytes: number; frames: number; stopped?: string } } }, record: RecordTo): { stop(): void } {
  const tty = record.quiet && process.stderr.isTTY
  const describe = () => {
    const recording = session.info().recording!
    return `${recording.frames.toLocaleString('en-US')} frames, ${formatBytes(recording.bytes)} → ${recording.path}`
  }
  const timer = tty ? setInterval(() => process.stderr.write(`\r\u001b[2Krecording: ${describe()}`), 500) : undefined
  return {
    stop() {
      clearInterval(timer)
      if (tty) process.stderr.write('\r\u001b[2K')
      const stopped = session.info().recording!.stopped
      if (stopped) printWarning(stopped)
      process.stderr.write(`rti: recorded ${describe()}\n`)
    },
  }
}


/**
 * 1006 means no close frame came; a reset can follow even a clean close. HTTP has no
 * close frame (code 0): there a body cut short (FIN) or gone silent is the drop.
 */
const isDropped = (close: FrameOf<'close'>) =>
  close.code === 1006 || close.cause === 'reset' || (close.code === 0 && !close.wasClean && (close.cause === 'fin' || close.cause === 'timeout'))

function droppedMessage(close: FrameOf<'close'>): string {
  const idle = `idle ${Math.round(close.idleMs)} ms before`
  if (close.code !== 0) return `the connection dropped without a close frame (${close.code}, cause=${close.cause}, ${idle})`
  return `the response was cut off before it ended: ${close.reason || close.cause} (cause=${close.cause}, ${idle})`
}

function connectFailure(url: string, error: FrameOf<'error'> | undefined): string {
  if (!error) return `cannot connect to ${url}: the connection ended before it opened`
  const target = hostOf(url)
  // Where the host or the remedy says more than the catalogue's words.
  const why: Record<string, string> = {
    E_CONNECT_REFUSED: `connection refused — nothing is listening on ${target}`,
    E_DNS: `cannot resolve the host "${new URL(url).hostname}"`,
    E_UNREACHABLE: `${target} is unreachable: ${error.message}`,
    E_PROXY_AUTH: `the proxy wants credentials (put them in --proxy http://user:password@host:port): ${error.message}`,
  }
  return `cannot connect to ${url}: ${why[error.code] ?? explained(error)} (${error.code})`
}

/**
 * Network and TLS failures carry Node's terse text ("connect ETIMEDOUT …"): the
 * catalogue's words go first. Every other code's message is already our own sentence.
 */
function explained(error: FrameOf<'error'>): string {
  const entry = errorCodeEntry(error.code)
  if (!entry || (entry.area !== 'network' && entry.area !== 'tls')) return error.message
  return `${entry.words.charAt(0).toLowerCase()}${entry.words.slice(1, -1)}: ${error.message}`
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
