// `rti mock` as a user runs it: one line with the URL, the recording served there,
// Ctrl+C stops cleanly; a bad file or flag is one line on stderr and exit code 2.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Frame } from '../../main/contract/index.js'
import { exited, linesOf, ROOT, runRti, spawnRti, waitForOutput } from '../cli/run-rti.js'
import { writeRecording } from './recorded-session.js'

let dir: string
let recording: string
const T = 1_700_000_000_000
const frames: Frame[] = [
  { seq: 1, time: T, direction: 'system', kind: 'connecting', url: 'ws://127.0.0.1:1/chat', attempt: 1 },
  { seq: 2, time: T + 5, direction: 'system', kind: 'open', protocol: '' },
  { seq: 3, time: T + 25, direction: 'in', kind: 'message', data: 'one', size: 3 },
  { seq: 4, time: T + 225, direction: 'in', kind: 'message', data: 'two', size: 3 },
  { seq: 5, time: T + 245, direction: 'system', kind: 'close', code: 1000, reason: 'bye', wasClean: true, idleMs: 20, bytesIn: 20, bytesOut: 0, cause: 'remote-close' },
]

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-mock-cli-'))
  recording = join(dir, 'chat.rti.jsonl')
  await writeRecording(recording, { technique: 'websocket', url: 'ws://127.0.0.1:1/chat' }, frames)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('rti mock', () => {
  it('prints the URL on one line, serves the recording there at the given speed, and stops on Ctrl+C', async () => {
    const child = spawnRti(['mock', recording, '--speed', '2'])
    try {
      const output = await waitForOutput(child.stdout, (text) => text.includes('\n'))
      const url = /(ws:\/\/127\.0\.0\.1:\d+\/chat)$/m.exec(output)?.[1]
      expect(linesOf(output)).toHaveLength(1)
      expect(output).toMatch(/^Mock websocket server for .*chat\.rti\.jsonl on ws:\/\/127\.0\.0\.1:\d+\/chat\n$/)
      const ws = new WebSocket(url!)
      const opened = await new Promise<number>((resolve) => ws.once('open', () => resolve(performance.now())))
      const got: Array<[string, number]> = []
      ws.on('message', (data) => got.push([data.toString(), performance.now() - opened]))
      const [code, reason] = await new Promise<[number, string]>((resolve) => ws.once('close', (c, r) => resolve([c, r.toString()])))
      expect(got.map(([text]) => text)).toEqual(['one', 'two'])
      // At speed 2 the second message comes at (225 - 5) / 2 = 110 ms after the open.
      expect(Math.abs(got[1]![1] - 110)).toBeLessThan(30 + 11)
      expect({ code, reason }).toEqual({ code: 1000, reason: 'bye' })
    } finally {
      child.kill('SIGINT')
    }
    expect(await exited(child)).toEqual({ code: 0, signal: null })
  })

  it.each([
    ['a missing file', () => ['mock', join(dir, 'missing.rti.jsonl')], /^rti: E_RECORDING_UNREADABLE: cannot read .*missing\.rti\.jsonl/],
    ['a file that is not a recording', () => ['mock', join(dir, 'notes.txt')], /^rti: E_RECORDING_NOT_RECORDING: .*notes\.txt does not start with a recording header/],
    ['a speed out of range', () => ['mock', recording, '--speed', '0'], /^rti: option '--speed <x>' argument '0' is invalid\. expected a speed from 0\.01 to 1000 — see "rti mock --help"/],
  ])('%s: one line on stderr, exit code 2', async (_what, args, message) => {
    await writeFile(join(dir, 'notes.txt'), 'not a recording\n')
    const result = await runRti(args())
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(linesOf(result.stderr)).toHaveLength(1)
    expect(result.stderr).toMatch(message)
  })

  it('reports a fault that escapes every call and goes on serving', { timeout: 60_000 }, async () => {
    // A fault from a timer and a rejection nobody awaited, set off inside the running mock on SIGUSR2.
    const fault = join(dir, 'fault.mjs')
    await writeFile(
      fault,
      `process.on('SIGUSR2', () => {
  setImmediate(() => { throw new RangeError('Invalid string length') })
  void Promise.reject(new TypeError('nobody awaited this'))
})
`,
    )
    const bin = fileURLToPath(new URL('../../bin/rti.mjs', import.meta.url))
    const child = spawn(process.execPath, ['--import', fault, bin, 'mock', recording, '--speed', '100'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: 'pipe' })
    try {
      const output = await waitForOutput(child.stdout, (text) => text.includes('\n'))
      const url = /(ws:\/\/127\.0\.0\.1:\d+\/chat)$/m.exec(output)![1]!
      const reported = waitForOutput(child.stderr, (text) => /a rejected promise/.test(text) && /RangeError/.test(text), 10_000)
      child.kill('SIGUSR2')
      const stderr = await reported
      expect(stderr).toMatch(/rti: internal error in the engine process \(the engine goes on\): RangeError: Invalid string length\n\s+at /)
      expect(stderr).toMatch(/rti: internal error in the engine process \(a rejected promise\) \(the engine goes on\): TypeError: nobody awaited this/)
      // Still serving the recording.
      const ws = new WebSocket(url)
      const got: string[] = []
      ws.on('message', (data) => got.push(data.toString()))
      const code = await new Promise<number>((resolve) => ws.once('close', resolve))
      expect({ got, code }).toEqual({ got: ['one', 'two'], code: 1000 })
    } finally {
      child.kill('SIGINT')
    }
    expect(await exited(child)).toEqual({ code: 0, signal: null })
  })
})
