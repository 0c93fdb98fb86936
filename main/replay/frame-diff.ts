// Two runs side by side (a recording and its re-send, two re-sends): the message-like
// frames of each aligned by content, each pair said to be the same, changed, or in
// one run only, with how much later or earlier it came after open.
//
// Bounds: at most MAX_DIFF_FRAMES message-like frames of each run are compared (the
// rest are counted as not read). After the common head and tail are set aside, the
// middle is aligned by a longest common subsequence while it is at most
// LCS_MAX_CELLS cells (e.g. 2,000 × 2,000 frames: a table of 4 bytes a cell, 16 MB);
// beyond that a greedy alignment looks at most GREEDY_WINDOW frames ahead in either
// run for the nearest match, which is linear and misses only moves farther than that.
import { createHash } from 'node:crypto'
import type { Frame } from '../contract/index.js'
import { openRecording } from '../recording/read-recording.js'
import type { DiffPair, DiffSide, FrameDiff } from '../contract/resend.js'

export const MAX_DIFF_FRAMES = 50_000
export const LCS_MAX_CELLS = 4_000_000
export const GREEDY_WINDOW = 256
export const DEFAULT_MAX_PAIRS = 1000
const PREVIEW = 120
/** Content longer than this is compared by its hash, so a run's keys stay small. */
const KEY_INLINE = 256

const COMPARED: ReadonlySet<Frame['kind']> = new Set(['message', 'event', 'chunk', 'ping', 'pong', 'close', 'error'])

interface Item {
  side: DiffSide
  /** Same kind, direction and content ⇔ same key. */
  key: string
  /** Kind and direction: items that share it and differ in content are "changed". */
  shape: string
}

interface Run {
  items: Item[]
  truncated: boolean
}

/** Reads the frames worth comparing from one run, at most `limit` of them. */
export async function collectRun(frames: AsyncIterable<Frame> | Iterable<Frame>, limit = MAX_DIFF_FRAMES): Promise<Run> {
  const items: Item[] = []
  const early: Frame[] = []
  let base: number | undefined
  let first: number | undefined
  let truncated = false
  for await (const frame of frames) {
    first ??= frame.time
    if (base === undefined && frame.kind === 'open') base = frame.time
    if (!COMPARED.has(frame.kind)) continue
    if (items.length + early.length >= limit) {
      truncated = true
      break
    }
    // Times count from open; frames before it (a refusal's error) wait until it is known or never comes.
    if (base === undefined) early.push(frame)
    else items.push(itemOf(frame, base))
  }
  const earlyBase = base ?? first ?? 0
  return { items: [...early.map((f) => itemOf(f, earlyBase)), ...items], truncated }
}

function itemOf(frame: Frame, base: number): Item {
  const content = contentOf(frame)
  const shape = `${frame.kind}/${frame.direction}`
  const key = `${shape}\u0000${content.length > KEY_INLINE ? createHash('sha1').update(content).digest('base64') : content}`
  return { key, shape, side: { seq: frame.seq, kind: frame.kind, direction: frame.direction, at: round(frame.time - base), preview: preview(frame, content) } }
}

function contentOf(frame: Frame): string {
  switch (frame.kind) {
    case 'message':
    case 'chunk':
      return frame.dataBase64 !== undefined ? `base64:${frame.dataBase64}` : (frame.data ?? '')
    case 'event':
      return `${frame.event}\n${frame.id}\n${frame.data}`
    case 'ping':
    case 'pong':
      return frame.data
    case 'close':
      return `${frame.code} ${frame.reason} ${frame.cause}`
    case 'error':
      return frame.code
    default:
      return ''
  }
}

function preview(frame: Frame, content: string): string {
  const text = frame.kind === 'event' ? `[${frame.event}${frame.id ? ` #${frame.id}` : ''}] ${frame.data}` : frame.kind === 'error' ? `${frame.code}: ${frame.message}` : content
  return text.length > PREVIEW ? text.slice(0, PREVIEW - 1) + '…' : text
}

const round = (ms: number) => Math.round(ms * 1000) / 1000

/** Diffs two recording files (each read as a stream, at most MAX_DIFF_FRAMES of its message-like frames). */
export async function diffRecordingFiles(pathA: string, pathB: string, options: { maxPairs?: number; maxFrames?: number } = {}): Promise<FrameDiff> {
  const [a, b] = await Promise.all([pathA, pathB].map(async (path) => collectRun((await openRecording(path)).frames, options.maxFrames)))
  return diffRuns(a!, b!, options.maxPairs)
}

