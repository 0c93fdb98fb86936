// `rti playground`: the built-in demo server on its own, with its endpoints listed so
// they can be pasted into `rti connect` or any other client.
import { startPlayground, type Playground } from '../playground/index.js'
import { CliError, EXIT, type ExitCode } from './errors.js'
import { listenProblem, untilInterrupted } from './signals.js'

export interface PlaygroundCommandOptions {
  port: number
  host: string
  json: boolean
}

export async function runPlayground(options: PlaygroundCommandOptions): Promise<ExitCode> {
  // Listen for Ctrl+C before printing anything: whoever reads our output may signal at once,
  // and until a handler exists the OS default would kill us without cleaning up.
  const interrupted = untilInterrupted()
  let playground: Playground
  try {
    playground = await startPlayground({ port: options.port, host: options.host })
  } catch (error) {
    throw new CliError(listenProblem(error, options.host, options.port), EXIT.CONNECT_FAILED)
  }
  const { baseUrl, endpoints } = playground
  if (options.json) {
    process.stdout.write(JSON.stringify({ baseUrl, endpoints }) + '\n')
  } else {
    process.stdout.write(`Realtime Inspector playground on ${baseUrl}\n\n${endpointTable(endpoints, process.stdout.isTTY ? process.stdout.columns : undefined)}\n`)
    const echo = endpoints.find((e) => e.name === 'WebSocket echo')?.url ?? endpoints[0]?.url
    const sse = endpoints.find((e) => e.technique === 'sse')?.url
    const tries = [`rti connect ${echo}`, ...(sse ? [`rti connect -t sse '${sse}'`] : [])].join('\n     ')
    process.stderr.write(`\nTry: ${tries}\n(rti playground --help lists each endpoint's query-string knobs.)\nPress Ctrl+C to stop.\n`)
  }
  await interrupted
  await playground.close()
  return EXIT.OK
}

/** Columns padded to line up; on a terminal, descriptions are cut to fit its width. */
export function endpointTable(endpoints: Playground['endpoints'], width?: number): string {
  const rows = [['TECHNIQUE', 'URL', 'DESCRIPTION'], ...endpoints.map((e) => [e.technique, e.url, e.description])]
  const techniqueWidth = Math.max(...rows.map((r) => r[0]!.length))
  const urlWidth = Math.max(...rows.map((r) => r[1]!.length))
  return rows
    .map(([technique, url, description]) => {
      const line = `${technique!.padEnd(techniqueWidth)}  ${url!.padEnd(urlWidth)}  ${description}`
      return width && line.length > width ? `${line.slice(0, Math.max(width - 1, techniqueWidth + urlWidth + 4))}…` : line
    })
    .join('\n')
}
