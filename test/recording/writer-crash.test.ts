// Crash safety: a recorder killed with SIGKILL while receiving a flood at full speed
// leaves a file whose every complete line is a valid frame, at most a truncated last
// line, and every frame it had stamped more than 100 ms before the kill.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Frame } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { openRecording } from '../../main/recording/read-recording.js'

let playground: Playground
let dir: string
beforeAll(async () => {
  playground = await startPlayground()
  dir = await mkdtemp(join(tmpdir(), 'rti-writer-crash-'))
})
afterAll(async () => {
  await playground.close()
  await rm(dir, { recursive: true, force: true })
})

const CHILD = fileURLToPath(new URL('./writer-crash-child.ts', import.meta.url))

it('a recorder killed with SIGKILL mid-flood keeps every frame older than 100 ms, every complete line valid', async () => {
  const path = join(dir, 'crash.rti.jsonl')
  const url = `${playground.baseUrl.replace(/^http/, 'ws')}/ws/ticker?interval=0&count=50000000`
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, path], { stdio: ['ignore', 'pipe', 'inherit'] })
  const progress: { frames: number; at: number }[] = []
  let rest = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    const lines = (rest + text).split('\n')
    rest = lines.pop()!
    for (const line of lines) {
      const [frames, at] = line.split(' ').map(Number)
      progress.push({ frames: frames!, at: at! })
    }
  })
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
  // Kill it well into the flood: many frames in, and for long enough that writes overlap.
  const floodingSince = () => progress.find((p) => p.frames > 1000)?.at
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      const since = floodingSince()
      if (since !== undefined && Date.now() - since > 700 && progress.at(-1)!.frames > 100_000) {
        clearInterval(timer)
        resolve()
      }
    }, 10)
    child.once('exit', () => reject(new Error('the recorder exited before the kill')))
  })
  const killedAt = Date.now()
  child.kill('SIGKILL')
  expect(await exited).toBe('SIGKILL')

  const reader = await openRecording(path)
  let count = 0
  let outOfOrder = 0
  let last: Frame | undefined
  for await (const frame of reader.frames) {
    if (frame.seq !== ++count) outOfOrder++
    last = frame
  }
  expect(outOfOrder).toBe(0)
  // Every complete line parsed; at most the last one was cut by the kill.
  expect(reader.problems.length).toBeLessThanOrEqual(1)
  if (reader.problems[0]) expect(reader.problems[0].message).toMatch(/truncated/)
  // What the recorder had stamped 100 ms before the kill is on disk.
  const due = progress.filter((p) => p.at <= killedAt - 100).at(-1)!
  expect(due.frames).toBeGreaterThan(10_000)
  expect(count).toBeGreaterThanOrEqual(due.frames)
  console.log(`crash test: ${count} frames on disk, ${due.frames} were due (stamped ≥ 100 ms before the kill), newest on disk ${(killedAt - last!.time).toFixed(0)} ms before the kill; ${progress.at(-1)!.frames} stamped by the last report`)
}, 30_000)
