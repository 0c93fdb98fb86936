// Long-running commands (`playground`, `serve`) run until Ctrl+C or SIGTERM, then
// close what they started. A second Ctrl+C means "now": exit without waiting.
import { EXIT } from './errors.js'

/** Resolves on the first SIGINT or SIGTERM; a second one exits the process at once. */
export function untilInterrupted(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = 0
    const onSignal = (signal: NodeJS.Signals) => {
      received++
      if (received > 1) process.exit(EXIT.INTERRUPTED)
      resolve(signal)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}

/** A port flag's value, or a readable reason why a server could not listen on it. */
export function listenProblem(error: unknown, host: string, port: number | undefined): string {
  const code = (error as NodeJS.ErrnoException | null)?.code
  const where = `${host}:${port ?? 0}`
  if (code === 'EADDRINUSE') return `cannot listen on ${where}: the port is already in use (try --port 0 for a free one)`
  if (code === 'EACCES') return `cannot listen on ${where}: permission denied (ports below 1024 need privileges)`
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on ${where}: this machine has no such address`
  return `cannot listen on ${where}: ${error instanceof Error ? error.message : String(error)}`
}
