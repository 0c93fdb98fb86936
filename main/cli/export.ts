// `rti export FILE`: a recording as HAR 1.2, as NDJSON of its messages, or copied.
// Bad input (not a recording, an existing output) is one line and exit 1.
import { exportHar } from '../recording/har-export.js'
import { HarImportError } from '../recording/har-import.js'
import { OutFileError } from '../recording/har-out-file.js'
import { copyRecording, exportMessagesNdjson } from '../recording/ndjson-export.js'
import { RecordingError, type RecordingProblem } from '../recording/read-recording.js'
import { CliError, EXIT, printWarning, usageError } from './errors.js'

export interface ExportFlags {
  har?: string
  ndjson?: string
  copy?: string
  includeSecrets?: boolean
}

export async function runExport(file: string, flags: ExportFlags): Promise<number> {
  const targets = (['har', 'ndjson', 'copy'] as const).filter((kind) => flags[kind] !== undefined)
  if (targets.length !== 1) throw usageError(targets.length === 0 ? 'say what to export to: --har OUT, --ndjson OUT or --copy OUT' : `export to one of --har, --ndjson or --copy at a time, not ${targets.map((t) => `--${t}`).join(' and ')}`)
  if (flags.includeSecrets && !flags.har) throw usageError('--include-secrets goes with --har (NDJSON holds messages only; a copy is the recording as it is)')
  try {
    if (flags.har) {
      const summary = await exportHar(file, flags.har, { includeSecrets: flags.includeSecrets === true })
      warnProblems(summary.problems)
      for (const line of summary.truncated) printWarning(line)
      const secrets = flags.includeSecrets ? 'secrets kept (--include-secrets)' : `${summary.redacted} secret${summary.redacted === 1 ? '' : 's'} redacted (--include-secrets keeps them)`
      process.stdout.write(`wrote ${flags.har}: HAR 1.2, ${summary.entries} entr${summary.entries === 1 ? 'y' : 'ies'}, ${summary.messages} message${summary.messages === 1 ? '' : 's'}, ${secrets}\n`)
    } else if (flags.ndjson) {
      const summary = await exportMessagesNdjson(file, flags.ndjson)
      warnProblems(summary.problems)
      process.stdout.write(`wrote ${flags.ndjson}: ${summary.messages} message${summary.messages === 1 ? '' : 's'}, one JSON frame a line\n`)
    } else if (flags.copy) {
      await copyRecording(file, flags.copy)
      process.stdout.write(`wrote ${flags.copy}: a copy of ${file}\n`)
    }
  } catch (error) {
    throw asCliError(error)
  }
  return EXIT.OK
}

/** A recording's skipped lines are worth knowing, but a few say enough. */
export function warnProblems(problems: RecordingProblem[]): void {
  for (const problem of problems.slice(0, 5)) printWarning(problem.message)
  if (problems.length > 5) printWarning(`${problems.length - 5} more lines of the recording were skipped`)
}

const CANNOT_READ_OR_WRITE = new Set(['E_RECORDING_UNREADABLE', 'E_HAR_UNREADABLE', 'E_EXPORT_WRITE'])

/**
 * A file that cannot be read or written ends with exit 1; one the user should not have
 * given (not a recording, a bad HAR, an output that exists) with 2, as for `rti mock`.
 */
export function asCliError(error: unknown): unknown {
  if (error instanceof RecordingError || error instanceof OutFileError || error instanceof HarImportError) {
    return new CliError(`${error.message} [${error.code}]`, CANNOT_READ_OR_WRITE.has(error.code) ? EXIT.CONNECT_FAILED : EXIT.USAGE)
  }
  return error
}
