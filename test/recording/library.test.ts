// The recordings library: what a listing shows of each recording (cheaply, from its
// header and last frame), rename and delete with the index beside it, search by
// endpoint and by content — through the library, the engine's API and `rti sessions`.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from '../../main/contract/index.js'
import { dispatchApiCall } from '../../main/contract/index.js'
import { createEngine } from '../../main/engine.js'
import { openIndexedRecording } from '../../main/recording/recording-index.js'
import { openRecordingsLibrary, recordingsDirOf } from '../../main/recording/recordings-library.js'
import { linesOf, runRti } from '../cli/run-rti.js'

let dataDir: string
let dir: string
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'rti-library-'))
  dir = recordingsDirOf(dataDir)
  await mkdir(dir)
})
afterAll(async () => rm(dataDir, { recursive: true, force: true }))

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5)
function recording(url: string, technique: string, startedAt: number, payloads: string[]): string {
  const header = { format: 'rti-session', version: 1, spec: { technique, url }, startedAt }
  const frames: Frame[] = payloads.map((data, i) => ({ seq: i + 1, time: startedAt + (i + 1) * 1500, direction: 'in', kind: 'message', data, size: data.length }))
  return [header, ...frames].map((v) => JSON.stringify(v)).join('\n') + '\n'
}

async function seed(): Promise<void> {
  for (const name of await readdir(dir)) await rm(join(dir, name))
  await writeFile(join(dir, 'ticker.rti.jsonl'), recording('ws://127.0.0.1:1/ticker', 'websocket', T0, ['price 1', 'price 2', 'Needle here']))
  await writeFile(join(dir, 'events.rti.jsonl'), recording('http://127.0.0.1:2/sse/events', 'sse', T0 + 60_000, ['a', 'b']))
  // A crash left this one's last line cut: the listing uses the last whole frame.
  await writeFile(join(dir, 'crashed.rti.jsonl'), recording('http://127.0.0.1:3/poll', 'polling', T0 - 60_000, ['x', 'y', 'z']).slice(0, -20))
  await writeFile(join(dir, 'notes.rti.jsonl'), 'just some notes\n')
  await writeFile(join(dir, 'other.txt'), 'not listed')
}

describe('recordings library', () => {
  it('lists each recording with endpoint, technique, start, duration, frames and size, newest first; reports files that are not recordings', async () => {
    await seed()
    const list = await openRecordingsLibrary(dir).list()
    expect(list.recordings.map((r) => r.name)).toEqual(['events.rti.jsonl', 'ticker.rti.jsonl', 'crashed.rti.jsonl'])
    expect(list.recordings[1]).toMatchObject({ endpoint: 'ws://127.0.0.1:1/ticker', technique: 'websocket', startedAt: T0, durationMs: 4500, frames: 3, framesExact: false, bytes: expect.any(Number) })
    expect(list.recordings[2]).toMatchObject({ frames: 2, durationMs: 3000 })
    expect(list.problems).toEqual([{ name: 'notes.rti.jsonl', message: expect.stringMatching(/not JSON/) }])
  })

  it('renames a recording with its index, keeps the extension, refuses traversal and never overwrites', async () => {
    await seed()
    const library = openRecordingsLibrary(dir)
    await (await openIndexedRecording(join(dir, 'ticker.rti.jsonl'), { sidecarMinFrames: 1 })).close()
    const renamed = await library.rename('ticker.rti.jsonl', 'prices')
    expect(renamed).toMatchObject({ name: 'prices.rti.jsonl', endpoint: 'ws://127.0.0.1:1/ticker' })
    const files = await readdir(dir)
    expect(files).toContain('prices.rti.jsonl.idx')
    expect(files).not.toContain('ticker.rti.jsonl')
    expect(files).not.toContain('ticker.rti.jsonl.idx')
    await expect(library.rename('prices.rti.jsonl', 'events.rti.jsonl')).rejects.toMatchObject({ code: 'E_LIBRARY_EXISTS' })
    for (const bad of ['../escape', 'a/b', '..\\b', '.hidden', '']) await expect(library.rename('prices.rti.jsonl', bad)).rejects.toMatchObject({ code: 'E_LIBRARY_INVALID_NAME' })
    await expect(library.rename('../prices.rti.jsonl', 'x')).rejects.toMatchObject({ code: 'E_LIBRARY_INVALID_NAME' })
    await expect(library.rename('gone.rti.jsonl', 'x')).rejects.toMatchObject({ code: 'E_LIBRARY_NOT_FOUND' })
  })

  it('deletes a recording and its index, and nothing else', async () => {
    await seed()
    const library = openRecordingsLibrary(dir)
    await (await openIndexedRecording(join(dir, 'events.rti.jsonl'), { sidecarMinFrames: 1 })).close()
    await library.delete('events.rti.jsonl')
    expect((await readdir(dir)).sort()).toEqual(['crashed.rti.jsonl', 'notes.rti.jsonl', 'other.txt', 'ticker.rti.jsonl'])
    await expect(library.delete('events.rti.jsonl')).rejects.toMatchObject({ code: 'E_LIBRARY_NOT_FOUND' })
  })

  it('searches by endpoint and by content, counting matching frames', async () => {
    await seed()
    const library = openRecordingsLibrary(dir)
    expect((await library.search({ endpoint: 'SSE' })).hits.map((h) => h.name)).toEqual(['events.rti.jsonl'])
    const byContent = await library.search({ text: 'needle' })
    expect(byContent).toEqual({ complete: true, hits: [expect.objectContaining({ name: 'ticker.rti.jsonl', matches: 1, frames: 3, framesExact: true, complete: true })] })
    expect((await library.search({ endpoint: 'sse', text: 'needle' })).hits).toEqual([])
    expect((await library.search({ text: 'price' }, { budgetMs: -1 })).complete).toBe(false)
  })

  it('lists nothing for a folder that does not exist yet', async () => {
    expect(await openRecordingsLibrary(join(dataDir, 'nowhere')).list()).toEqual({ dir: join(dataDir, 'nowhere'), recordings: [], problems: [] })
  })
})

