// Re-send (issue #5, replay 2): a recording's client side sent again as a new live
// session of the SessionManager — listed, subscribed and recorded like any other —
// to the recorded endpoint or another one of the same technique. WebSocket messages
// go out at their recorded times after open (scaled by a speed) or as fast as
// possible; the HTTP techniques make their requests themselves, and a re-send lets
// them run until as much came back as in the recording.
import { performance } from 'node:perf_hooks'
import { fail, ok, type ConnectionSpec, type Frame, type FrameBatch, type Result } from '../contract/index.js'
import type { OpenOptions, SessionManager } from '../session/session-manager.js'
import type { Session } from '../session/session.js'
import type { ResendPlan, ResendStep } from './resend-plan.js'

export interface ResendOptions {
  /** 2 sends twice as fast; 'max' sends everything at once. Default 1. */
  speed?: number | 'max'
  /** WebSocket: each message waits for as many server messages as preceded it in the recording. */
  afterServerMessage?: boolean
}

/** At 'max' speed, how long answers may take after the last message before the re-send closes. */
export const SETTLE_MS = 1000
/** Past the recorded end, how long a connection the server ended in the recording is left to end again. */
export const GRACE_MS = 2000
/** Polling's interval scaled by the speed never goes below this. */
const MIN_POLL_INTERVAL_MS = 10

export interface Resend {
  session: Session
  plan: ResendPlan
}

/** Opens the re-sent session and drives it; the session ends itself or is closed when the recorded run is reproduced. */
export function startResend(manager: SessionManager, plan: ResendPlan, options: ResendOptions = {}, openOptions: OpenOptions = {}): Result<Resend> {
  const speed = options.speed ?? 1
  const perfBefore = performance.now()
  const opened = manager.open(scaledSpec(plan.spec, speed), openOptions)
  if (!opened.ok) return fail(opened.error.code, opened.error.message)
  const session = opened.value
  // Frame times are the session's clock (epoch ms, read first when it was made): on this clock they map to performance.now().
  const toPerf = (time: number) => time - session.startedAt + perfBefore
  drive(session, plan, speed, options.afterServerMessage === true, toPerf, perfBefore)
  return ok({ session, plan })
}

function scaledSpec(spec: ConnectionSpec, speed: number | 'max'): ConnectionSpec {
  if (spec.technique !== 'polling' || speed === 1) return spec
  const scale = (ms: number) => (speed === 'max' ? 0 : Math.round(ms / speed))
  return { ...spec, polling: { ...spec.polling, intervalMs: Math.max(MIN_POLL_INTERVAL_MS, scale(spec.polling.intervalMs)), jitterMs: scale(spec.polling.jitterMs) } }
}

function drive(session: Session, plan: ResendPlan, speed: number | 'max', gated: boolean, toPerf: (time: number) => number, startedPerf: number): void {
  const { steps, end, expected } = plan
  /** origins[0]: when the connection opened; origins[k]: when the k-th server message came. */
  const origins: number[] = []
  let next = 0
  let received = 0
  let lastSend: number | undefined
  let timer: NodeJS.Timeout | undefined
  let finished = false
  const websocket = plan.technique === 'websocket'

  const dueAt = (step: Pick<ResendStep, 'at' | 'gate' | 'gateAt'>): number | undefined => {
    const origin = gated ? origins[step.gate] : origins[0]
    if (origin === undefined) return undefined
    if (speed === 'max') return origin
    return origin + (gated ? step.at - step.gateAt : step.at) / speed
  }

  const finish = () => {
    if (finished) return
    finished = true
    if (timer) clearTimeout(timer)
    timer = undefined
    const code = end?.by === 'client' ? end.code : undefined
    session.close(code, end?.by === 'client' ? end.reason : undefined)
  }

  const schedule = (at: number) => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(pump, Math.max(0, at - performance.now()))
  }

  /** Once every message is out: when the run is over, as the recording's was. */
  const endAt = (): number | undefined => {
    const open = origins[0]!
    const settled = (lastSend ?? open) + SETTLE_MS
    if (speed === 'max') {
      if (end?.by === 'server') return Math.max(settled, open + end.at + GRACE_MS)
      return received >= expected.count ? performance.now() : settled
    }
    if (end?.by === 'client') return dueAt(end)
    // The server's own timing is not scaled: a server that ended it is given its recorded time at least.
    if (end?.by === 'server') return Math.max(settled, open + end.at * Math.max(1, 1 / speed) + GRACE_MS)
    return received >= expected.count ? performance.now() : settled
  }

  function pump(): void {
    timer = undefined
    if (finished || origins.length === 0) return
    while (next < steps.length) {
      const due = dueAt(steps[next]!)
      if (due === undefined) return // waits for a server message
      if (due - performance.now() > 0.5) return schedule(due)
      const sent = session.send(steps[next++]!.message)
      lastSend = performance.now()
      if (!sent.ok) return finish()
    }
    const over = endAt()
    if (over === undefined) return
    if (over - performance.now() > 0.5) return schedule(over)
    finish()
  }

  const counted = (frame: Frame) =>
    expected.what === 'responses' ? frame.kind === 'response' : expected.what === 'events' ? frame.kind === 'event' : frame.kind === 'message' && frame.direction === 'in'

  const onBatch = (batch: FrameBatch) => {
    let responses = 0
    for (const frame of batch.frames) {
      if (frame.kind === 'open' && origins.length === 0) origins.push(toPerf(frame.time))
      else if (websocket && frame.kind === 'message' && frame.direction === 'in' && origins.length > 0) origins.push(toPerf(frame.time))
      if (expected.what === 'responses' && counted(frame)) responses++
    }
    // Messages a flood made the batch skip still count; they are taken to have come now.
    if (websocket) while (origins.length > 0 && origins.length - 1 < batch.stats.messagesIn) origins.push(performance.now())
    received = expected.what === 'responses' ? received + responses : batch.stats.messagesIn
    if (batch.state === 'closed' || batch.state === 'failed') return stop()
    if (websocket) {
      // Waiting only for the end: an answer may be the last one expected.
      if (origins.length > 0 && (!timer || next >= steps.length)) {
        if (timer) clearTimeout(timer)
        pump()
      }
    } else if (expected.count > 0 && received >= expected.count) {
      finish()
    }
  }

  // Filled once subscribed: a session that ended at once delivers its last batch inside subscribe.
  const subscription = { stop: () => {} }
  // The HTTP techniques' own timing decides; a deadline ends a run that never gets as far as the recording.
  const deadline = websocket ? undefined : setTimeout(finish, plan.durationMs * (speed === 'max' ? 1 : Math.max(1, 1 / speed)) + GRACE_MS - (performance.now() - startedPerf))
  function stop(): void {
    finished = true
    if (timer) clearTimeout(timer)
    clearTimeout(deadline)
    subscription.stop()
  }
  subscription.stop = session.subscribe(onBatch)
  void session.ended.then(stop)
}
