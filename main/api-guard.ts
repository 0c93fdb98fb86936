// The engine's safety net. Whatever a file, a page or a server sends, a fault in one
// API call must not take down the engine and every session beside it: the call
// answers an E_INTERNAL Result and the fault is reported (with its stack) where the
// host logs. The process-wide guard does the same for a fault that escapes every
// call, thrown later from a timer or a stream event, which no try/catch can reach.
import { API_METHOD_NAMES, describeFault, fail, type InspectorApi, type Result } from './contract/index.js'

/** Where a fault is reported: `where` names the API method, or the process. */
export type FaultReporter = (where: string, error: unknown) => void

/** Reports beyond this many are counted, not written: a fault in a loop must not flood the log. */
const MAX_REPORTS = 100

/** A reporter writing one block per fault to stderr (the terminal of `rti serve`, the desktop app's log). */
export function stderrReporter(write: (text: string) => void = (text) => process.stderr.write(text)): FaultReporter {
  let reports = 0
  return (where, error) => {
    reports++
    if (reports > MAX_REPORTS) {
      if (reports === MAX_REPORTS + 1) write(`rti: more internal errors follow; no longer reported one by one\n`)
      return
    }
    let stack: string | undefined
    try {
      stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : undefined
    } catch {
      stack = undefined
    }
    try {
      write(`rti: internal error in ${where} (the engine goes on): ${stack ?? describeFault(error)}\n`)
    } catch {
      // Nowhere to report to: the engine still goes on.
    }
  }
}

/**
 * Whether an error is an expected failure: the outside world's (a file, a port, the
 * network: Node's system errors carry a `syscall`) or one the engine raises on purpose
 * with an `E_…` code, rather than a fault of the engine's own (a TypeError, a
 * RangeError). A method's own handler answers the first kind with its codes and
 * rethrows the second to the guard, which reports it.
 */
export function isExpectedFailure(error: unknown): boolean {
  const { syscall, code } = (error ?? {}) as { syscall?: unknown; code?: unknown }
  return typeof syscall === 'string' || (typeof code === 'string' && /^E_[A-Z0-9_]+$/.test(code))
}

/** Rethrows a fault (see isExpectedFailure); used by a method's catch-all before it maps an error to its codes. */
export function rethrowFault(error: unknown): void {
  if (!isExpectedFailure(error)) throw error
}

/** A reporter that never throws, whatever the one given does. */
function safe(report: FaultReporter): FaultReporter {
  return (where, error) => {
    try {
      report(where, error)
    } catch {
      // A failing log must not turn a handled fault into an unhandled one.
    }
  }
}

/**
 * The API with every method wrapped: an exception thrown by it, or a promise it
 * returns that rejects, becomes an E_INTERNAL Result for that call and a report.
 */
export function guardApi<T extends InspectorApi>(api: T, reporter: FaultReporter): T {
  const report = safe(reporter)
  const guarded: T = { ...api }
  for (const method of API_METHOD_NAMES) {
    const call = api[method] as (argument: unknown) => Promise<Result<unknown>>
    ;(guarded as Record<string, unknown>)[method] = async (argument: unknown): Promise<Result<unknown>> => {
      try {
        return await call.call(api, argument)
      } catch (error) {
        report(method, error)
        return fail('E_INTERNAL', `${method} failed inside the engine: ${describeFault(error)} (the engine and its sessions go on)`)
      }
    }
  }
  return guarded
}

/**
 * For a host that runs the engine as its process (`rti serve`, `rti mock`, the desktop
 * app's main process): a fault that escapes
 * every call (an exception in a timer or an event handler, a rejection nobody
 * awaited) is reported instead of ending the process and every session with it.
 * Returns a function that removes the guard.
 */
export function guardProcess(reporter: FaultReporter): () => void {
  const report = safe(reporter)
  const onException = (error: unknown) => report('the engine process', error)
  const onRejection = (reason: unknown) => report('the engine process (a rejected promise)', reason)
  process.on('uncaughtException', onException)
  process.on('unhandledRejection', onRejection)
  return () => {
    process.off('uncaughtException', onException)
    process.off('unhandledRejection', onRejection)
  }
}
