// The `rti` command line: the program, its flags and help. Each command lives in its
// own module, loaded only when that command runs, so `rti --help` starts fast.
import { Command, CommanderError, InvalidArgumentError } from 'commander'
import { VERSION } from '../version.js'
import { addConnectOptions, type ConnectFlags } from './connect-options.js'
import { addProbeOptions, PROBE_HELP, type ProbeFlags } from './probe-options.js'
import { CliError, EXIT, oneLine, printError } from './errors.js'
import { playgroundEndpointsHelp } from './playground-help.js'

export { TECHNIQUE_CHOICES } from './connect-options.js'

const EXIT_CODES_HELP = `
Exit codes:
  0    ended normally: closed with a close frame (any code, shown in the output),
       or by rti itself (Ctrl+C, --duration, --max-frames)
  1    the connection never opened (refused, DNS, TLS, handshake refused, timeout),
       or a server could not start (port in use, UI not built)
  2    usage error: unknown flag, bad value, bad URL, an http(s):// URL without -t
  3    the connection opened, then dropped without a close frame (1006: reset, FIN,
       timeout), or an HTTP response body was cut off before its end
  4    rti record (or --record): the recording stopped before the session ended
       (its size cap, a disk too slow, a write error); the reason is on stderr
  130  a second Ctrl+C: stopped without waiting for the close`

const ROOT_HELP = `
Examples:
  $ rti playground                      demo endpoints for every technique, on 127.0.0.1
  $ rti connect ws://127.0.0.1:PORT/ws/echo
  $ rti connect wss://example.com/socket -H "Authorization: Bearer $TOKEN" -s chat
  $ rti connect -t sse http://127.0.0.1:PORT/sse/ticker?interval=300
  $ rti connect ws://127.0.0.1:PORT/ws/ticker --json --max-frames 20 | jq .
  $ rti probe -t sse http://127.0.0.1:PORT/sse/ticker --max-time 30
  $ rti serve --open                    the full UI in a browser
${EXIT_CODES_HELP}`

const CONNECT_HELP = `
Output:
  One line per frame: "> text" sent, "< text" received, "< [type #id] data" an SSE
  event, ": text" an SSE comment, "< chunk N bytes" raw bytes as they arrived
  (--no-chunks hides them), "→"/"←" HTTP requests and responses ("(unchanged)" for
  a 304 or the same body), "●" connecting/open, "↻" reconnect, "✕" close,
  "!" error, "⚠" finding. With --json: one frame object per line on stdout
  ({"seq","time","direction","kind",…}, the same objects recordings hold) and
  nothing else; warnings and errors go to stderr.

Input:
  Each line typed or piped on stdin is sent as a text message once the connection is
  open (--send messages go first; empty lines are skipped). The end of stdin does not
  close the connection: it stays open until the server closes it, --duration or
  --max-frames is reached, or Ctrl+C (which closes politely; press it twice to quit at once).

Examples:
  $ rti connect ws://127.0.0.1:PORT/ws/echo --send hello --max-frames 8
  $ printf 'one\\ntwo\\n' | rti connect ws://127.0.0.1:PORT/ws/echo --duration 2
  $ rti connect wss://example.com/socket -H "Origin: https://example.com" -s graphql-ws --json
  $ rti connect -t sse http://127.0.0.1:PORT/sse/ticker --no-chunks --last-event-id 41
  $ rti connect -t long-polling 'http://127.0.0.1:PORT/longpoll?cursor=0' --cursor header:X-Cursor
  $ rti connect -t polling http://127.0.0.1:PORT/poll --interval 500
  $ rti connect -t streaming 'http://127.0.0.1:PORT/stream?format=delimiter' --framing delimiter --delimiter '\\x1e'
  $ rti connect -t sse https://example.com/events --proxy socks5://127.0.0.1:1080 --ca ca.pem -u me:secret
${EXIT_CODES_HELP}`

