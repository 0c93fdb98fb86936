// `rti mock <recording>`: serves the server side of a recording until Ctrl+C, so a
// client under development can be debugged against exactly what a server sent.
import { guardProcess, stderrReporter } from '../api-guard.js'
import { RecordingError } from '../recording/read-recording.js'
import { OriginError } from '../replay/mock-access.js'
import { MockError, startMockServer, type MockServer } from '../replay/mock-server.js'
import { CliError, EXIT, printWarning, type ExitCode } from './errors.js'
import { listenProblem, untilInterrupted } from './signals.js'

export interface MockCommandOptions {
  port: number
  host: string
  speed: number
  afterClientMessage: boolean
  /** Origins of web pages allowed besides loopback ones. */
  allowOrigins?: string[]
}

export async function runMock(path: string, options: MockCommandOptions): Promise<ExitCode> {
  const interrupted = untilInterrupted()
  // A fault that escapes every call (thrown later from a timer or a socket event) is
  // reported, not the end of the mock under a client being debugged against it.
  guardProcess(stderrReporter())
  let server: MockServer
  try {
    server = await startMockServer(path, options)
  } catch (error) {
    // A file that cannot be served is bad input, like a bad flag; a port that cannot be had is not.
    if (error instanceof RecordingError || error instanceof MockError || error instanceof OriginError) throw new CliError(`${error.code}: ${error.message}`, EXIT.USAGE)
    throw new CliError(listenProblem(error, options.host, options.port), EXIT.CONNECT_FAILED)
  }
  for (const problem of server.problems.slice(0, 5)) printWarning(problem.message)
  if (server.problems.length > 5) printWarning(`${server.problems.length - 5} more lines of the recording could not be read`)
  process.stdout.write(`Mock ${server.technique} server for ${path} on ${server.url}\n`)
  const pages = ['loopback origins', ...(options.allowOrigins ?? [])].join(', ')
  process.stderr.write(`Any path is answered; each connection replays the recording from its start. Web pages allowed: ${pages}. Press Ctrl+C to stop.\n`)
  await interrupted
  await server.close()
  return EXIT.OK
}
