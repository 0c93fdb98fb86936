// The recordings in one folder (`<dataDir>/recordings/`): listed cheaply from each
// file's header and last lines (never a full scan), renamed and deleted together with
// the index kept beside them, and searched by endpoint and, through the index, by
// content within a time budget. Files that are not recordings are reported, never
// touched.
import { link, mkdir, open, readdir, rm, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { RECORDING_EXTENSION, RecordingName, type RecordingInfo, type RecordingList, type RecordingSearchAnswer, type RecordingSearchHit } from '../contract/index.js'
import { readHeader, RecordingError } from './read-recording.js'
import { fieldsOf } from './recording-index-scan.js'
import { sidecarPathOf } from './recording-index-sidecar.js'
import { openIndexedRecording } from './recording-index.js'

export const RECORDINGS_ERRORS = {
  notFound: 'E_LIBRARY_NOT_FOUND',
  invalidName: 'E_LIBRARY_INVALID_NAME',
  exists: 'E_LIBRARY_EXISTS',
  write: 'E_LIBRARY_WRITE',
} as const

export class RecordingsFailure extends Error {
  constructor(
    readonly code: (typeof RECORDINGS_ERRORS)[keyof typeof RECORDINGS_ERRORS],
    message: string,
  ) {
    super(message)
  }
}

/** How far from the end the last complete frame is looked for when listing. */
const TAIL_BYTES = 64 * 1024
/** Default time for a content search over the whole folder. */
export const DEFAULT_SEARCH_BUDGET_MS = 5000
/** Matches counted per recording in a content search. */
const SEARCH_MATCH_CAP = 100_000

export const recordingsDirOf = (dataDir: string) => join(dataDir, 'recordings')

export interface RecordingsLibrary {
  readonly dir: string
  list(): Promise<RecordingList>
  /** The path of a recording in the folder; throws RecordingsFailure for a name that is not one. */
  pathOf(name: string): string
  rename(name: string, newName: string): Promise<RecordingInfo>
  delete(name: string): Promise<void>
  search(query: { endpoint?: string; text?: string }, options?: { budgetMs?: number }): Promise<RecordingSearchAnswer>
}

/** A file name the folder accepts: the extension is added when missing; folders and hidden names are refused. */
export function checkedName(name: string): string {
  const full = name.endsWith(RECORDING_EXTENSION) ? name : name + RECORDING_EXTENSION
  const parsed = RecordingName.safeParse(full)
  if (!parsed.success || full === RECORDING_EXTENSION) throw new RecordingsFailure(RECORDINGS_ERRORS.invalidName, `not a recording name: ${JSON.stringify(name.slice(0, 80))} (a plain file name ending in ${RECORDING_EXTENSION})`)
  return full
}

/** What a listing shows of one recording, from its header and its last complete frame. */
export async function describeRecording(path: string, name: string): Promise<RecordingInfo> {
  const handle = await open(path, 'r').catch((error: Error) => {
    throw new RecordingError('E_RECORDING_UNREADABLE', `cannot read ${name}: ${error.message}`)
  })
  try {
    const info = await handle.stat()
    const { header, bodyStart } = await readHeader(handle, info.size, name)
    const tailStart = Math.max(bodyStart, info.size - TAIL_BYTES)
    const tail = Buffer.allocUnsafe(info.size - tailStart)
    await handle.read(tail, 0, tail.length, tailStart)
    let last: { seq: number; time: number } | undefined
    let stopped: string | undefined
    const lines = tail.toString('utf8').split('\n')
    // The first piece may be the end of a line cut by the tail's start; the last may be truncated.
    for (let i = lines.length - 1; i >= (tailStart === bodyStart ? 0 : 1) && !last; i--) {
      try {
        const value = JSON.parse(lines[i]!) as unknown
        last = fieldsOf(value)
        if (last) stopped = stoppedBy(value)
      } catch {
        // not a whole frame line: look at the one before
      }
    }
    return {
      name,
      endpoint: header.spec.url,
      technique: header.spec.technique,
      startedAt: header.startedAt,
      durationMs: last ? Math.max(0, last.time - header.startedAt) : 0,
      frames: last?.seq ?? 0,
      framesExact: last === undefined && info.size === bodyStart,
      bytes: info.size,
      modifiedAt: info.mtimeMs,
      ...(stopped ? { stopped } : {}),
    }
  } finally {
    await handle.close()
  }
}

/** A recording that stopped early ends with the error frame saying why (RecordingWriter's epilogue). */
function stoppedBy(frame: unknown): string | undefined {
  const { kind, code, message } = frame as { kind?: unknown; code?: unknown; message?: unknown }
  return kind === 'error' && typeof code === 'string' && /^E_RECORDING_/.test(code) && typeof message === 'string' ? message.slice(0, 500) : undefined
}

export function openRecordingsLibrary(dir: string): RecordingsLibrary {
  const pathOf = (name: string) => join(dir, checkedName(name))

  async function list(): Promise<RecordingList> {
    let names: string[]
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith(RECORDING_EXTENSION) && !n.startsWith('.')).sort()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { dir, recordings: [], problems: [] }
      throw error
    }
    const recordings: RecordingInfo[] = []
    const problems: RecordingList['problems'] = []
    for (const name of names) {
      try {
        recordings.push(await describeRecording(join(dir, name), name))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue // deleted meanwhile
        problems.push({ name, message: error instanceof Error ? error.message : String(error) })
      }
    }
    recordings.sort((a, b) => b.startedAt - a.startedAt || a.name.localeCompare(b.name))
    return { dir, recordings, problems }
  }

  async function existing(name: string): Promise<string> {
    const path = pathOf(name)
    const info = await stat(path).catch(() => undefined)
    if (!info?.isFile()) throw new RecordingsFailure(RECORDINGS_ERRORS.notFound, `no recording ${name} in ${dir}`)
    return path
  }

  return {
    dir,
    list,
    pathOf,
    async rename(name, newName) {
      const from = await existing(name)
      const target = checkedName(newName)
      const to = join(dir, target)
      if (to === from) return describeRecording(to, target)
      await mkdir(dir, { recursive: true })
      // A hard link cannot replace an existing file, so another recording is never overwritten.
      try {
        await link(from, to)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new RecordingsFailure(RECORDINGS_ERRORS.exists, `a recording named ${target} already exists`)
        throw new RecordingsFailure(RECORDINGS_ERRORS.write, `cannot rename ${name}: ${(error as Error).message}`)
      }
      await unlink(from)
      // The index beside it follows; if that fails it is only rebuilt on the next open.
      await rm(sidecarPathOf(to), { force: true }).catch(() => {})
      await link(sidecarPathOf(from), sidecarPathOf(to)).catch(() => {})
      await rm(sidecarPathOf(from), { force: true }).catch(() => {})
      return describeRecording(to, target)
    },
    async delete(name) {
      const path = await existing(name)
      await rm(path)
      await rm(sidecarPathOf(path), { force: true }).catch(() => {})
    },
    async search(query, options = {}) {
      const deadline = performance.now() + (options.budgetMs ?? DEFAULT_SEARCH_BUDGET_MS)
      const endpoint = query.endpoint?.toLowerCase()
      let candidates: RecordingSearchHit[] = (await list()).recordings
      if (endpoint) candidates = candidates.filter((r) => r.endpoint.toLowerCase().includes(endpoint))
      if (!query.text) return { hits: candidates, complete: true }
      const hits: RecordingSearchHit[] = []
      for (const recording of candidates) {
        if (performance.now() > deadline) return { hits, complete: false }
        let index
        try {
          index = await openIndexedRecording(join(dir, recording.name))
        } catch {
          continue // removed or damaged since listing: it cannot match
        }
        try {
          const answer = await index.search({ text: query.text }, { limit: SEARCH_MATCH_CAP, deadline })
          if (answer.positions.length > 0) hits.push({ ...recording, frames: index.count, framesExact: true, matches: answer.positions.length, complete: answer.complete })
          if (!answer.complete && performance.now() > deadline) return { hits, complete: false }
        } finally {
          await index.close()
        }
      }
      return { hits, complete: true }
    },
  }
}
