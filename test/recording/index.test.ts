// The recording index: every frame line found by offset, the common fields in columns,
// filters by text, regular expression, kind and direction answered from the bytes, and
// the same rules as the streaming reader for a truncated last line and garbage lines.
import { appendFile, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from '../../main/contract/index.js'
import { openRecording } from '../../main/recording/read-recording.js'
import { openIndexedRecording } from '../../main/recording/recording-index.js'
import { sidecarPathOf } from '../../main/recording/recording-index-sidecar.js'

let dir: string
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'rti-index-'))))
afterAll(async () => rm(dir, { recursive: true, force: true }))

const START = 1795000000000
const header = { format: 'rti-session', version: 1, spec: { technique: 'websocket', url: 'ws://127.0.0.1:1/echo' }, startedAt: START }
const frames: Frame[] = [
  { seq: 1, time: START + 1, direction: 'system', kind: 'connecting', url: 'ws://127.0.0.1:1/echo', attempt: 1 },
  { seq: 2, time: START + 2.5, direction: 'out', kind: 'request', method: 'GET', url: 'ws://127.0.0.1:1/echo', headers: { 'X-Trace': 'Zebra-42' } },
  { seq: 3, time: START + 3, direction: 'system', kind: 'open', protocol: '' },
  { seq: 4, time: START + 4, direction: 'out', kind: 'message', data: 'hello "world"\nsecond line', size: 25 },
  { seq: 5, time: START + 5, direction: 'in', kind: 'message', data: 'Grüße, HELLO back', size: 19 },
  // Keys in another order than the writer's: the index must not depend on it.
  { kind: 'message', data: 'time kind direction message', size: 27, direction: 'in', time: START + 6, seq: 6 } as Frame,
  { seq: 7, time: START + 7, direction: 'system', kind: 'close', code: 1006, reason: 'gone', wasClean: false, idleMs: 60000, bytesIn: 10, bytesOut: 20, cause: 'fin' },
]
const lines = (values: unknown[]) => values.map((v) => JSON.stringify(v)).join('\n') + '\n'

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}

