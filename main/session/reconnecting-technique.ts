// The reconnect policy, for every technique alike: one technique instance per
// attempt; when an attempt ends, wait (exponential backoff with jitter, or the
// server's SSE `retry`), say so with a `reconnect` frame, and try again — unless
// the user closed, the policy is off, the answer forbids it, or attempts ran out.
// No wait is shorter than the request floor (request-floor.ts): a `retry: 0` or an
// initialDelayMs of 0 is raised to it, and said once.
import { defaultInitialDelayMs, reconnectsByDefault, type ConnectionSpec, type OutgoingMessage, type Result, type SessionState } from '../contract/index.js'
import { fail } from '../contract/index.js'
import type { ReconnectHint, TechniqueSink } from '../frames/sink.js'
import type { NetContext } from '../net/proxy.js'
import { requestFloorMs } from '../techniques/request-floor.js'
import type { AttemptContext, Technique, TechniqueFactory } from '../techniques/technique.js'

/** An attempt that ends sooner than this after it started ended "at once". */
const QUICK_END_MS = 1000

export function withReconnect(createAttempt: TechniqueFactory, random: () => number = Math.random): TechniqueFactory {
  return (spec, sink, first) => new ReconnectingTechnique(spec, sink, createAttempt, first.net, random)
}

/** The delay before reconnect attempt after `failures` consecutive failures (≥ 1). */
export function backoffDelay(policy: ConnectionSpec['reconnect'], failures: number, baseMs: number, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, baseMs * policy.multiplier ** Math.max(0, failures - 1))
  return Math.round(exponential * (1 + policy.jitter * random()))
}

class ReconnectingTechnique implements Technique {
  private current: Technique | undefined
  private attemptNumber = 0
  /** Attempts in a row that never opened. */
  private failures = 0
  private openedThisAttempt = false
  private hints: ReconnectHint = {}
  private userClosed = false
  private disposed = false
  private timer: NodeJS.Timeout | undefined
  private readonly enabled: boolean
  private floorSaid = false
  private attemptStartedAt = 0
  /** Attempts in a row that ended within a second, whether they opened or not. */
  private quickEnds = 0
  /** Reading is paused (back-pressure): every attempt starts paused until resumed. */
  private paused = false

  constructor(
    private readonly spec: ConnectionSpec,
    private readonly sink: TechniqueSink,
    private readonly createAttempt: TechniqueFactory,
    private readonly net: NetContext,
    private readonly random: () => number,
  ) {
    this.enabled = spec.reconnect.enabled ?? reconnectsByDefault(spec.technique)
  }

  start(): void {
    this.startAttempt()
  }

  send(message: OutgoingMessage): Result<void> {
    if (!this.current) return fail('E_NOT_OPEN', 'not connected (waiting to reconnect)')
    return this.current.send(message)
  }

  close(code?: number, reason?: string): void {
    this.userClosed = true
    if (this.timer) {
      // Between attempts there is no connection to close: just stop trying.
      clearTimeout(this.timer)
      this.timer = undefined
      this.sink.state('closed')
      return
    }
    this.current?.close(code, reason)
  }

  pause(): void {
    this.paused = true
    this.current?.pause?.()
  }

  resume(): void {
    this.paused = false
    this.current?.resume?.()
  }

  dispose(): void {
    this.disposed = true
    clearTimeout(this.timer)
    this.timer = undefined
    this.current?.dispose()
    this.current = undefined
  }

  private startAttempt(): void {
    this.attemptNumber++
    this.openedThisAttempt = false
    this.attemptStartedAt = this.sink.now()
    const attempt: AttemptContext = { number: this.attemptNumber, net: this.net, ...(this.hints.lastEventId !== undefined ? { lastEventId: this.hints.lastEventId } : {}) }
    this.current = this.createAttempt(this.spec, this.attemptSink(), attempt)
    if (this.paused) this.current.pause?.()
    this.current.start()
  }

  /** The session's sink, with the attempt's end intercepted. */
  private attemptSink(): TechniqueSink {
    return {
      frame: (body) => this.sink.frame(body),
      messageIn: (data, binary, decode) => this.sink.messageIn(data, binary, decode),
      chunkIn: (data, text) => this.sink.chunkIn(data, text),
      eventIn: (type, data, id, retry) => this.sink.eventIn(type, data, id, retry),
      eventsIn: (run) => this.sink.eventsIn(run),
      now: () => this.sink.now(),
      hint: (hint) => {
        this.hints = { ...this.hints, ...hint }
        this.sink.hint(hint)
      },
      protocolFacts: (facts) => this.sink.protocolFacts?.(facts),
      state: (state) => this.onAttemptState(state),
    }
  }

  private onAttemptState(state: SessionState): void {
    if (this.disposed) return
    if (state === 'open') {
      this.openedThisAttempt = true
      this.failures = 0
    }
    if (state !== 'closed' && state !== 'failed') return this.sink.state(state)
    this.current?.dispose()
    this.current = undefined
    if (!this.openedThisAttempt) this.failures++
    this.quickEnds = this.sink.now() - this.attemptStartedAt < QUICK_END_MS ? this.quickEnds + 1 : 0
    if (this.userClosed || !this.enabled || this.hints.reconnectable === false) return this.sink.state(state)
    const { maxAttempts } = this.spec.reconnect
    if (maxAttempts > 0 && this.failures >= maxAttempts) {
      this.sink.frame({ kind: 'error', direction: 'system', code: 'E_RECONNECT_GAVE_UP', message: `gave up after ${this.failures} failed attempts in a row` })
      return this.sink.state('failed')
    }
    const delayMs = this.delay()
    this.sink.frame({
      kind: 'reconnect',
      direction: 'system',
      attempt: this.attemptNumber + 1,
      delayMs,
      ...(this.hints.lastEventId !== undefined ? { lastEventId: this.hints.lastEventId } : {}),
    })
    this.sink.state('reconnecting')
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.startAttempt()
    }, delayMs)
  }

  /**
   * The policy's backoff, never below the floor. A wait asked for below it is raised
   * (and that said once); while attempts keep ending at once it doubles from there,
   * as an opened-then-ended stream resets the policy's own count of failures.
   */
  private delay(): number {
    const floor = requestFloorMs(this.spec)
    const base = this.hints.retryMs ?? this.spec.reconnect.initialDelayMs ?? defaultInitialDelayMs(this.spec.technique)
    const delayMs = backoffDelay(this.spec.reconnect, Math.max(1, this.failures), base, this.random)
    if (delayMs >= floor) return delayMs
    if (!this.floorSaid) {
      this.floorSaid = true
      const asked = this.hints.retryMs !== undefined ? `the server's \`retry: ${this.hints.retryMs}\`` : `a reconnect delay of ${delayMs} ms`
      this.sink.frame({ kind: 'error', direction: 'system', code: 'E_RECONNECT_FLOOR', message: `${asked} is below the ${floor} ms floor between connection attempts; waiting at least ${floor} ms instead, longer while connections keep ending at once (a debugging tool must not hammer the server)` })
    }
    return Math.min(floor * 2 ** Math.max(0, this.quickEnds - 1), Math.max(floor, this.spec.reconnect.maxDelayMs))
  }
}
