// The diff of two runs by content and timing: a recording and its re-send line up as
// the same frames with small timing deltas; a different run shows what changed and
// what only one run has; large runs stay within the stated bounds.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { collectRun, diffRecordingFiles, diffRuns, LCS_MAX_CELLS } from '../../main/replay/frame-diff.js'
import { recordEcho, resendAndWait } from './resend-helpers.js'

let seq = 0
const open = (time: number): Frame => ({ seq: ++seq, time, direction: 'system', kind: 'open', protocol: '' })
const msg = (time: number, direction: 'in' | 'out', data: string): Frame => ({ seq: ++seq, time, direction, kind: 'message', data, size: data.length })

describe('aligning two runs', () => {
  it('same content at other times: all same, deltas measured from each open', async () => {
    const a = await collectRun([open(1000), msg(1010, 'out', 'x'), msg(1020, 'in', 'x'), msg(1100, 'out', 'y')])
    const b = await collectRun([open(5000), msg(5015, 'out', 'x'), msg(5021, 'in', 'x'), msg(5090, 'out', 'y')])
    const diff = diffRuns(a, b)
    expect(diff.pairs.map((p) => p.status)).toEqual(['same', 'same', 'same'])
    expect(diff.pairs.map((p) => p.deltaMs)).toEqual([5, 1, -10])
    expect(diff.summary).toEqual({ same: 3, changed: 0, onlyA: 0, onlyB: 0, medianDeltaMs: 5, maxDeltaMs: 10 })
    expect(diff.alignment).toBe('lcs')
  })

  it('a changed message, one only in A, one only in B', async () => {
    const a = await collectRun([open(0), msg(10, 'out', 'hello'), msg(20, 'out', 'gone'), msg(30, 'in', 'reply'), msg(40, 'out', 'bye')])
    const b = await collectRun([open(0), msg(10, 'out', 'hello'), msg(30, 'in', 'other reply'), msg(35, 'in', 'extra'), msg(41, 'out', 'bye')])
    const diff = diffRuns(a, b)
    expect(diff.pairs.map((p) => [p.status, p.a?.preview, p.b?.preview])).toEqual([
      ['same', 'hello', 'hello'],
      ['only-a', 'gone', undefined],
      ['changed', 'reply', 'other reply'],
      ['only-b', undefined, 'extra'],
      ['same', 'bye', 'bye'],
    ])
    expect(diff.summary).toMatchObject({ same: 2, changed: 1, onlyA: 1, onlyB: 1 })
  })

  it('returns at most maxPairs pairs and counts them all', async () => {
    const frames = (n: number) => [open(0), ...Array.from({ length: n }, (_, i) => msg(i, 'in', `m${i}`))]
    const diff = diffRuns(await collectRun(frames(50)), await collectRun(frames(50)), 10)
    expect(diff.pairs).toHaveLength(10)
    expect(diff.totalPairs).toBe(50)
    expect(diff.summary.same).toBe(50)
  })

  it('reads at most maxFrames of a run and says so', async () => {
    const run = await collectRun([open(0), ...Array.from({ length: 30 }, (_, i) => msg(i, 'in', `m${i}`))], 20)
    expect(run.items).toHaveLength(20)
    expect(run.truncated).toBe(true)
  })

  it('beyond the LCS bound: a greedy alignment, linear, still finds the differences', async () => {
    // 6,000 × 6,000 middles are 36 M cells, past the bound; the head differs so no prefix is set aside.
    const n = 6000
    expect(n * n).toBeGreaterThan(LCS_MAX_CELLS)
    const base = Array.from({ length: n }, (_, i) => msg(i, 'in', `m${i}`))
    const other = base.map((f, i) => (i % 1000 === 500 ? msg(f.time, 'in', `changed ${i}`) : f))
    other.splice(3000, 0, msg(2999.5, 'in', 'inserted'))
    const started = performance.now()
    const diff = diffRuns(await collectRun([open(0), msg(0, 'out', 'first A'), ...base]), await collectRun([open(0), msg(0, 'out', 'first B'), ...other]))
    expect(performance.now() - started).toBeLessThan(2000)
    expect(diff.alignment).toBe('greedy')
    expect(diff.summary).toMatchObject({ same: n - 6, changed: 7, onlyA: 0, onlyB: 1 })
  })
})

describe('a recording against its re-send', () => {
  let dir: string
  let playground: Playground
  let echo: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rti-diff-'))
    playground = await startPlayground({})
    echo = playground.baseUrl.replace(/^http/, 'ws') + '/ws/echo'
  })
  afterAll(async () => {
    await playground.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('the same conversation: every frame the same, timing deltas within tolerance', async () => {
    const original = await recordEcho(dir, echo, ['a', 'b', 'c'], [40, 160, 300])
    const rerun = await resendAndWait(dir, original, { speed: 1 })
    const diff = await diffRecordingFiles(original, rerun.path)
    // Three sent, three echoed, the close.
    expect(diff.summary).toMatchObject({ same: 7, changed: 0, onlyA: 0, onlyB: 0 })
    expect(diff.summary.maxDeltaMs).toBeLessThan(40)
    expect(diff.summary.medianDeltaMs).toBeLessThan(20)
  })

  it('a different run: changed and one-sided pairs where the runs part', async () => {
    const original = await recordEcho(dir, echo, ['a', 'b', 'c'], [40, 160, 300])
    const different = await recordEcho(dir, echo, ['a', 'B!', 'c', 'd'], [40, 160, 300, 350])
    const diff = await diffRecordingFiles(original, different)
    expect(diff.summary).toMatchObject({ same: 5, changed: 2, onlyA: 0, onlyB: 2 })
    const changed = diff.pairs.filter((p) => p.status === 'changed').map((p) => [p.a!.preview, p.b!.preview])
    expect(changed).toEqual([
      ['b', 'B!'],
      ['b', 'B!'],
    ])
    expect(diff.pairs.filter((p) => p.status === 'only-b').map((p) => [p.b!.direction, p.b!.preview])).toEqual([
      ['out', 'd'],
      ['in', 'd'],
    ])
  })
})
