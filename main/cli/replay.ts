// `rti replay FILE`: re-sends a recording's client side as a new session — to the
// recorded endpoint or --to another — printing every frame as `rti connect` does, and
// recording the run (into the data folder, or --out) so it can be diffed with the first.
import { homedir } from 'node:os'
import type { Frame, FrameBatch } from '../contract/index.js'
import { defaultDataDir } from '../library/index.js'
import { RecordingError } from '../recording/read-recording.js'
import { recordingsDirOf } from '../recording/recordings-library.js'
import { loadResendPlan, ResendError, type ResendPlan } from '../replay/resend-plan.js'
import { startResend } from '../replay/resend.js'
import { SessionManager } from '../session/session-manager.js'
import { CliError, EXIT, printError, printWarning, type ExitCode } from './errors.js'
import { formatFrame, shouldColor } from './format-frame.js'

export interface ReplayCommandOptions {
  to?: string
  speed: number | 'max'
  afterServerMessage: boolean
  /** Record the run to this file (never over an existing one); unset: a new file in the data folder. */
  out?: string
  json: boolean
}

/** The most frames carried per batch: --json prints every frame. */
const MAX_FRAMES_PER_BATCH = 100_000

export async function runReplay(path: string, options: ReplayCommandOptions): Promise<ExitCode> {
  let plan: ResendPlan
  try {
    plan = await loadResendPlan(path, { to: options.to })
  } catch (error) {
    if (error instanceof RecordingError || error instanceof ResendError) throw new CliError(`${error.code}: ${error.message}`, EXIT.USAGE)
    throw error
  }
  for (const problem of plan.problems.slice(0, 5)) printWarning(problem.message)
  if (plan.omitted.length > 0) printWarning(`the recording kept no secrets; sent without: ${plan.omitted.join(', ')}`)
  if (plan.technique === 'websocket' && plan.steps.length === 0) printWarning(`${path} holds no message the client sent: the connection is only opened again`)

  const manager = new SessionManager({ net: {}, recordingsDir: recordingsDirOf(defaultDataDir(process.env, homedir())) })
  const started = startResend(manager, plan, { speed: options.speed, afterServerMessage: options.afterServerMessage }, options.out ? { recordTo: { path: options.out, exclusive: true } } : {})
  if (!started.ok) {
    await manager.dispose()
    throw new CliError(started.error.message, EXIT.USAGE)
  }
  const { session } = started.value
  const failed = session.info().recording?.stopped
  if (failed) {
    await manager.dispose()
    throw new CliError(/EEXIST/.test(failed) ? `${options.out} already exists; choose another file` : failed.replace(/; the session goes on unrecorded$/, ''), EXIT.USAGE)
  }

  const color = shouldColor(process.stdout)
  let wasOpen = false
  let lastError: Frame | undefined
  const onBatch = (batch: FrameBatch) => {
    if (batch.skipped > 0) printWarning(`${batch.skipped} messages arrived faster than they could be printed and were skipped (the recording has them)`)
    const lines: string[] = []
    for (const frame of batch.frames) {
      if (frame.kind === 'open') wasOpen = true
      if (frame.kind === 'error') lastError = frame
      if (!options.json && frame.kind === 'chunk') continue
      lines.push(options.json ? JSON.stringify(frame) : formatFrame(frame, { color }))
    }
    if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n')
  }
  const unsubscribe = session.subscribe(onBatch, MAX_FRAMES_PER_BATCH)
  process.stderr.write(`rti: re-sending ${path} (${describe(plan, options)}) to ${plan.spec.url}\n`)

  let interrupts = 0
  const onSignal = () => {
    if (++interrupts > 1) process.exit(EXIT.INTERRUPTED)
    session.close()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  await session.ended
  unsubscribe()
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  await manager.dispose()
  const recording = session.info().recording
  if (recording) process.stderr.write(`rti: recorded ${recording.frames.toLocaleString('en-US')} frames → ${recording.path}\n`)
  if (!wasOpen) {
    if (recording?.stopped) printWarning(recording.stopped)
    printError(`cannot connect to ${plan.spec.url}${lastError?.kind === 'error' ? `: ${lastError.message} (${lastError.code})` : ''}`)
    return EXIT.CONNECT_FAILED
  }
  // The file lacks what came after the stop: a script (rti diff next) must not take it as whole.
  if (recording?.stopped) {
    printError(`the recording is incomplete: ${recording.stopped.replace(/^recording stopped: /, '')}`)
    return EXIT.RECORDING_STOPPED
  }
  return EXIT.OK
}

function describe(plan: ResendPlan, options: ReplayCommandOptions): string {
  const pace = options.speed === 'max' ? 'as fast as possible' : options.speed === 1 ? 'at the recorded pace' : `at ${options.speed}×`
  if (plan.technique !== 'websocket') return `${plan.technique}, until ${plan.expected.count} ${plan.expected.what} came back`
  return `${plan.steps.length} messages ${pace}${options.afterServerMessage ? ', each after the server messages before it' : ''}`
}