describe('openIndexedRecording', () => {
  it('finds every frame by position and reads it back exactly as the streaming reader does', async () => {
    const path = await file('small.rti.jsonl', lines([header, ...frames]))
    const index = await openIndexedRecording(path)
    try {
      expect(index.header.spec.url).toBe('ws://127.0.0.1:1/echo')
      expect(index.count).toBe(7)
      expect(index.durationMs).toBe(7)
      expect(index.bytes).toBe((await stat(path)).size)
      expect(index.problems).toEqual([])
      expect([...Array(7).keys()].map((i) => index.seqAt(i))).toEqual([1, 2, 3, 4, 5, 6, 7])
      expect(index.timeAt(1)).toBe(START + 2.5)
      expect(index.kindAt(6)).toBe('close')
      expect(index.directionAt(1)).toBe('out')
      const streamed: Frame[] = []
      for await (const frame of (await openRecording(path)).frames) streamed.push(frame)
      expect(await index.frameAt(4)).toEqual(streamed[4])
      expect((await index.framesBetween(0, 7)).frames).toEqual(streamed)
      expect((await index.framesBetween(5, 100)).frames.map((f) => f.seq)).toEqual([6, 7])
      await expect(index.frameAt(7)).rejects.toThrow(RangeError)
    } finally {
      await index.close()
    }
  })

  it('filters by text in what a frame shows, case-insensitively, not in field names or the fields every frame has', async () => {
    const index = await openIndexedRecording(await file('text.rti.jsonl', lines([header, ...frames])))
    try {
      expect([...(await index.filter({ text: 'hello' }))]).toEqual([3, 4])
      expect([...(await index.filter({ text: 'HELLO "WORLD"' }))]).toEqual([3])
      expect([...(await index.filter({ text: 'hello "world"\nsecond' }))]).toEqual([3])
      expect([...(await index.filter({ text: 'grüße' }))]).toEqual([4])
      expect([...(await index.filter({ text: 'zebra-42' }))]).toEqual([1])
      expect([...(await index.filter({ text: 'x-trace' }))]).toEqual([1]) // a header name is content
      expect([...(await index.filter({ text: '1006' }))]).toEqual([6])
      // Field names and the common fields match nowhere, except where a payload says them.
      expect([...(await index.filter({ text: 'time' }))]).toEqual([5])
      expect([...(await index.filter({ text: 'message' }))]).toEqual([5])
      expect([...(await index.filter({ text: 'system' }))]).toEqual([])
      expect([...(await index.filter({ text: '1795' }))]).toEqual([])
      expect([...(await index.filter({ text: 'absent' }))]).toEqual([])
    } finally {
      await index.close()
    }
  })

  it('filters by regular expression, kind and direction, alone or together', async () => {
    const index = await openIndexedRecording(await file('criteria.rti.jsonl', lines([header, ...frames])))
    try {
      // A regular expression runs over the values as JSON writes them: a quote is \".
      expect([...(await index.filter({ text: 'h.llo (back|\\W+w)', regex: true }))]).toEqual([3, 4])
      expect([...(await index.filter({ text: 'hello \\\\"world', regex: true }))]).toEqual([3])
      expect([...(await index.filter({ text: 'seq', regex: true }))]).toEqual([])
      expect([...(await index.filter({ kinds: ['message'] }))]).toEqual([3, 4, 5])
      expect([...(await index.filter({ kinds: ['open', 'close'] }))]).toEqual([2, 6])
      expect([...(await index.filter({ direction: 'out' }))]).toEqual([1, 3])
      expect([...(await index.filter({ direction: 'both' }))]).toEqual([0, 1, 2, 3, 4, 5, 6])
      expect([...(await index.filter({ text: 'hello', direction: 'in' }))]).toEqual([4])
      expect([...(await index.filter({ text: 'hello', kinds: ['close'] }))]).toEqual([])
      await expect(index.filter({ text: '(unclosed', regex: true })).rejects.toMatchObject({ code: 'E_RECORDING_BAD_QUERY' })
      const limited = await index.search({ kinds: ['message'] }, { limit: 2 })
      expect({ positions: [...limited.positions], complete: limited.complete }).toEqual({ positions: [3, 4], complete: false })
    } finally {
      await index.close()
    }
  })

  it('accepts a truncated last line and says so; skips garbage and blank lines with their line numbers', async () => {
    const text = [JSON.stringify(header), JSON.stringify(frames[0]), '{"seq": oops', '', '{"kind":"nonsense"}', JSON.stringify(frames[3]), JSON.stringify(frames[4]).slice(0, 30)].join('\n')
    const index = await openIndexedRecording(await file('damaged.rti.jsonl', text))
    try {
      expect(index.count).toBe(2)
      expect([index.seqAt(0), index.seqAt(1)]).toEqual([1, 4])
      expect(index.problems).toEqual([
        { line: 3, message: 'line 3 is not JSON; skipped' },
        { line: 5, message: 'line 5 is not a frame; skipped' },
        { line: 7, message: expect.stringMatching(/last line \(7\) is truncated/) },
      ])
      expect(index.problemCount).toBe(3)
      expect((await index.frameAt(1))?.seq).toBe(4)
      expect([...(await index.filter({ text: 'hello' }))]).toEqual([1])
    } finally {
      await index.close()
    }
  })

  it('reports a line whose start looks like a frame but whose rest is damaged when that frame is read', async () => {
    const damaged = JSON.stringify(frames[3]).replace('"size":25', '"size":25,,')
    const index = await openIndexedRecording(await file('late-damage.rti.jsonl', [header, frames[0]].map((v) => JSON.stringify(v)).join('\n') + '\n' + damaged + '\n'))
    try {
      expect(index.count).toBe(2)
      const { frames: read, problems } = await index.framesBetween(0, 2)
      expect(read.map((f) => f.seq)).toEqual([1])
      expect(problems).toEqual([{ line: 3, message: 'line 3 is not JSON; skipped' }])
      expect(await index.frameAt(1)).toBeUndefined()
    } finally {
      await index.close()
    }
  })

  it('refuses a file that is not a recording, and a missing one, with the reader’s errors', async () => {
    await expect(openIndexedRecording(await file('not.rti.jsonl', '{"hello":1}\n'))).rejects.toMatchObject({ code: 'E_RECORDING_NOT_RECORDING' })
    await expect(openIndexedRecording(await file('empty.rti.jsonl', ''))).rejects.toMatchObject({ code: 'E_RECORDING_NOT_RECORDING' })
    await expect(openIndexedRecording(join(dir, 'missing.rti.jsonl'))).rejects.toMatchObject({ code: 'E_RECORDING_UNREADABLE' })
    await expect(openIndexedRecording(dir)).rejects.toMatchObject({ code: 'E_RECORDING_UNREADABLE' })
  })

  it('handles a header-only recording and one whose lines are longer than a read', async () => {
    const empty = await openIndexedRecording(await file('header-only.rti.jsonl', lines([header])))
    expect([empty.count, empty.durationMs, [...(await empty.filter({ text: 'x' }))]]).toEqual([0, 0, []])
    await empty.close()
    const big = 'x'.repeat(9 << 20) + 'needle'
    const long = await openIndexedRecording(await file('long.rti.jsonl', lines([header, frames[0], { ...frames[3], data: big, size: big.length }, frames[4]])))
    try {
      expect(long.count).toBe(3)
      expect(((await long.frameAt(1)) as { data: string }).data).toBe(big)
      expect([...(await long.filter({ text: 'NEEDLE' }))]).toEqual([1])
    } finally {
      await long.close()
    }
  })
})

