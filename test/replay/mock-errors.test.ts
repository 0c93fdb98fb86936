// Bad recordings give one clear error, with a stable code, before anything listens;
// damaged lines inside a recording are reported and the rest is still served.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from '../../main/contract/index.js'
import { RecordingError } from '../../main/recording/read-recording.js'
import { loadMockRecording, MockError } from '../../main/replay/mock-script.js'
import { startMockServer } from '../../main/replay/mock-server.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'
import { writeRecording } from './recorded-session.js'

let dir: string
const header = (technique: string) => JSON.stringify({ format: 'rti-session', version: 1, spec: { technique, url: 'ws://127.0.0.1:1/x' }, startedAt: 1 })
const file = async (name: string, text: string) => {
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}
const T = 1_700_000_000_000
const wsFrames = (count: number): Frame[] => [
  { seq: 1, time: T, direction: 'system', kind: 'connecting', url: 'ws://127.0.0.1:1/x', attempt: 1 },
  { seq: 2, time: T + 5, direction: 'system', kind: 'open', protocol: '' },
  ...Array.from({ length: count }, (_, i): Frame => ({ seq: 3 + i, time: T + 10 + i, direction: 'in', kind: 'message', data: `m${i}`, size: `m${i}`.length })),
]

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-mock-bad-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('mock server: bad recordings', () => {
  it.each([
    ['a missing file', () => Promise.resolve(join(dir, 'nope.rti.jsonl')), 'E_RECORDING_UNREADABLE', /cannot read/],
    ['an empty file', () => file('empty.rti.jsonl', ''), 'E_RECORDING_NOT_RECORDING', /is empty/],
    ['a file that is not a recording', () => file('notes.txt', 'hello, world\n'), 'E_RECORDING_NOT_RECORDING', /does not start with a recording header/],
    ['JSON that is not a recording header', () => file('other.json', '{"format":"har"}\n'), 'E_RECORDING_NOT_RECORDING', /not an rti recording/],
  ])('%s: a RecordingError, nothing listens', async (_what, make, code, message) => {
    const error = await startMockServer(await make()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RecordingError)
    expect(error).toMatchObject({ code, message: expect.stringMatching(message) })
  })

  it('a technique the mock does not know', async () => {
    const path = await file('carrier-pigeon.rti.jsonl', header('pigeon') + '\n')
    await expect(startMockServer(path)).rejects.toMatchObject({ code: 'E_MOCK_TECHNIQUE', message: expect.stringContaining('"pigeon" cannot be served') })
  })

  it('a recording with nothing the server sent', async () => {
    const path = await file('silent.rti.jsonl', header('websocket') + '\n' + JSON.stringify(wsFrames(0)[0]) + '\n')
    const error = await startMockServer(path).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MockError)
    expect(error).toMatchObject({ code: 'E_MOCK_NOTHING_TO_SERVE' })
    const polling = await file('no-answers.rti.jsonl', header('polling') + '\n')
    await expect(startMockServer(polling)).rejects.toMatchObject({ code: 'E_MOCK_NOTHING_TO_SERVE', message: expect.stringContaining('no HTTP response') })
  })

  it('more than a mock keeps: refused with the limit named', async () => {
    const path = join(dir, 'big.rti.jsonl')
    await writeRecording(path, { technique: 'websocket', url: 'ws://127.0.0.1:1/x' }, wsFrames(50))
    await expect(loadMockRecording(path, { maxBytes: 1 << 20, maxSteps: 20 })).rejects.toMatchObject({ code: 'E_MOCK_TOO_LARGE', message: expect.stringContaining('20 frames') })
    await expect(loadMockRecording(path, { maxBytes: 64, maxSteps: 1000 })).rejects.toMatchObject({ code: 'E_MOCK_TOO_LARGE', message: expect.stringContaining('64 B') })
    expect((await loadMockRecording(path)).script).toMatchObject({ kind: 'stream' })
  })

  it('a corrupted line in the middle and a truncated last line are reported; everything else is served', async () => {
    const lines = wsFrames(4).map((f) => JSON.stringify(f))
    lines.splice(3, 0, '{"seq": 99, "kind": broken')
    const path = await file('damaged.rti.jsonl', [header('websocket'), ...lines, '{"seq":9,"time":1,"direc'].join('\n'))
    const server = await startMockServer(path)
    try {
      expect(server.problems.map((p) => p.line)).toEqual([5, 9])
      expect(server.problems[1]!.message).toMatch(/truncated/)
      const manager = new SessionManager({ net: {} })
      const h = openSession(manager, { technique: 'websocket', url: server.url })
      await h.waitFor('message', () => h.ofKind('message').length === 4)
      expect(h.ofKind('message').map((m) => m.data)).toEqual(['m0', 'm1', 'm2', 'm3'])
      manager.dispose()
    } finally {
      await server.close()
    }
  })

  it('a speed out of range is a programming error, caught before the file is read', async () => {
    await expect(startMockServer(join(dir, 'whatever'), { speed: 0 })).rejects.toThrow(RangeError)
  })
})
