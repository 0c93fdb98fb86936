// How fast `rti` starts, next to a bare `node -e 0` measured in the same rounds: a
// script calling rti in a loop pays this on every call. Each round runs every
// command once, interleaved, so machine noise hits them alike; medians are printed.
import { spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { bundleIsCurrent } from '../bin/cli-bundle.mjs'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const BIN = fileURLToPath(new URL('../bin/rti.mjs', import.meta.url))
const GOAL = 2

interface Command {
  label: string
  args: string[]
  env?: NodeJS.ProcessEnv
}

/** Wall time of one whole run (spawn to exit), in ms. */
function timeRun(command: Command): Promise<number> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command.args, { cwd: ROOT, stdio: 'ignore', env: { ...process.env, ...command.env } })
    child.on('error', reject)
    child.on('exit', () => resolve(performance.now() - started))
  })
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
async function refusedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

export async function runCliStartBench(rounds = 15): Promise<void> {
  if (!bundleIsCurrent(ROOT, `${ROOT}out/cli/`)) {
    // The figure is about the shipped bundle; without a current one rti would run the sources.
    console.log('CLI start-up: the bundle is missing or older than the sources; building it first')
    const build = spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/build-cli.mjs', import.meta.url))], { stdio: 'inherit' })
    if (build.status !== 0) throw new Error('the CLI bundle did not build')
  }
  const url = `ws://127.0.0.1:${await refusedPort()}`
  const bare: Command = { label: 'node -e 0', args: ['-e', '0'] }
  // What wscat does (commander, then ws to a refused port), and the same with zod loaded
  // too: the floor for any `rti connect` that validates its spec with the contract's schemas.
  const wscatLike = (withZod: boolean) =>
    `import 'commander'; ${withZod ? "import 'zod'; " : ''}import WebSocket from 'ws'; new WebSocket(${JSON.stringify(url)}).on('error', () => process.exit(1))`
  const commands: Command[] = [
    bare,
    { label: 'rti --version', args: [BIN, '--version'] },
    { label: `rti connect (refused)`, args: [BIN, 'connect', url] },
    { label: 'wscat-like (commander+ws)', args: ['--input-type=module', '-e', wscatLike(false)] },
    { label: '  the same + zod', args: ['--input-type=module', '-e', wscatLike(true)] },
  ]
  const times = new Map<Command, number[]>(commands.map((c) => [c, []]))
  for (const command of commands) await timeRun(command) // warm the file cache
  for (let round = 0; round < rounds; round++) {
    for (const command of commands) times.get(command)!.push(await timeRun(command))
  }
  // The fallback, for comparison: what every start cost before the bundle.
  const sources: Command = { label: 'rti connect, from sources', args: [BIN, 'connect', url], env: { RTI_CLI: 'sources' } }
  await timeRun(sources)
  const sourceTimes: number[] = []
  for (let round = 0; round < Math.min(rounds, 5); round++) sourceTimes.push(await timeRun(sources))

  // Scripts also start several at once: ten concurrent `rti connect`, until the last exits.
  const concurrent: number[] = []
  for (let round = 0; round < 3; round++) {
    const started = performance.now()
    await Promise.all(Array.from({ length: 10 }, () => timeRun(commands[2]!)))
    concurrent.push(performance.now() - started)
  }

  const base = median(times.get(bare)!)
  console.log(`CLI start-up, whole command (spawn to exit), median of ${rounds} interleaved rounds`)
  console.log(`  ${bare.label.padEnd(26)} ${base.toFixed(0).padStart(5)} ms`)
  for (const command of commands.slice(1)) {
    const m = median(times.get(command)!)
    const goal = command.args[0] === BIN ? `   (goal <= ${GOAL}x)` : ''
    console.log(`  ${command.label.padEnd(26)} ${m.toFixed(0).padStart(5)} ms   ${(m / base).toFixed(2)}x node -e 0${goal}`)
  }
  const s = median(sourceTimes)
  console.log(`  ${sources.label.padEnd(26)} ${s.toFixed(0).padStart(5)} ms   ${(s / base).toFixed(2)}x node -e 0   (tsx: the fallback while a source is newer than the bundle)`)
  console.log(`  ten concurrent rti connect (refused): all done in ${median(concurrent).toFixed(0)} ms (median of 3)\n`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runCliStartBench(Number(process.env.BENCH_CLI_ROUNDS ?? 15))