describe('the recordings API', () => {
  it('lists, opens read-only, pages, filters, renames and deletes through the engine', async () => {
    await seed()
    const engine = await createEngine({ dataDir })
    const api = engine.createClient('bridge')
    try {
      const list = await dispatchApiCall(api, 'listRecordings', undefined)
      expect(list).toMatchObject({ ok: true, value: { recordings: [{ name: 'events.rti.jsonl' }, { name: 'ticker.rti.jsonl' }, { name: 'crashed.rti.jsonl' }] } })
      const opened = await dispatchApiCall(api, 'openRecording', { name: 'ticker.rti.jsonl' })
      expect(opened).toMatchObject({ ok: true, value: { name: 'ticker.rti.jsonl', count: 3, durationMs: 4500, header: { spec: { technique: 'websocket' } } } })
      const id = (opened as { value: { id: string } }).value.id
      expect(await dispatchApiCall(api, 'recordingFrames', { id, from: 1, count: 5 })).toMatchObject({ ok: true, value: { from: 1, frames: [{ seq: 2 }, { seq: 3, data: 'Needle here' }], problems: [] } })
      expect(await dispatchApiCall(api, 'filterRecording', { id, query: { text: 'PRICE' } })).toEqual({ ok: true, value: { positions: [0, 1] } })
      expect(await dispatchApiCall(api, 'filterRecording', { id, query: { text: '(', regex: true } })).toMatchObject({ ok: false, error: { code: 'E_RECORDING_BAD_QUERY' } })
      expect(await dispatchApiCall(api, 'searchRecordings', { text: 'needle' })).toMatchObject({ ok: true, value: { hits: [{ name: 'ticker.rti.jsonl', matches: 1 }] } })
      expect(await dispatchApiCall(api, 'renameRecording', { name: 'events.rti.jsonl', newName: 'stream' })).toMatchObject({ ok: true, value: { name: 'stream.rti.jsonl' } })
      expect(await dispatchApiCall(api, 'renameRecording', { name: 'stream.rti.jsonl', newName: '../../etc/passwd' })).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_INVALID_NAME' } })
      expect(await dispatchApiCall(api, 'deleteRecording', '../secrets.json')).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
      // Deleting a recording that is open closes its view first.
      expect(await dispatchApiCall(api, 'deleteRecording', 'ticker.rti.jsonl')).toEqual({ ok: true, value: undefined })
      expect(await dispatchApiCall(api, 'recordingFrames', { id, from: 0, count: 1 })).toMatchObject({ ok: false, error: { code: 'E_RECORDING_UNKNOWN' } })
      expect(await dispatchApiCall(api, 'openRecording', { name: 'notes.rti.jsonl' })).toMatchObject({ ok: false, error: { code: 'E_RECORDING_NOT_RECORDING' } })
      expect(await dispatchApiCall(api, 'openRecording', { path: join(dir, 'crashed.rti.jsonl') })).toMatchObject({ ok: true, value: { count: 2, problemCount: 1 } })
      expect(await dispatchApiCall(api, 'openRecording', { path: join(dir, 'other.txt') })).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
    } finally {
      api.dispose()
      await engine.close()
    }
  })

  it('answers E_LIBRARY_UNAVAILABLE without a data folder, but opens a file by path', async () => {
    await seed()
    const engine = await createEngine({})
    const api = engine.createClient('bridge')
    try {
      for (const [method, argument] of [['listRecordings', undefined], ['deleteRecording', 'a.rti.jsonl'], ['searchRecordings', {}], ['renameRecording', { name: 'a.rti.jsonl', newName: 'b' }], ['openRecording', { name: 'a.rti.jsonl' }]] as const) {
        expect(await dispatchApiCall(api, method, argument)).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_UNAVAILABLE' } })
      }
      const opened = await dispatchApiCall(api, 'openRecording', { path: join(dir, 'ticker.rti.jsonl') })
      expect(opened).toMatchObject({ ok: true, value: { count: 3 } })
      expect(await dispatchApiCall(api, 'closeRecording', (opened as { value: { id: string } }).value.id)).toEqual({ ok: true, value: undefined })
    } finally {
      api.dispose()
      await engine.close()
    }
  })
})

