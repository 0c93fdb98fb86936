// The `rti` command line: the program, its flags and help. Each command lives in its
// own module, loaded only when that command runs, so `rti --help` starts fast.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import type { TechniqueName } from '../contract/connection-spec.js'
import { VERSION } from '../version.js'
import { CliError, EXIT, oneLine, printError } from './errors.js'

const EXIT_CODES_HELP = `
Exit codes:
  0    ended normally: closed with a close frame (any code, shown in the output),
       or by rti itself (Ctrl+C, --duration, --max-frames)
  1    the connection never opened (refused, DNS, TLS, handshake refused, timeout),
       or a server could not start (port in use, UI not built)
  2    usage error: unknown flag, bad URL or header, technique not available yet
  3    the connection opened, then dropped without a close frame (1006: reset, FIN, timeout)
  130  a second Ctrl+C: stopped without waiting for the close`

const ROOT_HELP = `
Examples:
  $ rti playground                      demo endpoints for every technique, on 127.0.0.1
  $ rti connect ws://127.0.0.1:PORT/ws/echo
  $ rti connect wss://example.com/socket -H "Authorization: Bearer $TOKEN" -s chat
  $ rti connect ws://127.0.0.1:PORT/ws/ticker --json --max-frames 20 | jq .
  $ rti serve --open                    the full UI in a browser
${EXIT_CODES_HELP}`

const CONNECT_HELP = `
Output:
  One line per frame: "> text" sent, "< text" received, "→"/"←" the HTTP handshake,
  "●" connecting/open, "✕" close, "!" error. With --json: one frame object per line
  on stdout ({"seq","time","direction","kind",…}, the same objects recordings hold)
  and nothing else; warnings and errors go to stderr.

Input:
  Each line typed or piped on stdin is sent as a text message once the connection is
  open (--send messages go first; empty lines are skipped). The end of stdin does not
  close the connection: it stays open until the server closes it, --duration or
  --max-frames is reached, or Ctrl+C (which closes politely; press it twice to quit at once).

Examples:
  $ rti connect ws://127.0.0.1:PORT/ws/echo --send hello --max-frames 8
  $ printf 'one\\ntwo\\n' | rti connect ws://127.0.0.1:PORT/ws/echo --duration 2
  $ rti connect wss://example.com/socket -H "Origin: https://example.com" -s graphql-ws --json
${EXIT_CODES_HELP}`

/**
 * The contract's TECHNIQUES, repeated here because loading the contract loads zod,
 * which would double the time `rti --help` takes (a test keeps the two equal).
 */
export const TECHNIQUE_CHOICES: readonly TechniqueName[] = ['websocket', 'sse', 'long-polling', 'polling', 'streaming']

