// `rti replay` and `rti diff` end to end with the real bin: a recorded echo session
// re-sent (frames printed as by connect, the run recorded), then the two compared.
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FrameDiff } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { linesOf, ROOT, runRti } from '../cli/run-rti.js'
import { writeRecording } from './recorded-session.js'
import { readFrames, recordEcho, sent } from './resend-helpers.js'

let dir: string
let playground: Playground
let recording: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-replay-cli-'))
  playground = await startPlayground({})
  recording = await recordEcho(dir, playground.baseUrl.replace(/^http/, 'ws') + '/ws/echo', ['alpha', 'beta', 'gamma'], [30, 100, 200])
})
afterAll(async () => {
  await playground.close()
  await rm(dir, { recursive: true, force: true })
})

describe('rti replay', () => {
  it('prints the frames as connect does, records the run to --out, and rti diff finds them the same', async () => {
    const out = join(dir, 'rerun.rti.jsonl')
    const run = await runRti(['replay', recording, '--out', out])
    expect(run.stderr).toMatch(/re-sending .* \(3 messages at the recorded pace\) to ws:\/\/127\.0\.0\.1:\d+\/ws\/echo/)
    expect(run.code).toBe(0)
    expect(linesOf(run.stdout).filter((l) => /^[<>] /.test(l))).toEqual(['> alpha', '< alpha', '> beta', '< beta', '> gamma', '< gamma'])
    expect(run.stderr).toMatch(/recorded \d+ frames → .*rerun\.rti\.jsonl/)
    expect(sent(await readFrames(out)).map((m) => m.data)).toEqual(['alpha', 'beta', 'gamma'])

    const table = await runRti(['diff', recording, out])
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/^\s+A {2}.*│ B {2}.*│ Δ ms$/m)
    expect(table.stdout).toMatch(/^ {3}\s+\d+ ms > alpha\s+│\s+\d+ ms > alpha\s+│ [+−]\d+\.\d$/m)
    expect(table.stdout).toMatch(/7 same, 0 changed, 0 only in A, 0 only in B; timing Δ median \d+\.\d ms, max \d+\.\d ms/)

    const json = await runRti(['diff', recording, out, '--json'])
    const diff = JSON.parse(json.stdout) as FrameDiff
    expect(diff.summary).toMatchObject({ same: 7, changed: 0, onlyA: 0, onlyB: 0 })
    expect(diff.summary.maxDeltaMs).toBeLessThan(40)
  })

  it('--speed max --json: frame objects, everything sent at once; the run goes into the data folder without --out', async () => {
    const dataDir = join(dir, 'data')
    const child = spawn(process.execPath, [fileURLToPath(new URL('../../bin/rti.mjs', import.meta.url)), 'replay', recording, '--speed', 'max', '--json'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', RTI_DATA_DIR: dataDir },
    })
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stdin.end()
    const code = await new Promise((resolve) => child.on('close', resolve))
    expect(code).toBe(0)
    const frames = linesOf(stdout).map((l) => JSON.parse(l) as { kind: string; direction: string; time: number; data?: string })
    const open = frames.find((f) => f.kind === 'open')!.time
    const out = frames.filter((f) => f.kind === 'message' && f.direction === 'out')
    expect(out.map((f) => f.data)).toEqual(['alpha', 'beta', 'gamma'])
    for (const f of out) expect(f.time - open).toBeLessThan(40)
    expect(await readdir(join(dataDir, 'recordings'))).toEqual([expect.stringMatching(/websocket.*\.rti\.jsonl$/)])
  })

  it('exits 4 and says why when its recording stops before the run ends (here the disk refuses more: a 1 MiB file size limit)', { timeout: 60_000 }, async () => {
    // The ticker sends 40 messages of 64 KiB, then closes 1000: a run that ends well, recorded only in part.
    const ticker = join(dir, 'ticker.rti.jsonl')
    const url = `${playground.baseUrl.replace(/^http/, 'ws')}/ws/ticker?interval=0&count=40&size=65536`
    await writeRecording(ticker, { technique: 'websocket', url }, [
      { seq: 1, time: 1000, direction: 'system', kind: 'connecting', url, attempt: 1 },
      { seq: 2, time: 1005, direction: 'system', kind: 'open', protocol: '' },
    ])
    const out = join(dir, 'ticker-rerun.rti.jsonl')
    const bin = fileURLToPath(new URL('../../bin/rti.mjs', import.meta.url))
    const child = spawn('bash', ['-c', 'ulimit -f 1024 && exec "$0" "$@"', process.execPath, bin, 'replay', ticker, '--out', out], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.stdin.end()
    const code = await new Promise((resolve) => child.on('close', resolve))
    // The run itself went to its end: every message came, and the server's close.
    const lines = linesOf(stdout)
    expect(lines.filter((l) => l.startsWith('< ')).length).toBe(40)
    expect(lines.at(-1)).toMatch(/^✕ close 1000 /)
    expect(stderr).toMatch(/^rti: the recording is incomplete: cannot write .*ticker-rerun\.rti\.jsonl: EFBIG/m)
    expect(code).toBe(4)
  })

  it('bad input is one line and exit 2', async () => {
    const notRecording = join(dir, 'not.rti.jsonl')
    await writeFile(notRecording, 'hello\n')
    const cases: [string[], RegExp][] = [
      [['replay', notRecording], /E_RECORDING_NOT_RECORDING: .*not\.rti\.jsonl does not start with a recording header/],
      [['replay', join(dir, 'missing.rti.jsonl')], /E_RECORDING_UNREADABLE: cannot read/],
      [['replay', recording, '--speed', 'fast'], /expected a speed from 0\.01 to 1000, or max/],
      [['replay', recording, '--to', 'http://127.0.0.1:1/'], /E_RESEND_URL: .*websocket needs a ws:\/\/ or wss:\/\/ URL/],
      [['replay', recording, '--out', recording], /already exists; choose another file/],
      [['diff', recording, notRecording], /E_RECORDING_NOT_RECORDING/],
    ]
    for (const [args, message] of cases) {
      const run = await runRti(args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(linesOf(run.stderr), args.join(' ')).toHaveLength(1)
      expect(run.stderr).toMatch(message)
    }
  })
})
