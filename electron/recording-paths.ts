// Recordings the OS asks the app to open: on Linux and Windows a file opened with the
// app arrives as a command-line argument; on macOS as an 'open-file' event, possibly
// before the window exists. Paths wait here until the page can take them.
import { RECORDING_EXTENSION } from '../main/contract/recording.js'

/** The recording files named on a command line (Electron's own flags and the app path are skipped). */
export function recordingPathsIn(argv: readonly string[]): string[] {
  return argv.slice(1).filter((arg) => !arg.startsWith('-') && arg.endsWith(RECORDING_EXTENSION))
}

/** Holds paths until a sender is ready, then delivers each once, in order. */
export class PendingRecordings {
  private queue: string[] = []
  private deliver: ((path: string) => void) | undefined

  add(path: string): void {
    if (this.deliver) this.deliver(path)
    else this.queue.push(path)
  }

  /** The page is ready: hand it everything that waited, and later paths at once. */
  ready(deliver: (path: string) => void): void {
    this.deliver = deliver
    for (const path of this.queue.splice(0)) deliver(path)
  }

  /** The page went away (reload, closed window): hold paths again. */
  unready(): void {
    this.deliver = undefined
  }
}
