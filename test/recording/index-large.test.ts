// A million-frame recording, generated here: the index finds every frame and the
// filters count what the generator put in. Times are printed for the record (the
// budgets in docs/architecture.md), never asserted — speed is measured in bench/, not tested.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { generatedData } from '../../bench/generate-recording.js'
import { measureIndex, printIndexFigures } from '../../bench/recording-index.js'

/** How many generated frames' shown text satisfies `test` (a ping shows p<i>). */
function expected(test: (i: number, text: string) => boolean): number {
  let n = 0
  for (let i = 0; i < 1_000_000; i++) if (test(i, i % 1000 === 999 ? `p${i}` : JSON.stringify(generatedData(i)))) n++
  return n
}

let dir: string
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'rti-index-large-'))))
afterAll(async () => rm(dir, { recursive: true, force: true }))

it('indexes and filters a 1,000,000-frame recording', { timeout: 120_000 }, async () => {
  const figures = await measureIndex(1_000_000, dir)
  printIndexFigures(figures)
  const matches = Object.fromEntries(figures.filters.map((f) => [f.label, f.matches]))
  expect(matches).toEqual({
    'rare text': expected((_, text) => text.includes('p99')),
    'common text': 900_000,
    'text with quotes': 99_000,
    'absent text': 0,
    'regular expression': expected((i, text) => i % 10 !== 9 && /price\W+97[0-6]\.5/.test(text)),
    'kind only (ping)': 1000,
  })
})