describe('rti sessions', () => {
  it('prints a table of the recordings in a folder, and warns about files that are not recordings', async () => {
    await seed()
    const { code, stdout, stderr } = await runRti(['sessions', '--dir', dir])
    expect(code).toBe(0)
    const rows = linesOf(stdout)
    expect(rows[0]).toMatch(/^STARTED\s+DURATION\s+FRAMES\s+SIZE\s+TECHNIQUE\s+ENDPOINT\s+FILE$/)
    expect(rows).toHaveLength(4)
    expect(rows[1]).toMatch(/3\.0 s\s+~2\s+\d+ B\s+sse\s+http:\/\/127\.0\.0\.1:2\/sse\/events\s+events\.rti\.jsonl$/)
    expect(rows[2]).toMatch(/4\.5 s\s+~3\s+.*websocket\s+ws:\/\/127\.0\.0\.1:1\/ticker\s+ticker\.rti\.jsonl$/)
    expect(stderr).toMatch(/^rti: warning: notes\.rti\.jsonl: .*not JSON/)
  })

  it('prints one JSON object per line with --json, and searches endpoints and content with --search', async () => {
    await seed()
    const json = await runRti(['sessions', '--dir', dir, '--json'])
    const objects = linesOf(json.stdout).map((line) => JSON.parse(line) as { name: string; path: string; frames: number })
    expect(objects.map((o) => o.name)).toEqual(['events.rti.jsonl', 'ticker.rti.jsonl', 'crashed.rti.jsonl'])
    expect(objects[1]).toMatchObject({ path: join(dir, 'ticker.rti.jsonl'), frames: 3, technique: 'websocket', startedAt: T0 })
    const found = await runRti(['sessions', '--dir', dir, '--json', '--search', 'NEEDLE'])
    expect(linesOf(found.stdout).map((line) => (JSON.parse(line) as { name: string }).name)).toEqual(['ticker.rti.jsonl'])
    const byEndpoint = await runRti(['sessions', '--dir', dir, '--json', '--search', '/poll'])
    expect(linesOf(byEndpoint.stdout).map((line) => (JSON.parse(line) as { name: string }).name)).toEqual(['crashed.rti.jsonl'])
    const none = await runRti(['sessions', '--dir', join(dataDir, 'empty'), '--search', 'x'])
    expect([none.code, none.stdout, none.stderr]).toEqual([0, '', expect.stringMatching(/^No recordings in .* match "x"\.\n$/)])
  })
})
