// `rti export` and `rti import` as a user runs them: the real bin, real files, a
// session recorded against the real playground.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from '../../main/contract/index.js'
import { startPlayground } from '../../main/playground/index.js'
import { runRti } from '../cli/run-rti.js'
import { messagesOf, readFrames, recordSession, writeRecording } from './har-helpers.js'

let dir: string
let recording: string
let frames: Frame[]
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-har-cli-'))
  const playground = await startPlayground()
  try {
    const url = `${playground.baseUrl.replace('http', 'ws')}/ws/echo`
    frames = await recordSession({ technique: 'websocket', url, headers: [{ name: 'Authorization', value: 'Bearer cli-secret' }] }, async (h) => {
      await h.waitFor('open')
      for (const data of ['one', 'two', 'three']) h.session.send({ type: 'text', data })
      await h.waitFor('message', (m) => m.direction === 'in' && m.data === 'three')
    })
    recording = join(dir, 'session.rti.jsonl')
    await writeRecording(recording, { technique: 'websocket', url }, frames)
  } finally {
    await playground.close()
  }
})
afterAll(async () => rm(dir, { recursive: true, force: true }))

describe('rti export', () => {
  it('--har writes HAR 1.2 with the secrets redacted and says what it wrote; --include-secrets keeps them', async () => {
    const out = join(dir, 'session.har')
    const result = await runRti(['export', recording, '--har', out])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toBe(`wrote ${out}: HAR 1.2, 1 entry, 6 messages, 1 secret redacted (--include-secrets keeps them)\n`)
    const text = await readFile(out, 'utf8')
    expect(text).not.toContain('cli-secret')
    expect(JSON.parse(text).log.entries[0]._webSocketMessages).toHaveLength(6)

    const kept = join(dir, 'session-secrets.har')
    expect(await runRti(['export', recording, '--har', kept, '--include-secrets'])).toMatchObject({ code: 0 })
    expect(await readFile(kept, 'utf8')).toContain('Bearer cli-secret')
  })

  it('--ndjson writes the messages alone; --copy the recording as it is', async () => {
    const ndjson = join(dir, 'messages.ndjson')
    const copy = join(dir, 'copy.rti.jsonl')
    const [a, b] = await Promise.all([runRti(['export', recording, '--ndjson', ndjson]), runRti(['export', recording, '--copy', copy])])
    expect(a).toMatchObject({ code: 0, stdout: `wrote ${ndjson}: 6 messages, one JSON frame a line\n` })
    expect(b).toMatchObject({ code: 0, stdout: `wrote ${copy}: a copy of ${recording}\n` })
    const lines = (await readFile(ndjson, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as Frame)
    expect(lines.map((f) => f.kind === 'message' && f.data)).toEqual(['one', 'two', 'three', 'one', 'two', 'three'])
    expect(await readFile(copy, 'utf8')).toBe(await readFile(recording, 'utf8'))
  })

  it('needs exactly one of --har, --ndjson, --copy, and a recording: one line, exit 2', async () => {
    const none = await runRti(['export', recording])
    expect(none).toMatchObject({ code: 2, stdout: '', stderr: 'rti: say what to export to: --har OUT, --ndjson OUT or --copy OUT\n' })
    const two = await runRti(['export', recording, '--har', join(dir, 'x.har'), '--copy', join(dir, 'x.rti.jsonl')])
    expect(two).toMatchObject({ code: 2, stderr: 'rti: export to one of --har, --ndjson or --copy at a time, not --har and --copy\n' })
    const notRecording = join(dir, 'notes.txt')
    await writeFile(notRecording, 'just text\n')
    const bad = await runRti(['export', notRecording, '--har', join(dir, 'y.har')])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^rti: .*notes\.txt does not start with a recording header .*\[E_RECORDING_NOT_RECORDING\]\n$/)
  })
})

describe('rti import', () => {
  it('imports an exported HAR into a directory, prints the file, and the messages come back', async () => {
    const har = join(dir, 'for-import.har')
    expect(await runRti(['export', recording, '--har', har])).toMatchObject({ code: 0 })
    const result = await runRti(['import', har, '--out', `${dir}/`])
    const created = join(dir, 'for-import.rti.jsonl')
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toMatch(new RegExp(`^created ${created.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: websocket ws://127\\.0\\.0\\.1:\\d+/ws/echo, 11 frames, 6 messages\\n$`))
    const back = await readFrames(created)
    expect(back.header.source).toBe('har-import')
    const strip = (list: Frame[]) => messagesOf(list).map(({ time: _t, ...rest }) => rest)
    expect(strip(back.frames)).toEqual(strip(frames))
    messagesOf(back.frames).forEach((m, i) => expect(Math.abs(m.time - messagesOf(frames)[i]!.time)).toBeLessThan(1))
  })

  it('a bad HAR is one line naming the field, exit 2', async () => {
    const har = join(dir, 'bad.har')
    await writeFile(har, JSON.stringify({ log: { version: '1.2', entries: [{ startedDateTime: '2026-01-01T00:00:00Z', request: { method: 'GET', url: 'http://x/' }, response: { status: 200, headers: [] } }] } }))
    const result = await runRti(['import', har, '--out', join(dir, 'bad.rti.jsonl')])
    expect(result).toMatchObject({ code: 2, stdout: '' })
    expect(result.stderr).toBe(`rti: ${har} is not a valid HAR: log.entries[0].request.headers: missing [E_HAR_INVALID]\n`)
  })
})