interface ConnectFlags {
  technique: TechniqueName
  json?: boolean
  header?: string[]
  subprotocol?: string[]
  send?: string[]
  maxFrames?: number
  duration?: number
  deflate?: boolean
  maxPayload?: number
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

function integerIn(min: number, max: number, what: string) {
  return (value: string): number => {
    const n = Number(value)
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected ${what}.`)
    return n
  }
}
const port = integerIn(0, 65535, 'a port from 0 to 65535 (0 picks a free one)')

/** setTimeout cannot wait longer than 2^31-1 ms; beyond that it fires at once. */
const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000)
function seconds(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > MAX_SECONDS) throw new InvalidArgumentError(`expected a number of seconds above 0 (at most ${MAX_SECONDS}).`)
  return n
}

export function buildProgram(): Command {
  const program = new Command('rti')
    .description('Realtime Inspector: inspect realtime endpoints (WebSocket, SSE, long-polling, polling, streaming) frame by frame.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addHelpCommand(false)
    .showSuggestionAfterError(true)
    .exitOverride()
    .addHelpText('after', ROOT_HELP)

  program
    .command('connect')
    .summary('connect to an endpoint and print every frame')
    .description('Connect to an endpoint and print every frame as it happens; send stdin lines as messages.')
    .argument('<url>', 'endpoint URL (ws:// or wss:// for websocket)')
    .addOption(new Option('-t, --technique <name>', 'how to connect').choices(TECHNIQUE_CHOICES).default('websocket'))
    .option('--json', 'print frames as JSON, one per line (NDJSON)')
    .option('-H, --header <"Name: value">', 'add a handshake/request header (repeatable)', collect)
    .option('-s, --subprotocol <name>', 'offer a WebSocket subprotocol (repeatable)', collect)
    .option('--send <text>', 'send a text message once open (repeatable, in order)', collect)
    .option('-n, --max-frames <n>', 'stop after printing n frames (then close politely)', integerIn(1, Number.MAX_SAFE_INTEGER, 'a positive integer'))
    .option('-d, --duration <seconds>', 'stop after this many seconds (then close politely)', seconds)
    .option('--deflate', 'offer permessage-deflate compression')
    .option('--max-payload <bytes>', 'largest message accepted (bigger ones close with 1009; default 100 MiB)', integerIn(1, 1024 ** 3, 'a number of bytes from 1 to 1073741824'))
    .addHelpText('after', CONNECT_HELP)
    .action(async (url: string, flags: ConnectFlags) => {
      const { runConnect } = await import('./connect.js')
      process.exitCode = await runConnect(url, {
        ...flags,
        json: flags.json === true,
        deflate: flags.deflate === true,
        header: flags.header ?? [],
        subprotocol: flags.subprotocol ?? [],
        send: flags.send ?? [],
      })
    })

  program
    .command('playground')
    .summary('run the built-in demo server')
    .description('Run the built-in demo server (an endpoint for every technique and fault) until Ctrl+C.')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', port, 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--json', 'print the endpoints as one JSON object')
    .addHelpText('after', '\nExample:\n  $ rti playground --port 8080\n  $ rti connect ws://127.0.0.1:8080/ws/ticker?interval=200')
    .action(async (options: { port: number; host: string; json?: boolean }) => {
      const { runPlayground } = await import('./playground.js')
      process.exitCode = await runPlayground({ ...options, json: options.json === true })
    })

  program
    .command('serve')
    .summary('serve the UI to a browser (browser mode)')
    .description('Serve the Realtime Inspector UI to a browser on this machine, behind a random token, until Ctrl+C. Needs `npm run build` first.')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', port, 0)
    .option('--host <host>', 'address to listen on (anything but loopback exposes the inspector to your network)', '127.0.0.1')
    .option('--no-playground', 'do not start the built-in demo server')
    .option('--open', 'open the URL in the default browser')
    .action(async (options: { port: number; host: string; playground: boolean; open?: boolean }) => {
      const { runServe } = await import('./serve.js')
      process.exitCode = await runServe({ ...options, open: options.open === true })
    })

  // Commander's errors can span lines ("unknown option" + "Did you mean"); rti's are one line.
  for (const command of [program, ...program.commands]) {
    const helpHint = command === program ? 'rti --help' : `rti ${command.name()} --help`
    command.exitOverride().configureOutput({
      outputError: (text) => {
        const message = oneLine(text.replace(/^error:\s*/i, '')).replace(/\(Did you mean/, '(did you mean').replace(/\.$/, '')
        printError(`${message} — see "${helpHint}"`)
      },
    })
  }
  return program
}

/** Runs `rti` with `argv` (as in process.argv) and sets the exit code; never throws. */
export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv)
  } catch (error) {
    process.exitCode = exitCodeFor(error)
  }
  // Everything rti starts is closed before this point; this only guards against a
  // stray handle keeping a finished command alive. Unref'd, it never delays an exit.
  const code = Number(process.exitCode ?? 0)
  setTimeout(() => process.exit(code), 1500).unref()
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT.USAGE
  if (error instanceof CliError) {
    printError(error.message)
    return error.exitCode
  }
  printError(`internal error: ${error instanceof Error ? error.message : String(error)}`)
  if (process.env.RTI_DEBUG) console.error(error)
  return 1
}
