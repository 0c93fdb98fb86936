// A recording dropped on a browser page reaches the engine in chunks: stored in the
// recordings folder under a free name, then played back by that name. Whatever is
// wrong with it — not a recording, a name with folders in it, too big, chunks out of
// order — is one clear error and leaves no file behind.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatchApiCall, type Frame, type FrameBatch, type InspectorApi, type SessionInfo, type UploadRecordingAnswer } from '../../main/contract/index.js'
import { createEngine, type Engine } from '../../main/engine.js'
import { openRecordingsLibrary } from '../../main/recording/recordings-library.js'
import { playbackApi } from '../../main/replay/playback-api.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { writeRecording } from './recorded-session.js'

let dataDir: string
let recordingsDir: string
let engine: Engine
let api: InspectorApi & { dispose(): void }
let file: Buffer
const frames: Frame[] = Array.from({ length: 300 }, (_, i) => ({ seq: i + 1, time: 1_700_000_000_000 + i * 10, direction: 'in', kind: 'message', data: `message ${i} ${'x'.repeat(40)}`, size: 50 }) as Frame)

/** Sends a file in chunks of `size` bytes; answers the last call's result. */
async function upload(fileName: string, bytes: Buffer, size: number, target: InspectorApi = api) {
  let answer
  for (let offset = 0; offset === 0 || offset < bytes.length; offset += size) {
    const chunk = bytes.subarray(offset, offset + size)
    answer = await dispatchApiCall(target, 'uploadRecording', { fileName, offset, base64: chunk.toString('base64'), final: offset + size >= bytes.length })
    if (!answer.ok) return answer
  }
  return answer!
}

const leftovers = async () => (await readdir(recordingsDir).catch(() => [] as string[])).filter((n) => n.endsWith('.part'))

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'rti-upload-'))
  recordingsDir = join(dataDir, 'recordings')
  const source = join(dataDir, 'source.rti.jsonl')
  await writeRecording(source, { technique: 'websocket', url: 'ws://127.0.0.1:9/feed' }, frames)
  file = await readFile(source)
  engine = await createEngine({ dataDir })
  api = engine.createClient('bridge')
})

afterAll(async () => {
  api?.dispose()
  await engine?.close()
  await rm(dataDir, { recursive: true, force: true })
})

