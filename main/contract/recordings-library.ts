// The recordings library as the UI sees it: recordings listed from the data folder,
// renamed, deleted, searched, and opened read-only by an id for paging and filtering.
import { z } from 'zod'
import { Direction, FRAME_KINDS, type Frame, type FrameKind } from './frames.js'
import { RECORDING_EXTENSION } from './recording.js'

/** A file name in the recordings folder: no folders, no traversal, the recording extension. */
export const RecordingName = z
  .string()
  .min(RECORDING_EXTENSION.length + 1)
  .max(255)
  .refine((name) => name.endsWith(RECORDING_EXTENSION), `must end with ${RECORDING_EXTENSION}`)
  .refine((name) => !/[/\\\u0000]/.test(name) && !name.startsWith('.'), 'must be a plain file name')

export const RecordingQuerySchema = z.object({
  /** Case-insensitive substring of what a frame shows (payload, headers, reason…), or a regular expression when `regex`. */
  text: z.string().max(1000).optional(),
  regex: z.boolean().optional(),
  kinds: z.array(z.enum(FRAME_KINDS as [FrameKind, ...FrameKind[]])).max(32).optional(),
  direction: z.union([Direction, z.literal('both')]).optional(),
})
export type RecordingQuery = z.infer<typeof RecordingQuerySchema>

export interface RecordingInfo {
  /** File name inside the recordings folder; it is the recording's id in this API. */
  name: string
  endpoint: string
  technique: string
  /** ms since the Unix epoch */
  startedAt: number
  /** From the start to the last frame's time. */
  durationMs: number
  frames: number
  /** False when `frames` is the last frame's seq (no index yet), which a skipped line would make too high. */
  framesExact: boolean
  bytes: number
  modifiedAt: number
  /** Why recording stopped before the session ended (size cap, a disk too slow, a write error): the file's last line says so. */
  stopped?: string
}

export interface RecordingList {
  dir: string
  recordings: RecordingInfo[]
  /** Files that look like recordings but cannot be read as one; left untouched. */
  problems: { name: string; message: string }[]
}

export const RenameRecordingParamsSchema = z.object({ name: RecordingName, newName: z.string().min(1).max(255) })
export const SearchRecordingsParamsSchema = z.object({
  /** Substring of the endpoint URL (case-insensitive). */
  endpoint: z.string().max(2000).optional(),
  /** Text searched in the frames of each recording (through the index). */
  text: z.string().max(1000).optional(),
})

export interface RecordingSearchHit extends RecordingInfo {
  /** Frames whose content matched `text` (up to a cap; see `complete`). */
  matches?: number
  /** False when the time budget or the cap ended the content search of this recording early. */
  complete?: boolean
}

export interface RecordingSearchAnswer {
  hits: RecordingSearchHit[]
  /** False when the time budget ran out before every recording was searched. */
  complete: boolean
}

export const OpenRecordingParamsSchema = z.union([
  z.object({ name: RecordingName }),
  /** A file from anywhere (drag and drop, the file menu): it must be a recording by name and by header. */
  z.object({ path: z.string().min(1).max(4096).refine((p) => p.endsWith(RECORDING_EXTENSION), `must end with ${RECORDING_EXTENSION}`) }),
])
export const RecordingHandleId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/)
export const RecordingFramesParamsSchema = z.object({
  id: RecordingHandleId,
  from: z.number().int().nonnegative(),
  count: z.number().int().min(1).max(10_000),
})
export const FilterRecordingParamsSchema = z.object({ id: RecordingHandleId, query: RecordingQuerySchema })

export interface OpenedRecording {
  id: string
  name: string
  header: { spec: { technique: string; url: string } & Record<string, unknown>; startedAt: number; sessionId?: string; source?: string }
  count: number
  durationMs: number
  bytes: number
  problems: { line: number; message: string }[]
  problemCount: number
}

export interface RecordingFrames {
  /** Position of the first frame returned. */
  from: number
  frames: Frame[]
  /** Lines in the range that could not be read as frames. */
  problems: { line: number; message: string }[]
}

export interface RecordingFilterAnswer {
  /** Positions (0-based, in recording order) of the frames that match. */
  positions: number[]
}