/** Aligns two runs and counts; at most `maxPairs` pairs are returned. */
export function diffRuns(a: Run, b: Run, maxPairs = DEFAULT_MAX_PAIRS): FrameDiff {
  const { matches, alignment } = align(a.items, b.items)
  const pairs: DiffPair[] = []
  const summary = { same: 0, changed: 0, onlyA: 0, onlyB: 0 }
  const deltas: number[] = []
  let total = 0
  const add = (pair: DiffPair) => {
    total++
    if (pair.status === 'same') summary.same++
    else if (pair.status === 'changed') summary.changed++
    else if (pair.status === 'only-a') summary.onlyA++
    else summary.onlyB++
    if (pair.deltaMs !== undefined) deltas.push(Math.abs(pair.deltaMs))
    if (pairs.length < maxPairs) pairs.push(pair)
  }
  const both = (status: 'same' | 'changed', x: Item, y: Item) => add({ status, a: x.side, b: y.side, deltaMs: round(y.side.at - x.side.at) })
  // Between two matches, what is left of each run is paired in order where the shapes agree.
  const gap = (xs: Item[], ys: Item[]) => {
    let j = 0
    for (const x of xs) {
      const k = ys.findIndex((y, index) => index >= j && y.shape === x.shape)
      if (k < 0) {
        add({ status: 'only-a', a: x.side })
        continue
      }
      for (; j < k; j++) add({ status: 'only-b', b: ys[j]!.side })
      both('changed', x, ys[j++]!)
    }
    for (; j < ys.length; j++) add({ status: 'only-b', b: ys[j]!.side })
  }
  let i = 0
  let j = 0
  for (const [mi, mj] of [...matches, [a.items.length, b.items.length] as const]) {
    gap(a.items.slice(i, mi), b.items.slice(j, mj))
    if (mi < a.items.length) both('same', a.items[mi]!, b.items[mj]!)
    i = mi + 1
    j = mj + 1
  }
  deltas.sort((x, y) => x - y)
  const median = deltas.length === 0 ? undefined : deltas.length % 2 ? deltas[(deltas.length - 1) / 2]! : (deltas[deltas.length / 2 - 1]! + deltas[deltas.length / 2]!) / 2
  return {
    a: { frames: a.items.length, truncated: a.truncated },
    b: { frames: b.items.length, truncated: b.truncated },
    alignment,
    summary: { ...summary, medianDeltaMs: median === undefined ? undefined : round(median), maxDeltaMs: deltas.length ? round(deltas.at(-1)!) : undefined },
    pairs,
    totalPairs: total,
  }
}

/** Index pairs of items with equal keys, increasing in both runs. */
function align(a: Item[], b: Item[]): { matches: [number, number][]; alignment: FrameDiff['alignment'] } {
  let head = 0
  while (head < a.length && head < b.length && a[head]!.key === b[head]!.key) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail]!.key === b[b.length - 1 - tail]!.key) tail++
  const matches: [number, number][] = []
  for (let k = 0; k < head; k++) matches.push([k, k])
  const midA = a.slice(head, a.length - tail).map((x) => x.key)
  const midB = b.slice(head, b.length - tail).map((x) => x.key)
  const small = midA.length * midB.length <= LCS_MAX_CELLS
  for (const [x, y] of small ? lcs(midA, midB) : greedy(midA, midB)) matches.push([x + head, y + head])
  for (let k = tail; k > 0; k--) matches.push([a.length - k, b.length - k])
  return { matches, alignment: small ? 'lcs' : 'greedy' }
}

function lcs(a: string[], b: string[]): [number, number][] {
  const n = a.length
  const m = b.length
  // Lengths of the common subsequence of every pair of suffixes.
  const table = new Uint32Array((n + 1) * (m + 1))
  const at = (i: number, j: number) => i * (m + 1) + j
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) table[at(i, j)] = a[i] === b[j] ? table[at(i + 1, j + 1)]! + 1 : Math.max(table[at(i + 1, j)]!, table[at(i, j + 1)]!)
  }
  const out: [number, number][] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) out.push([i++, j++])
    else if (table[at(i + 1, j)]! >= table[at(i, j + 1)]!) i++
    else j++
  }
  return out
}

function greedy(a: string[], b: string[]): [number, number][] {
  const out: [number, number][] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push([i++, j++])
      continue
    }
    // The nearest match ahead: a[i] later in b, or b[j] later in a; the closer one wins.
    let inB = -1
    for (let k = j + 1; k < Math.min(b.length, j + GREEDY_WINDOW) && inB < 0; k++) if (b[k] === a[i]) inB = k
    let inA = -1
    for (let k = i + 1; k < Math.min(a.length, i + GREEDY_WINDOW) && inA < 0; k++) if (a[k] === b[j]) inA = k
    if (inB < 0 && inA < 0) {
      i++
      j++
    } else if (inA < 0 || (inB >= 0 && inB - j <= inA - i)) {
      j = inB
    } else {
      i = inA
    }
  }
  return out
}
