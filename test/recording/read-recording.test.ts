// Reading recordings back: the header checked, frames streamed, a truncated last line
// (what a crash leaves) and bad lines reported without losing the rest.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from '../../main/contract/index.js'
import { openRecording, RecordingError } from '../../main/recording/read-recording.js'

let dir: string
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'rti-read-recording-'))))
afterAll(async () => rm(dir, { recursive: true, force: true }))

const header = { format: 'rti-session', version: 1, spec: { technique: 'websocket', url: 'ws://127.0.0.1:1/echo' }, startedAt: 1795000000000 }
const frame = (seq: number): Frame => ({ seq, time: 1795000000000 + seq, direction: 'in', kind: 'message', data: `m${seq}`, size: 2 }) as Frame

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}

async function readAll(path: string) {
  const reader = await openRecording(path)
  const frames: Frame[] = []
  for await (const f of reader.frames) frames.push(f)
  return { header: reader.header, frames, problems: reader.problems }
}

describe('openRecording', () => {
  it('reads the header and every frame in order', async () => {
    const path = await file('ok.rti.jsonl', [header, frame(1), frame(2), frame(3)].map((v) => JSON.stringify(v)).join('\n') + '\n')
    const { header: h, frames, problems } = await readAll(path)
    expect(h.spec.url).toBe('ws://127.0.0.1:1/echo')
    expect(frames.map((f) => f.seq)).toEqual([1, 2, 3])
    expect(problems).toEqual([])
  })

  it('accepts a truncated last line and says so', async () => {
    const path = await file('crash.rti.jsonl', [header, frame(1), frame(2)].map((v) => JSON.stringify(v)).join('\n') + '\n' + JSON.stringify(frame(3)).slice(0, 20))
    const { frames, problems } = await readAll(path)
    expect(frames.map((f) => f.seq)).toEqual([1, 2])
    expect(problems).toEqual([{ line: 4, message: expect.stringMatching(/last line \(4\) is truncated/) }])
  })

  it('skips a garbage line in the middle with its line number and reads on', async () => {
    const path = await file('garbage.rti.jsonl', [JSON.stringify(header), JSON.stringify(frame(1)), '{"seq": oops', '{"kind":"nonsense"}', JSON.stringify(frame(2))].join('\n'))
    const { frames, problems } = await readAll(path)
    expect(frames.map((f) => f.seq)).toEqual([1, 2])
    expect(problems.map((p) => p.line)).toEqual([3, 4])
  })

  it('refuses a file that is not a recording, and a missing one, with a clear error', async () => {
    await expect(openRecording(await file('not.json', '{"hello":1}\n'))).rejects.toMatchObject({ code: 'E_RECORDING_NOT_RECORDING' })
    await expect(openRecording(await file('empty.rti.jsonl', ''))).rejects.toBeInstanceOf(RecordingError)
    await expect(openRecording(join(dir, 'missing.rti.jsonl'))).rejects.toMatchObject({ code: 'E_RECORDING_UNREADABLE' })
  })
})
