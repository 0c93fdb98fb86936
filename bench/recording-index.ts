// Open and filter times for a generated 1,000,000-frame recording (docs/architecture.md ("Budgets"): open
// under 2 s, a text filter under 0.5 s). Printed, never asserted.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RecordingQuery } from '../main/contract/index.js'
import { openIndexedRecording } from '../main/recording/recording-index.js'
import { generateRecording } from './generate-recording.js'

export interface IndexFigures {
  frames: number
  bytes: number
  openMs: number
  /** Opening again with the index kept beside the file. */
  reopenMs: number
  filters: { label: string; ms: number; matches: number }[]
}

export const INDEX_QUERIES: { label: string; query: RecordingQuery }[] = [
  { label: 'rare text', query: { text: 'p99' } },
  { label: 'common text', query: { text: 'TICK' } },
  { label: 'text with quotes', query: { text: '"op":"ack"' } },
  { label: 'absent text', query: { text: 'no-such-thing' } },
  { label: 'regular expression', query: { text: 'price\\W+97[0-6]\\.5', regex: true } },
  { label: 'kind only (ping)', query: { kinds: ['ping'] } },
]

export async function measureIndex(count = 1_000_000, dir?: string): Promise<IndexFigures> {
  const folder = dir ?? (await mkdtemp(join(tmpdir(), 'rti-bench-index-')))
  try {
    const path = join(folder, 'big.rti.jsonl')
    const bytes = await generateRecording(path, count)
    let started = performance.now()
    const index = await openIndexedRecording(path, { sidecarMinFrames: 0 })
    const openMs = performance.now() - started
    const filters = []
    for (const { label, query } of INDEX_QUERIES) {
      started = performance.now()
      const matches = (await index.filter(query)).length
      filters.push({ label, ms: performance.now() - started, matches })
    }
    await index.close()
    started = performance.now()
    const again = await openIndexedRecording(path)
    const reopenMs = performance.now() - started
    await again.close()
    return { frames: count, bytes, openMs, reopenMs, filters }
  } finally {
    if (!dir) await rm(folder, { recursive: true, force: true })
  }
}

export function printIndexFigures(figures: IndexFigures): void {
  console.log(`Recording index, ${figures.frames.toLocaleString('en-US')} frames (${(figures.bytes / 1e6).toFixed(0)} MB)`)
  console.log(`  open (index built)      ${figures.openMs.toFixed(0).padStart(6)} ms   (goal < 2000 ms)`)
  console.log(`  open (index reused)     ${figures.reopenMs.toFixed(0).padStart(6)} ms`)
  for (const f of figures.filters) console.log(`  filter: ${f.label.padEnd(30)} ${f.ms.toFixed(0).padStart(6)} ms  ${f.matches.toLocaleString('en-US').padStart(9)} frames   (goal < 500 ms)`)
  console.log('')
}

export async function runIndexBench(): Promise<void> {
  printIndexFigures(await measureIndex())
}
