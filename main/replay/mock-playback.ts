// Plays a connection's steps at their recorded times, scaled by a speed. One timer
// at a time, each step scheduled only after the one before it ran: the order is the
// recording's even when several steps fall due in the same millisecond, and a long
// recording costs one timer, not one per step.
import { performance } from 'node:perf_hooks'
import type { Timing } from './mock-script.js'

export interface PlaybackOptions {
  /** 2 plays twice as fast; the recorded gaps are divided by it. */
  speed: number
  /** Each step waits for the client messages recorded before it. */
  afterClientMessage: boolean
}

export interface Playback {
  /** A client message arrived: steps that waited for it may now run. */
  clientMessage(): void
  /** Stops at once; nothing more is sent. */
  dispose(): void
}

/**
 * Runs `play` for each step when it is due: `at` ms (scaled) after `startedAt`, or
 * with `afterClientMessage` its recorded distance after the client message it waits
 * for. `done` runs after the last step.
 */
export function startPlayback<S extends Timing>(steps: readonly S[], options: PlaybackOptions, play: (step: S) => void, done: () => void = () => {}): Playback {
  const origins: number[] = [performance.now()]
  let next = 0
  let timer: NodeJS.Timeout | undefined
  let disposed = false

  const dueAt = (step: S): number | undefined => {
    if (!options.afterClientMessage) return origins[0]! + step.at / options.speed
    const origin = origins[step.gate]
    return origin === undefined ? undefined : origin + (step.at - step.gateAt) / options.speed
  }

  const pump = () => {
    timer = undefined
    while (!disposed && next < steps.length) {
      const due = dueAt(steps[next]!)
      if (due === undefined) return // waits for a client message
      const wait = due - performance.now()
      if (wait > 0.5) {
        timer = setTimeout(pump, wait)
        return
      }
      play(steps[next++]!)
    }
    if (!disposed && next >= steps.length) {
      disposed = true
      done()
    }
  }
  queueMicrotask(pump)

  return {
    clientMessage() {
      origins.push(performance.now())
      if (!timer && !disposed) pump()
    },
    dispose() {
      disposed = true
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}

/** Steps after the one at `index`, re-timed so that one is the new start (SSE resume). */
export function stepsAfter<S extends Timing>(steps: readonly S[], index: number): S[] {
  const from = steps[index]
  if (!from) return [...steps]
  return steps.slice(index + 1).map((step) => ({ ...step, at: Math.max(0, step.at - from.at), gateAt: Math.max(0, step.gateAt - from.at) }))
}