describe('the index kept beside the recording', () => {
  it('is written for a large enough recording, reused while the file is unchanged, rebuilt when it changes', async () => {
    const path = await file('sidecar.rti.jsonl', lines([header, ...frames]))
    const first = await openIndexedRecording(path, { sidecarMinFrames: 1 })
    expect(first.fromSidecar).toBe(false)
    await first.close()
    await expect(stat(sidecarPathOf(path))).resolves.toBeTruthy()

    const second = await openIndexedRecording(path, { sidecarMinFrames: 1 })
    expect(second.fromSidecar).toBe(true)
    expect(second.count).toBe(7)
    expect(await second.frameAt(6)).toEqual(frames[6])
    expect([...(await second.filter({ text: 'hello', direction: 'in' }))]).toEqual([4])
    await second.close()

    // The recording grew (a session still writing): the sidecar no longer fits.
    await appendFile(path, JSON.stringify({ ...frames[4], seq: 8, time: START + 8 }) + '\n')
    const grown = await openIndexedRecording(path, { sidecarMinFrames: 1 })
    expect([grown.fromSidecar, grown.count, grown.seqAt(7)]).toEqual([false, 8, 8])
    await grown.close()

    // Same size, other modification time (rewritten in place): rebuilt too.
    const later = new Date(Date.now() + 5000)
    await utimes(path, later, later)
    const touched = await openIndexedRecording(path, { sidecarMinFrames: 1 })
    expect(touched.fromSidecar).toBe(false)
    await touched.close()
  })

  it('is ignored when damaged, and not written below the frame threshold', async () => {
    const path = await file('damaged-sidecar.rti.jsonl', lines([header, ...frames]))
    await (await openIndexedRecording(path, { sidecarMinFrames: 1 })).close()
    const sidecar = await readFile(sidecarPathOf(path))
    await writeFile(sidecarPathOf(path), sidecar.subarray(0, sidecar.length - 3))
    const reopened = await openIndexedRecording(path, { sidecarMinFrames: Infinity })
    expect([reopened.fromSidecar, reopened.count]).toEqual([false, 7])
    await reopened.close()

    const small = await file('small-no-sidecar.rti.jsonl', lines([header, ...frames]))
    await (await openIndexedRecording(small)).close()
    await expect(stat(sidecarPathOf(small))).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
