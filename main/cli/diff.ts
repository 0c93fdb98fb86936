// `rti diff A B`: two recordings side by side — the message-like frames of each
// aligned by content, with how much later (+) or earlier (−) B's came after open —
// as a readable table, or the whole diff as one JSON object with --json.
import { basename } from 'node:path'
import type { DiffPair, DiffSide, FrameDiff } from '../contract/index.js'
import { RecordingError } from '../recording/read-recording.js'
import { DEFAULT_MAX_PAIRS, diffRecordingFiles } from '../replay/frame-diff.js'
import { CliError, EXIT, oneLine, type ExitCode } from './errors.js'

export interface DiffCommandOptions {
  json: boolean
  maxPairs?: number
}

const MARK: Record<DiffPair['status'], string> = { same: ' ', changed: '~', 'only-a': '-', 'only-b': '+' }
const COLUMN = 44

export async function runDiff(a: string, b: string, options: DiffCommandOptions): Promise<ExitCode> {
  let diff: FrameDiff
  try {
    diff = await diffRecordingFiles(a, b, { maxPairs: options.maxPairs ?? DEFAULT_MAX_PAIRS })
  } catch (error) {
    if (error instanceof RecordingError) throw new CliError(`${error.code}: ${error.message}`, EXIT.USAGE)
    throw error
  }
  if (options.json) {
    process.stdout.write(JSON.stringify(diff) + '\n')
    return EXIT.OK
  }
  const lines = [`   ${pad('A  ' + basename(a), COLUMN)} │ ${pad('B  ' + basename(b), COLUMN)} │ Δ ms`, `   ${'─'.repeat(COLUMN)}─┼─${'─'.repeat(COLUMN)}─┼──────`]
  for (const pair of diff.pairs) lines.push(`${MARK[pair.status]}  ${pad(side(pair.a), COLUMN)} │ ${pad(side(pair.b), COLUMN)} │ ${pair.deltaMs === undefined ? '' : signed(pair.deltaMs)}`)
  if (diff.totalPairs > diff.pairs.length) lines.push(`   … ${diff.totalPairs - diff.pairs.length} more pairs (--max-pairs, or --json)`)
  const { same, changed, onlyA, onlyB, medianDeltaMs, maxDeltaMs } = diff.summary
  const timing = medianDeltaMs === undefined ? 'no pairs to time' : `timing Δ median ${medianDeltaMs.toFixed(1)} ms, max ${maxDeltaMs!.toFixed(1)} ms`
  lines.push('', `${same} same, ${changed} changed, ${onlyA} only in A, ${onlyB} only in B; ${timing} (${diff.a.frames} vs ${diff.b.frames} frames, aligned by ${diff.alignment === 'lcs' ? 'longest common subsequence' : 'greedy look-ahead'})`)
  for (const [name, run] of [['A', diff.a], ['B', diff.b]] as const) if (run.truncated) lines.push(`${name} has more frames than a diff reads; only the first ${run.frames} were compared`)
  process.stdout.write(lines.join('\n') + '\n')
  return EXIT.OK
}

function side(s: DiffSide | undefined): string {
  if (!s) return ''
  const arrow = s.direction === 'out' ? '>' : s.direction === 'in' ? '<' : '·'
  return `${s.at.toFixed(0).padStart(6)} ms ${arrow} ${s.kind === 'message' ? '' : s.kind + ' '}${oneLine(s.preview)}`
}

/** Cut or padded to `width` characters (by code point, so previews stay aligned). */
function pad(text: string, width: number): string {
  const chars = [...text]
  return chars.length > width ? chars.slice(0, width - 1).join('') + '…' : text + ' '.repeat(width - chars.length)
}

const signed = (ms: number) => (ms >= 0 ? '+' : '−') + Math.abs(ms).toFixed(1)
