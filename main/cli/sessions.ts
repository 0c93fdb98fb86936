// `rti sessions`: the recordings in a folder, one line each — a readable table, or
// with --json one object per line (the same fields the UI's library shows).
import { homedir } from 'node:os'
import { resolve } from 'node:path'
import { formatBytes, type RecordingInfo } from '../contract/index.js'
import { defaultDataDir } from '../library/index.js'
import { openRecordingsLibrary, recordingsDirOf } from '../recording/recordings-library.js'
import { EXIT, oneLine, printWarning, type ExitCode } from './errors.js'

export interface SessionsOptions {
  /** The recordings folder itself; unset: <data folder>/recordings. */
  dir?: string
  json: boolean
  search?: string
}

export async function runSessions(options: SessionsOptions): Promise<ExitCode> {
  const dir = resolve(options.dir ?? recordingsDirOf(defaultDataDir(process.env, homedir())))
  const library = openRecordingsLibrary(dir)
  let recordings: RecordingInfo[]
  if (options.search) {
    // A search matches the endpoint or the content.
    const [byEndpoint, byContent] = [await library.search({ endpoint: options.search }), await library.search({ text: options.search })]
    const names = new Set([...byEndpoint.hits, ...byContent.hits].map((r) => r.name))
    recordings = byEndpoint.hits.concat(byContent.hits).filter((r) => names.delete(r.name))
    if (!byContent.complete) printWarning('the content search ran out of time; some recordings were not searched')
    recordings.sort((a, b) => b.startedAt - a.startedAt)
  } else {
    const list = await library.list()
    recordings = list.recordings
    for (const problem of list.problems) printWarning(`${problem.name}: ${problem.message}`)
  }
  if (options.json) {
    for (const r of recordings) process.stdout.write(JSON.stringify({ ...r, path: resolve(dir, r.name) }) + '\n')
    return EXIT.OK
  }
  if (recordings.length === 0) {
    process.stderr.write(options.search ? `No recordings in ${dir} match ${JSON.stringify(options.search)}.\n` : `No recordings in ${dir}.\n`)
    return EXIT.OK
  }
  process.stdout.write(formatTable(recordings))
  return EXIT.OK
}

const COLUMNS = ['STARTED', 'DURATION', 'FRAMES', 'SIZE', 'TECHNIQUE', 'ENDPOINT', 'FILE'] as const

export function formatTable(recordings: RecordingInfo[]): string {
  const rows = recordings.map((r) => [
    formatStart(r.startedAt),
    formatDuration(r.durationMs),
    (r.framesExact ? '' : '~') + r.frames.toLocaleString('en-US'),
    formatBytes(r.bytes),
    oneLine(r.technique),
    oneLine(r.endpoint),
    oneLine(r.name),
  ])
  const widths = COLUMNS.map((title, c) => Math.max(title.length, ...rows.map((row) => row[c]!.length)))
  const right = new Set([1, 2, 3])
  const line = (cells: readonly string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ') + '\n'
  return line(COLUMNS) + rows.map(line).join('')
}

/** Local time, to the second, as a person reads a log. */
function formatStart(ms: number): string {
  const d = new Date(ms)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${(ms / 1000).toFixed(1)} s`
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s % 60} s`
}

