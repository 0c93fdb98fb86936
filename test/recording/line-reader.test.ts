// The recordings' one line reader: every line visited in order with its number and
// offset, CRLF tolerated, a cut last line flagged, and a line over the cap reported
// without its bytes ever being held (small caps here; the 1 GB case is huge-line.test.ts).
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LineReader, lineText, type LineReaderOptions } from '../../main/recording/line-reader.js'

let dir: string
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'rti-line-reader-'))))
afterAll(async () => rm(dir, { recursive: true, force: true }))

interface Seen {
  number: number
  offset: number
  bytes: number
  text: string | undefined
  last: boolean
}

async function linesOf(content: string, options: LineReaderOptions = {}): Promise<Seen[]> {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}`)
  await writeFile(path, content)
  const handle = await open(path, 'r')
  try {
    const reader = new LineReader(handle, options)
    const seen: Seen[] = []
    while (
      await reader.next((line) => {
        expect(line.bytes).toBeGreaterThanOrEqual(line.end - line.start)
        seen.push({ number: line.number, offset: line.offset, bytes: line.bytes, text: line.tooLong ? undefined : lineText(line), last: line.last })
      })
    );
    return seen
  } finally {
    await handle.close()
  }
}

describe('LineReader', () => {
  it('visits every line in order with its number, offset and length, whatever the piece size', async () => {
    const content = 'one\ntwo\r\n\nthree\nfour'
    const expected = [
      { number: 1, offset: 0, bytes: 3, text: 'one', last: false },
      { number: 2, offset: 4, bytes: 4, text: 'two', last: false },
      { number: 3, offset: 9, bytes: 0, text: '', last: false },
      { number: 4, offset: 10, bytes: 5, text: 'three', last: false },
      { number: 5, offset: 16, bytes: 4, text: 'four', last: true },
    ]
    for (const chunkBytes of [1, 2, 3, 7, 1 << 20]) expect(await linesOf(content, { chunkBytes })).toEqual(expected)
  })

  it('keeps multi-byte characters whole across pieces', async () => {
    const text = 'é€😀'.repeat(20)
    expect((await linesOf(`${text}\n${text}\n`, { chunkBytes: 5 })).map((l) => l.text)).toEqual([text, text])
  })

  it('reports a line over the cap with its length and reads on, without holding it', async () => {
    const long = 'x'.repeat(100)
    const seen = await linesOf(`a\n${long}\nb\n${long}`, { maxLineBytes: 16, chunkBytes: 4 })
    expect(seen).toEqual([
      { number: 1, offset: 0, bytes: 1, text: 'a', last: false },
      { number: 2, offset: 2, bytes: 100, text: undefined, last: false },
      { number: 3, offset: 103, bytes: 1, text: 'b', last: false },
      { number: 4, offset: 105, bytes: 100, text: undefined, last: true },
    ])
  })

  it('keeps a line exactly at the cap and refuses one byte more', async () => {
    const seen = await linesOf(`${'y'.repeat(16)}\n${'z'.repeat(17)}\n`, { maxLineBytes: 16, chunkBytes: 3 })
    expect(seen.map((l) => l.text)).toEqual(['y'.repeat(16), undefined])
  })

  it('starts and stops where told (a file still being written is read up to its size then)', async () => {
    const seen = await linesOf('head\nl2\nl3\npartial', { start: 5, end: 11, firstLine: 2 })
    expect(seen).toEqual([
      { number: 2, offset: 5, bytes: 2, text: 'l2', last: false },
      { number: 3, offset: 8, bytes: 2, text: 'l3', last: false },
    ])
  })

  it('reads an empty file as no lines', async () => {
    expect(await linesOf('')).toEqual([])
  })
})
