// One message larger than the recorder's 64 MiB queue is written through and the
// recording goes on: every later frame, the close included, is in the file. A payload
// whose line would pass the readers' line cap is kept as a reference (size, SHA-256).
// A recording that stops early makes `rti record` exit 4 with the reason.
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { ConnectionSpecSchema, FrameSchema, type Frame } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { openRecording } from '../../main/recording/read-recording.js'
import { DEFAULT_RECORDING_MAX_PENDING_BYTES, RecordingWriter } from '../../main/recording/recording-writer.js'
import { recordingHeader } from '../../main/recording/recording-writer-header.js'
import { describeRecording } from '../../main/recording/recordings-library.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { runRti } from '../cli/run-rti.js'
import { openSession } from '../helpers/session-harness.js'

const MiB = 1024 * 1024
let dir: string
let server: WebSocketServer
let url: string
let playground: Playground

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-large-message-'))
  playground = await startPlayground()
  // Sends a small message, one of 80 MiB, another small one, then closes cleanly.
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  server.on('connection', (ws) => {
    ws.send('before')
    ws.send(Buffer.alloc(80 * MiB, 'y').toString())
    ws.send('after')
    ws.close(1000, 'done')
  })
  await new Promise((resolve) => server.once('listening', resolve))
  url = `ws://127.0.0.1:${(server.address() as { port: number }).port}/big`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await playground.close()
  await rm(dir, { recursive: true, force: true })
})

async function readBack(path: string): Promise<{ frames: Frame[]; problems: unknown[] }> {
  const reader = await openRecording(path)
  const frames: Frame[] = []
  for await (const frame of reader.frames) frames.push(frame)
  return { frames, problems: reader.problems }
}

describe('a message larger than the recorder queue', () => {
  it('is written through; the recording goes on to the close', { timeout: 60_000 }, async () => {
    expect(80 * MiB).toBeGreaterThan(DEFAULT_RECORDING_MAX_PENDING_BYTES)
    const manager = new SessionManager({ recordingsDir: dir })
    try {
      const h = openSession(manager, { technique: 'websocket', url })
      await h.waitFor('close', undefined, 30_000)
      const info = h.session.info()
      expect(h.ofKind('error')).toEqual([])
      expect(info.recording!.stopped).toBeUndefined()
      await manager.dispose()
      const { frames, problems } = await readBack(info.recording!.path)
      expect(problems).toEqual([])
      const messages = frames.filter((f) => f.kind === 'message')
      expect(messages.map((m) => (m.data!.length > 100 ? `${m.data!.length} bytes` : m.data))).toEqual(['before', `${80 * MiB} bytes`, 'after'])
      expect(frames.at(-1)).toMatchObject({ kind: 'close', code: 1000, reason: 'done' })
      expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1))
    } finally {
      await manager.dispose()
    }
  })

  it('above the line cap, keeps a reference with its size and SHA-256, and records on', async () => {
    const path = join(dir, 'reference.rti.jsonl')
    const stops: string[] = []
    const header = recordingHeader(ConnectionSpecSchema.parse({ technique: 'websocket', url: 'ws://127.0.0.1:1/' }), 1, 'reference')
    const writer = new RecordingWriter({ target: { path, exclusive: true }, header, maxLineBytes: 1 * MiB, onStop: (_code, message) => stops.push(message) })
    const text = Buffer.alloc(2 * MiB, 'z')
    const bytes = Buffer.alloc(900 * 1024, 7) // 1.2 MB as base64: over the cap although the bytes are under it
    const escaped = Buffer.alloc(300 * 1024, 1) // control characters: six bytes each once escaped
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
    writer.message(text, false, 1, 1000)
    writer.message(bytes, true, 2, 1001)
    writer.message(escaped, false, 3, 1002)
    writer.chunk(text, undefined, 4, 1003)
    writer.event('tick', text.toString(), '7', undefined, 5, 1004)
    writer.message(Buffer.from('small'), false, 6, 1005)
    writer.body({ kind: 'close', direction: 'system', code: 1000, reason: '', wasClean: true, idleMs: 0, bytesIn: 0, bytesOut: 0, cause: 'remote-close' }, 7, 1006)
    await writer.close()
    expect(stops).toEqual([])
    const { frames, problems } = await readBack(path)
    expect(problems).toEqual([])
    for (const frame of frames) expect(FrameSchema.safeParse(frame).success).toBe(true)
    expect(frames).toEqual([
      { kind: 'message', direction: 'in', data: '', size: 2 * MiB, omitted: { bytes: 2 * MiB, sha256: sha(text) }, seq: 1, time: 1000 },
      { kind: 'message', direction: 'in', dataBase64: '', binary: true, size: bytes.length, omitted: { bytes: bytes.length, sha256: sha(bytes) }, seq: 2, time: 1001 },
      { kind: 'message', direction: 'in', data: '', size: escaped.length, omitted: { bytes: escaped.length, sha256: sha(escaped) }, seq: 3, time: 1002 },
      { kind: 'chunk', direction: 'in', dataBase64: '', binary: true, size: 2 * MiB, omitted: { bytes: 2 * MiB, sha256: sha(text) }, seq: 4, time: 1003 },
      { kind: 'event', direction: 'in', event: 'tick', data: '', id: '7', omitted: { bytes: 2 * MiB, sha256: sha(text) }, seq: 5, time: 1004 },
      { kind: 'message', direction: 'in', data: 'small', size: 5, seq: 6, time: 1005 },
      expect.objectContaining({ kind: 'close', seq: 7 }),
    ])
  })
})

describe('rti record when the recording stops early', () => {
  it('exits 4 and says why; the Recordings list marks the file', { timeout: 60_000 }, async () => {
    const out = join(dir, 'capped.rti.jsonl')
    const ws = playground.baseUrl.replace(/^http/, 'ws')
    const result = await runRti(['record', `${ws}/ws/ticker?interval=0&count=20000`, '--out', out, '--quiet', '--max-bytes', '65536'], { timeoutMs: 50_000 })
    expect(result.stderr).toMatch(/recording stopped: .* reached its size cap of 64 KiB/)
    expect(result.code).toBe(4)
    // The Recordings list marks it too: the file's last line says why.
    expect((await describeRecording(out, 'capped.rti.jsonl')).stopped).toMatch(/^recording stopped: .* reached its size cap of 64 KiB/)
  })
})