function integerIn(min: number, max: number, what: string) {
  return (value: string): number => {
    const n = Number(value)
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected ${what}.`)
    return n
  }
}
const port = integerIn(0, 65535, 'a port from 0 to 65535 (0 picks a free one)')

export function buildProgram(): Command {
  const program = new Command('rti')
    .description('Realtime Inspector: inspect realtime endpoints (WebSocket, SSE, long-polling, polling, streaming) frame by frame.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addHelpCommand(false)
    .showSuggestionAfterError(true)
    .exitOverride()
    .addHelpText('after', ROOT_HELP)

  const connect = program
    .command('connect')
    .summary('connect to an endpoint and print every frame')
    .description('Connect to an endpoint with any technique and print every frame as it happens; send stdin lines as messages.')
    .argument('<url>', 'endpoint URL: ws:// or wss:// for websocket, http:// or https:// (with -t) for the others')
  addConnectOptions(connect)
    .option('--record <file>', 'also record every frame to this file (.rti.jsonl; an existing file is refused)')
    .addHelpText('after', CONNECT_HELP)
    .action(async (url: string, flags: ConnectFlags & { record?: string }) => {
      const { runConnect } = await import('./connect.js')
      process.exitCode = await runConnect(url, flags, flags.record !== undefined ? { path: flags.record, force: false, quiet: false } : undefined)
    })

  const record = program
    .command('record')
    .summary('connect to an endpoint and record every frame to a file')
    .description('Connect like `rti connect` (the same flags) and record every frame to a .rti.jsonl file — also the ones a flood is too fast to print. Frames are printed as by connect unless --quiet. Ctrl+C stops, and the file keeps everything.')
    .argument('<url>', 'endpoint URL: ws:// or wss:// for websocket, http:// or https:// (with -t) for the others')
    .requiredOption('-o, --out <file>', 'the recording to write (.rti.jsonl)')
    .option('--force', 'replace the file if it exists')
    .option('--max-bytes <n>', 'stop recording (not the session) when the file reaches n bytes (default 1073741824)', integerIn(64 * 1024, 1024 ** 4, 'a size in bytes from 65536 to 1099511627776'))
    .option('--quiet', 'print no frames: a progress line on a terminal, and the summary')
  addConnectOptions(record)
    .addHelpText('after', `\nExample:\n  $ rti record ws://127.0.0.1:PORT/ws/ticker?interval=100 --out ticker.rti.jsonl --duration 10 --quiet\n${EXIT_CODES_HELP.replace('usage error:', 'usage error (also: --out exists without --force, or cannot be written):')}`)
    .action(async (url: string, flags: ConnectFlags & { out: string; force?: boolean; maxBytes?: number; quiet?: boolean }) => {
      const { runConnect } = await import('./connect.js')
      process.exitCode = await runConnect(url, flags, { path: flags.out, force: flags.force === true, maxBytes: flags.maxBytes, quiet: flags.quiet === true })
    })

  const probe = program
    .command('probe')
    .summary('diagnose the path to an endpoint: idle cuts, buffering, upgrades, caching')
    .description('Run the active probe against an endpoint: hold silent and busy connections to measure idle timeouts and lifetimes, time buffering, compression and per-event delay, try a WebSocket upgrade and repeated polls, and try all five techniques through the same path. Reports findings with evidence and remedies, and a technique matrix.')
    .argument('<url>', 'endpoint URL: ws:// or wss:// for websocket, http:// or https:// (with -t) for the others')
  addProbeOptions(probe)
    .addHelpText('after', PROBE_HELP)
    .action(async (url: string, flags: ProbeFlags) => {
      const { runProbe } = await import('./probe.js')
      process.exitCode = await runProbe(url, flags)
    })

  program
    .command('playground')
    .summary('run the built-in demo server')
    .description('Run the built-in demo server (an endpoint for every technique and fault) until Ctrl+C.')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', port, 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--json', 'print the endpoints as one JSON object')
    .addHelpText('after', () => playgroundEndpointsHelp(process.stdout.isTTY ? process.stdout.columns : 80))
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
    .option('--data-dir <dir>', 'where saved connections and snippets live (default: $RTI_DATA_DIR, else $XDG_CONFIG_HOME/realtime-inspector, else ~/.config/realtime-inspector)')
    .action(async (options: { port: number; host: string; playground: boolean; open?: boolean; dataDir?: string }) => {
      const { runServe } = await import('./serve.js')
      process.exitCode = await runServe({ ...options, open: options.open === true })
    })

  program
    .command('mock')
    .summary('serve a recording back as a mock server')
    .description('Serve the server side of a recording (.rti.jsonl) for its technique, with its timing, until Ctrl+C: WebSocket messages and close, SSE events (resuming from Last-Event-ID), polling and long-polling responses in order, streamed chunks.')
    .argument('<recording>', 'a recording file (.rti.jsonl)')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', port, 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--speed <x>', 'replay speed: 2 is twice as fast (0.01 to 1000)', (value: string) => {
      const n = Number(value)
      if (!/^\d*\.?\d+$/.test(value.trim()) || !(n >= 0.01 && n <= 1000)) throw new InvalidArgumentError('expected a speed from 0.01 to 1000.')
      return n
    }, 1)
    .option('--after-client-message', 'WebSocket: send each server message only after the client message recorded before it')
    .option('--allow-origin <origin>', 'let web pages from this origin (scheme://host[:port], or null) use the mock besides loopback ones; repeatable', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .addHelpText('after', '\nWeb pages on loopback origins (localhost, 127.0.0.1, [::1]) may use the mock; others only with --allow-origin.\nExit codes: 0 stopped with Ctrl+C, 1 cannot listen, 2 usage error or a file that cannot be served.')
    .action(async (recording: string, options: { port: number; host: string; speed: number; afterClientMessage?: boolean; allowOrigin: string[] }) => {
      const { runMock } = await import('./mock.js')
      const { allowOrigin, ...rest } = options
      process.exitCode = await runMock(recording, { ...rest, allowOrigins: allowOrigin, afterClientMessage: options.afterClientMessage === true })
    })

  const FILE_EXIT_CODES = '\nExit codes: 0 written, 1 a file cannot be read or written, 2 usage error, an input that is not a recording (or HAR), or an output that already exists.'
  program
    .command('export')
    .summary('export a recording as HAR, NDJSON of its messages, or a copy')
    .description('Export a recording (.rti.jsonl): as HAR 1.2 (WebSocket messages in Chrome\'s _webSocketMessages, SSE events in _eventSourceMessages, polling requests as entries; secrets redacted), as NDJSON of its message and event frames, or as a plain copy. Never overwrites a file.')
    .argument('<file>', 'a recording file (.rti.jsonl)')
    .option('--har <out>', 'write HAR 1.2 to this file')
    .option('--include-secrets', 'with --har: keep Authorization, Cookie, Set-Cookie, Proxy-Authorization and credential query parameters')
    .option('--ndjson <out>', 'write the messages alone, one JSON frame a line')
    .option('--copy <out>', 'copy the recording as it is')
    .addHelpText('after', FILE_EXIT_CODES)
    .action(async (file: string, options: { har?: string; ndjson?: string; copy?: string; includeSecrets?: boolean }) => {
      const { runExport } = await import('./export.js')
      process.exitCode = await runExport(file, options)
    })

  program
    .command('import')
    .summary('import a HAR file as recordings')
    .description('Import a HAR file (Chrome DevTools, Firefox, Postman, Insomnia, mitmproxy…) as recordings: one per WebSocket or SSE entry, one polling recording per URL requested repeatedly. Prints each file created; never overwrites one.')
    .argument('<har>', 'a HAR file')
    .requiredOption('-o, --out <path>', 'the recording to write (several get -1, -2… added), or a directory (existing, or ending in /)')
    .addHelpText('after', FILE_EXIT_CODES)
    .action(async (har: string, options: { out: string }) => {
      const { runImport } = await import('./import.js')
      process.exitCode = await runImport(har, options)
    })

  program
    .command('sessions')
    .summary('list recorded sessions')
    .description('List the recordings in the data folder (or --dir) with endpoint, technique, start, duration, frames and size; --search matches endpoints and content.')
    .option('--dir <dir>', 'the recordings folder (default: <data folder>/recordings, where $RTI_DATA_DIR or ~/.config/realtime-inspector is the data folder)')
    .option('--json', 'one JSON object per recording and line')
    .option('--search <text>', 'only recordings whose endpoint or frames contain the text (case-insensitive)')
    .action(async (options: { dir?: string; json?: boolean; search?: string }) => {
      const { runSessions } = await import('./sessions.js')
      process.exitCode = await runSessions({ ...options, json: options.json === true })
    })

  program
    .command('replay')
    .summary('send a recording\'s messages again as a new recorded session')
    .description('Re-send a recording (.rti.jsonl): its WebSocket messages at their recorded times after open (or --speed), to the recorded endpoint or --to another of the same technique; the HTTP techniques make their requests again until as much came back. Frames are printed as by connect, and the run is recorded (into the data folder, or --out) so `rti diff` can compare the two.')
    .argument('<recording>', 'a recording file (.rti.jsonl)')
    .option('--to <url>', 'send to this endpoint instead of the recorded one (same technique)')
    .option('--speed <x>', 'pace: 2 is twice as fast (0.01 to 1000), max sends as fast as possible', (value: string) => {
      if (value.trim() === 'max') return 'max'
      const n = Number(value)
      if (!/^\d*\.?\d+$/.test(value.trim()) || !(n >= 0.01 && n <= 1000)) throw new InvalidArgumentError('expected a speed from 0.01 to 1000, or max.')
      return n
    }, 1)
    .option('--after-server-message', 'WebSocket: send each message only after as many server messages as preceded it in the recording')
    .option('-o, --out <file>', 'record the run to this file (an existing file is refused); default: a new file in the data folder')
    .option('--json', 'print one frame object per line')
    .addHelpText('after', '\nExample:\n  $ rti replay chat.rti.jsonl --to ws://127.0.0.1:PORT/ws/echo --speed max --out rerun.rti.jsonl && rti diff chat.rti.jsonl rerun.rti.jsonl\n\nExit codes: 0 the run ended, 1 the connection never opened, 2 usage error, a file that is not a recording, or --out exists, 4 the run\'s recording stopped before it ended (size cap, a disk too slow, a write error).')
    .action(async (recording: string, options: { to?: string; speed: number | 'max'; afterServerMessage?: boolean; out?: string; json?: boolean }) => {
      const { runReplay } = await import('./replay.js')
      process.exitCode = await runReplay(recording, { ...options, afterServerMessage: options.afterServerMessage === true, json: options.json === true })
    })

  program
    .command('diff')
    .summary('compare two recordings by content and timing')
    .description('Compare two recordings side by side: their messages, events, chunks, pings, closes and errors aligned by content, each pair the same (" "), changed ("~"), only in A ("-") or only in B ("+"), with how much later (+) or earlier B\'s came after open; then the counts and the median and largest timing difference.')
    .argument('<a>', 'a recording file (.rti.jsonl)')
    .argument('<b>', 'another recording file')
    .option('--json', 'the whole diff as one JSON object')
    .option('--max-pairs <n>', 'pairs shown (default 1000; the counts cover all)', integerIn(0, 100_000, 'a number from 0 to 100000'))
    .addHelpText('after', '\nExit codes: 0 compared (whatever the differences), 2 usage error or a file that is not a recording.')
    .action(async (a: string, b: string, options: { json?: boolean; maxPairs?: number }) => {
      const { runDiff } = await import('./diff.js')
      process.exitCode = await runDiff(a, b, { json: options.json === true, maxPairs: options.maxPairs })
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
  // `rti … | head` closes the pipe early: that ends the output, it is not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(Number(process.exitCode ?? 0))
    throw error
  })
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
