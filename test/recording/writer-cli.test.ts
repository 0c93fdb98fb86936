// `rti record` and `rti connect --record`: the real bin, a real playground, a real file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { openRecording } from '../../main/recording/read-recording.js'
import { exited, runRti, spawnRti, waitForOutput } from '../cli/run-rti.js'

let playground: Playground
let dir: string
let ws: string
beforeAll(async () => {
  playground = await startPlayground()
  ws = playground.baseUrl.replace(/^http/, 'ws')
  dir = await mkdtemp(join(tmpdir(), 'rti-record-cli-'))
})
afterAll(async () => {
  await playground.close()
  await rm(dir, { recursive: true, force: true })
})

async function framesOf(path: string): Promise<Frame[]> {
  const reader = await openRecording(path)
  const frames: Frame[] = []
  for await (const frame of reader.frames) frames.push(frame)
  expect(reader.problems).toEqual([])
  return frames
}

describe('rti record', () => {
  it('records every frame of a flood it does not print, and says where', async () => {
    const out = join(dir, 'flood.rti.jsonl')
    const result = await runRti(['record', `${ws}/ws/ticker?interval=0&count=20000`, '--out', out, '--quiet'])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(new RegExp(`rti: recorded 20,00\\d frames, [\\d.]+ MiB → ${out}`))
    const frames = await framesOf(out)
    expect(frames.filter((f) => f.kind === 'message')).toHaveLength(20_000)
    expect(frames.at(-1)).toMatchObject({ kind: 'close', code: 1000 })
  })

  it('prints frames as connect does (--json), and the file holds the same frames', async () => {
    const out = join(dir, 'json.rti.jsonl')
    const result = await runRti(['record', `${ws}/ws/ticker?interval=10&count=3`, '-o', out, '--json'])
    expect(result.code).toBe(0)
    const printed = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Frame)
    expect(await framesOf(out)).toEqual(printed)
  })

  it('stops on Ctrl+C with everything on disk, exit 0', async () => {
    const out = join(dir, 'sigint.rti.jsonl')
    const child = spawnRti(['record', `${ws}/ws/ticker?interval=20`, '--out', out, '--json'])
    child.stdin.end()
    await waitForOutput(child.stdout, (text) => (text.match(/"kind":"message"/g) ?? []).length >= 5)
    child.kill('SIGINT')
    expect((await exited(child)).code).toBe(0)
    const frames = await framesOf(out)
    expect(frames.filter((f) => f.kind === 'message').length).toBeGreaterThanOrEqual(5)
    expect(frames.at(-1)).toMatchObject({ kind: 'close', cause: 'local' })
  })

  it('refuses to replace a file unless --force, and a file it cannot write, exit 2', async () => {
    const out = join(dir, 'exists.rti.jsonl')
    await writeFile(out, 'keep me')
    const refused = await runRti(['record', `${ws}/ws/ticker?interval=10&count=1`, '--out', out])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toBe(`rti: ${out} already exists; choose another file or add --force to replace it\n`)
    const forced = await runRti(['record', `${ws}/ws/ticker?interval=10&count=1`, '--out', out, '--force', '--quiet'])
    expect(forced.code).toBe(0)
    expect((await framesOf(out)).filter((f) => f.kind === 'message')).toHaveLength(1)
    const unwritable = await runRti(['record', `${ws}/ws/ticker?interval=10&count=1`, '--out', join(dir, 'no', 'such', 'dir.rti.jsonl')])
    expect(unwritable.code).toBe(2)
    expect(unwritable.stderr).toMatch(/^rti: cannot record to .*ENOENT.*\n$/)
  })

  it('exits as connect does when the connection never opens (1)', async () => {
    const out = join(dir, 'refused.rti.jsonl')
    const result = await runRti(['record', 'ws://127.0.0.1:1/x', '--out', out, '--quiet'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/connection refused/)
    expect((await framesOf(out)).some((f) => f.kind === 'error')).toBe(true)
  })

  it('rti connect --record writes the same recording beside its usual output', async () => {
    const out = join(dir, 'connect.rti.jsonl')
    const result = await runRti(['connect', `${ws}/ws/ticker?interval=10&count=2`, '--record', out])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/< \{"seq":2/)
    expect((await framesOf(out)).filter((f) => f.kind === 'message')).toHaveLength(2)
  })
})
