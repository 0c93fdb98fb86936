// The recording readers fed random and mutated files: the line reader splits any
// bytes exactly as a plain split does (a line over its cap reported, never held),
// whatever its piece size; a file with a valid header and any body never makes the
// reader or the index throw, and every frame they hand out is a valid frame; a valid
// recording reads back frame for frame, through the reader and through the index.
import fc from 'fast-check'
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FrameSchema, RECORDING_FORMAT, RECORDING_VERSION, type Frame } from '../../main/contract/index.js'
import { LineReader, lineText } from '../../main/recording/line-reader.js'
import { openRecording, RecordingError } from '../../main/recording/read-recording.js'
import { openIndexedRecording } from '../../main/recording/recording-index.js'
import { fuzzAsync, tokenBytes } from './fuzz.js'

let dir: string
let n = 0
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'rti-fuzz-recording-'))))
afterAll(async () => rm(dir, { recursive: true, force: true }))

const HEADER = JSON.stringify({ format: RECORDING_FORMAT, version: RECORDING_VERSION, spec: { technique: 'websocket', url: 'ws://127.0.0.1:1/x' }, startedAt: 1 }) + '\n'

async function file(content: Buffer | string): Promise<string> {
  const path = join(dir, `f${n++}.rti.jsonl`)
  await writeFile(path, content)
  return path
}

async function readAll(path: string): Promise<{ frames: Frame[]; problems: number }> {
  const reader = await openRecording(path)
  const frames: Frame[] = []
  for await (const frame of reader.frames) frames.push(frame)
  return { frames, problems: reader.problems.length }
}

const text = fc.string({ unit: fc.oneof(fc.constantFrom(...Array.from('ab "\\\n\r\t\u0000\u2028é€😀{}')), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 30 })
const frameArb = fc.oneof(
  fc.record({ kind: fc.constant('message'), direction: fc.constantFrom('in', 'out'), data: text }).map((f) => ({ ...f, size: Buffer.byteLength(f.data) })),
  fc.record({ kind: fc.constant('message'), direction: fc.constant('in'), dataBase64: fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b).toString('base64')), binary: fc.constant(true) }).map((f) => ({ ...f, size: Buffer.from(f.dataBase64, 'base64').length })),
  fc.record({ kind: fc.constant('event'), direction: fc.constant('in'), event: text, data: text, id: text }),
  fc.record({ kind: fc.constant('error'), direction: fc.constant('system'), code: fc.constantFrom('E_X', 'E_RECORDING_LIMIT'), message: text }),
)

describe('recording readers under fuzzing', () => {
  it('the line reader splits any bytes as a plain split does, whatever its piece size and cap', async () => {
    await fuzzAsync(
      'recording line reader, random bytes',
      fc.record({ body: tokenBytes(['\n', '\r\n', '{"seq":1}', 'xxxxxxxxxxxxxxxxxxxxxxxx'], 40), chunkBytes: fc.integer({ min: 1, max: 64 }), max: fc.integer({ min: 1, max: 48 }) }),
      async ({ body, chunkBytes, max }) => {
        const handle = await open(await file(body), 'r')
        try {
          const seen: (string | number)[] = []
          const reader = new LineReader(handle, { chunkBytes, maxLineBytes: max })
          while (await reader.next((line) => seen.push(line.tooLong ? line.bytes : lineText(line))));
          const expected = body.toString('latin1').split('\n')
          if (expected.at(-1) === '') expected.pop()
          expect(seen).toEqual(expected.map((l) => (l.length > max ? l.length : Buffer.from(l.replace(/\r$/, ''), 'latin1').toString())))
        } finally {
          await handle.close()
        }
      },
      300,
    )
  })

  it('a valid header and any body: no exception, and every frame handed out is a frame', async () => {
    const line = JSON.stringify({ seq: 1, time: 2, direction: 'in', kind: 'message', data: 'x', size: 1 })
    await fuzzAsync(
      'recording reader and index, random and mutated bodies',
      tokenBytes(['\n', line, line.slice(0, 20), '{"seq":2,"time":3,"direction":"in","kind":"close"}', '{"seq":', '"kind":"message"', '"direction":"out"', '{', '}', '"', '\\', '\r\n', 'null', '[]'], 30),
      async (body) => {
        const path = await file(Buffer.concat([Buffer.from(HEADER), body]))
        const { frames, problems } = await readAll(path)
        const lines = body.toString('latin1').split('\n').length
        expect(frames.length + problems).toBeLessThanOrEqual(lines)
        for (const frame of frames) expect(FrameSchema.safeParse(frame).success).toBe(true)
        const index = await openIndexedRecording(path, { sidecarMinFrames: Infinity })
        try {
          expect(index.count).toBeLessThanOrEqual(lines)
          const read = await index.framesBetween(0, index.count)
          expect(read.frames.length).toBeLessThanOrEqual(index.count)
        } finally {
          await index.close()
        }
      },
      300,
    )
  })

  it('any file at all: a reader, or RecordingError', async () => {
    await fuzzAsync(
      'recording reader, random files',
      tokenBytes(['\n', HEADER, HEADER.slice(0, 30), '{"format":"rti-session"', '"version":1', '{', '}', '\ufeff'], 12),
      async (content) => {
        const path = await file(content)
        for (const opening of [() => readAll(path), () => openIndexedRecording(path, { sidecarMinFrames: Infinity }).then((i) => i.close())]) {
          await opening().catch((error: unknown) => expect(error).toBeInstanceOf(RecordingError))
        }
      },
      200,
    )
  })

  it('a valid recording reads back frame for frame, through the reader and the index', async () => {
    await fuzzAsync(
      'recording reader and index, valid recordings',
      fc.array(frameArb, { maxLength: 12 }),
      async (bodies) => {
        const frames = bodies.map((body, i) => ({ ...body, seq: i + 1, time: 1000 + i }) as Frame)
        const path = await file(HEADER + frames.map((f) => JSON.stringify(f) + '\n').join(''))
        const expected = frames.map((f) => JSON.parse(JSON.stringify(f)) as Frame)
        const { frames: read, problems } = await readAll(path)
        expect(problems).toBe(0)
        expect(read).toEqual(expected)
        const index = await openIndexedRecording(path, { sidecarMinFrames: Infinity })
        try {
          expect(index.count).toBe(frames.length)
          expect((await index.framesBetween(0, index.count)).frames).toEqual(expected)
        } finally {
          await index.close()
        }
      },
      200,
    )
  })
})