describe('uploading a dropped recording', () => {
  it('stores it in chunks under its name, then plays it back by that name', async () => {
    expect(file.length).toBeGreaterThan(3 * 4096)
    const answer = await upload('feed.rti.jsonl', file, 4096)
    expect(answer).toEqual({ ok: true, value: { bytes: file.length, name: 'feed.rti.jsonl' } })
    expect(await readFile(join(recordingsDir, 'feed.rti.jsonl'))).toEqual(file)
    expect(await leftovers()).toEqual([])

    const opened = await dispatchApiCall(api, 'openPlayback', { name: 'feed.rti.jsonl' })
    expect(opened).toMatchObject({ ok: true, value: { playback: { name: 'feed.rti.jsonl', count: 300 } } })
    const id = (opened as { value: SessionInfo }).value.id
    const got: Frame[] = []
    const done = new Promise<void>((resolve) =>
      api.onFrames((batch: FrameBatch) => {
        if (batch.sessionId !== id) return
        got.push(...batch.frames)
        if (batch.state === 'closed') resolve()
      }),
    )
    await api.subscribe({ sessionId: id })
    await done
    expect(got).toEqual(frames)
    await api.closeSession(id)
  })

  it('never overwrites: the same name again is stored beside it, and a name without the extension gets it', async () => {
    expect(await upload('feed.rti.jsonl', file, 1 << 20)).toEqual({ ok: true, value: { bytes: file.length, name: 'feed (2).rti.jsonl' } })
    expect(await upload('other.jsonl', file, 1 << 20)).toEqual({ ok: true, value: { bytes: file.length, name: 'other.rti.jsonl' } })
    expect(await upload('we:ird?.rti.jsonl', file, 1 << 20)).toEqual({ ok: true, value: { bytes: file.length, name: 'we_ird_.rti.jsonl' } })
    const listed = await api.listRecordings()
    expect(listed.ok && listed.value.recordings.map((r) => r.name).sort()).toEqual(['feed (2).rti.jsonl', 'feed.rti.jsonl', 'other.rti.jsonl', 'we_ird_.rti.jsonl'])
  })

  it('refuses a file that is not a recording, a name with folders, chunks out of order, and leaves nothing behind', async () => {
    const notRecording = Buffer.from('{"hello":"world"}\n{"seq":1}\n')
    expect(await upload('notes.rti.jsonl', notRecording, 1024)).toMatchObject({ ok: false, error: { code: 'E_RECORDING_NOT_RECORDING', message: expect.stringContaining('not an rti recording') } })
    expect(await upload('plain.rti.jsonl', Buffer.from('just some text, no line break'), 10)).toMatchObject({ ok: false, error: { code: 'E_RECORDING_NOT_RECORDING' } })
    for (const name of ['../evil.rti.jsonl', 'a/b.rti.jsonl', 'C:\\x\\y.rti.jsonl', '.hidden.rti.jsonl']) {
      expect(await upload(name, file, 1 << 20), name).toMatchObject({ ok: false, error: { code: 'E_UPLOAD_INVALID_NAME' } })
    }
    const first = await dispatchApiCall(api, 'uploadRecording', { fileName: 'gap.rti.jsonl', offset: 0, base64: file.subarray(0, 1000).toString('base64'), final: false })
    expect(first).toEqual({ ok: true, value: { bytes: 1000 } })
    expect(await dispatchApiCall(api, 'uploadRecording', { fileName: 'gap.rti.jsonl', offset: 2000, base64: 'AAAA', final: true })).toMatchObject({ ok: false, error: { code: 'E_UPLOAD_OFFSET' } })
    expect(await dispatchApiCall(api, 'uploadRecording', { fileName: 'never.rti.jsonl', offset: 10, base64: 'AAAA', final: true })).toMatchObject({ ok: false, error: { code: 'E_UPLOAD_UNKNOWN' } })
    // A chunk over 4 MiB never reaches the engine.
    expect(await dispatchApiCall(api, 'uploadRecording', { fileName: 'huge.rti.jsonl', offset: 0, base64: 'A'.repeat(6 * 1024 * 1024), final: true })).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
    expect(await leftovers()).toEqual([])
    const listed = await api.listRecordings()
    expect(listed.ok && listed.value.recordings.map((r) => r.name)).not.toContain('notes.rti.jsonl')
  })

  it('refuses a file over the size bound as it crosses it, keeping nothing', async () => {
    const sessions = new SessionManager()
    const small = playbackApi(sessions, openRecordingsLibrary(recordingsDir), { maxUploadBytes: 10_000 })
    const answer = await upload('big.rti.jsonl', file, 4096, small as unknown as InspectorApi)
    expect(answer).toMatchObject({ ok: false, error: { code: 'E_UPLOAD_TOO_BIG', message: expect.stringContaining('10000 bytes') } })
    expect((answer as { ok: false }).ok).toBe(false)
    expect(await leftovers()).toEqual([])
    expect(await readdir(recordingsDir)).not.toContain('big.rti.jsonl')
    small.dispose()
    await sessions.dispose()
  })

  it('drops an unfinished upload when its client goes away', async () => {
    const client = engine.createClient('bridge')
    const answer = (await dispatchApiCall(client, 'uploadRecording', { fileName: 'half.rti.jsonl', offset: 0, base64: file.subarray(0, 2048).toString('base64'), final: false })) as { ok: true; value: UploadRecordingAnswer }
    expect(answer.value.bytes).toBe(2048)
    expect(await leftovers()).toHaveLength(1)
    client.dispose()
    await expect.poll(leftovers).toEqual([])
  })
})
