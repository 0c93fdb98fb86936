// `rti serve`: browser mode. The engine (with the playground beside it) and the bridge
// that serves the built UI on 127.0.0.1, behind a random token in the URL (traded for a
// session cookie on the first visit). Typing `r` and Enter rotates the token.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { DEFAULT_RENDERER_DIR, startBridge, type Bridge } from '../bridge/index.js'
import { guardProcess, stderrReporter } from '../api-guard.js'
import { createEngine } from '../engine.js'
import { connectionsDirOf, defaultDataDir } from '../library/index.js'
import { CliError, EXIT, printWarning, type ExitCode } from './errors.js'
import { listenProblem, untilInterrupted } from './signals.js'

export interface ServeOptions {
  port: number
  host: string
  playground: boolean
  open: boolean
  /** Saved connections and snippets; unset: the default data folder. */
  dataDir?: string
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])

export async function runServe(options: ServeOptions): Promise<ExitCode> {
  // Listen for Ctrl+C before printing anything: whoever reads our output may signal at once,
  // and until a handler exists the OS default would kill us without cleaning up.
  const interrupted = untilInterrupted()
  if (!existsSync(join(DEFAULT_RENDERER_DIR, 'index.html'))) {
    throw new CliError('the browser UI is not built yet: run `npm run build` first (or `npm run web`, which builds and serves)', EXIT.CONNECT_FAILED)
  }
  const dataDir = resolve(options.dataDir || defaultDataDir(process.env, homedir()))
  // The engine is this process: a fault that escapes every call is reported, not the end of every session.
  const report = stderrReporter()
  guardProcess(report)
  const engine = await createEngine({ playground: options.playground, dataDir, report })
  let bridge: Bridge
  try {
    bridge = await startBridge({ engine, port: options.port, host: options.host })
  } catch (error) {
    await engine.close()
    throw new CliError(listenProblem(error, options.host, options.port), EXIT.CONNECT_FAILED)
  }
  process.stdout.write(`Realtime Inspector (browser mode): ${bridge.url}\n`)
  if (engine.playground) process.stdout.write(`Playground: ${engine.playground.baseUrl}\n`)
  process.stdout.write(`Saved connections: ${connectionsDirOf(dataDir)}\n`)
  if (!LOOPBACK.has(options.host)) printWarning(`listening on ${options.host}: anyone who can reach it and has the URL above can open connections from this machine`)
  process.stderr.write('Press Ctrl+C to stop; type r and Enter for a new URL (the old one and its open tabs stop working).\n')
  if (options.open) openInBrowser(bridge.url)
  const stopRotating = rotateOnRequest(bridge)

  await interrupted
  stopRotating()
  await bridge.close()
  await engine.close()
  return EXIT.OK
}

/** `r` + Enter on stdin: a new token, printed as a new URL. */
function rotateOnRequest(bridge: Bridge): () => void {
  const lines = createInterface({ input: process.stdin, terminal: false })
  lines.on('line', (line) => {
    if (line.trim().toLowerCase() !== 'r') return
    process.stdout.write(`New URL (the previous one no longer works): ${bridge.rotateToken()}\n`)
  })
  return () => lines.close()
}

function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]]
    : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]]
    : ['xdg-open', [url]]
  const child = spawn(command, args as string[], { detached: true, stdio: 'ignore' })
  child.on('error', (error) => printWarning(`could not open a browser (${command}: ${error.message}); open the URL above yourself`))
  child.unref()
}
