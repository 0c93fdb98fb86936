// How `rti` fails: one line on stderr that says what went wrong, and an exit code a
// script can branch on. Every command ends through these, so the codes stay honest.

/** Exit codes are public: scripts branch on them (documented in `rti --help`). */
export const EXIT = {
  /** Ended normally: closed by either side with a close frame, or by rti itself (Ctrl+C, --duration, --max-frames). */
  OK: 0,
  /** The connection never opened: refused, DNS, TLS, a refused handshake, a timeout. */
  CONNECT_FAILED: 1,
  /** Bad command line: unknown flag, bad URL, bad header, unsupported technique. */
  USAGE: 2,
  /** The connection opened, then dropped without a close frame (1006: reset, FIN, timeout). */
  DROPPED: 3,
  /** A recording (`rti record`, `--record`, the run of `rti replay`) stopped before the session ended: size cap, a disk too slow, a write error. */
  RECORDING_STOPPED: 4,
  /** A second Ctrl+C: stopped at once, without waiting for a polite close. */
  INTERRUPTED: 130,
} as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** A failure the user caused or can fix; `rti` prints its message as one line and exits. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

export const usageError = (message: string): CliError => new CliError(message, EXIT.USAGE)

/**
 * One line, always: line breaks become spaces and terminal control characters are
 * dropped, because messages can quote what a server or a user sent.
 */
export function oneLine(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .trim()
}

export function printError(message: string): void {
  process.stderr.write(`rti: ${oneLine(message)}\n`)
}

/** A suggestion, not a problem: nothing went wrong. */
export function printHint(message: string): void {
  process.stderr.write(`rti: hint: ${oneLine(message)}\n`)
}

export function printWarning(message: string): void {
  process.stderr.write(`rti: warning: ${oneLine(message)}\n`)
}
