// Re-send (issue #5, replay 2): a recording's outgoing side sent again as a new live
// session, and a diff of two runs by content and timing so they can be compared.
import { z } from 'zod'
import type { Direction, FrameKind } from './frames.js'
import { OpenRecordingParamsSchema } from './recordings-library.js'

export const MIN_RESEND_SPEED = 0.01
export const MAX_RESEND_SPEED = 1000

export const ResendParamsSchema = z.object({
  /** A recording in the data folder by name, or a file by path. */
  recording: OpenRecordingParamsSchema,
  /** Another endpoint for the same technique; default: the recorded URL. */
  to: z.string().min(1).max(8192).optional(),
  /** 2 sends twice as fast; 'max' sends as fast as possible. Default 1. */
  speed: z.union([z.number().min(MIN_RESEND_SPEED).max(MAX_RESEND_SPEED), z.literal('max')]).optional(),
  /** WebSocket: each message waits for as many server messages as came before it in the recording. */
  afterServerMessage: z.boolean().optional(),
})
export type ResendParams = z.input<typeof ResendParamsSchema>

export const DiffRecordingsParamsSchema = z.object({
  a: OpenRecordingParamsSchema,
  b: OpenRecordingParamsSchema,
  /** Most pairs returned (the summary always counts them all). */
  maxPairs: z.number().int().min(0).max(100_000).optional(),
})
export type DiffRecordingsParams = z.input<typeof DiffRecordingsParamsSchema>

export type DiffStatus = 'same' | 'changed' | 'only-a' | 'only-b'

/** One side of an aligned pair: which frame, and when it came after its run opened. */
export interface DiffSide {
  seq: number
  kind: FrameKind
  direction: Direction
  /** ms since the run's first `open` (or its first frame when none opened). */
  at: number
  /** What the frame carried, cut to a preview. */
  preview: string
}

export interface DiffPair {
  status: DiffStatus
  a?: DiffSide
  b?: DiffSide
  /** b.at - a.at, for pairs present in both runs. */
  deltaMs?: number
}

export interface DiffRunInfo {
  /** Message-like frames compared (message, event, chunk, ping, pong, close, error). */
  frames: number
  /** More message-like frames than a diff compares: the rest were not read. */
  truncated: boolean
}

export interface FrameDiff {
  a: DiffRunInfo
  b: DiffRunInfo
  /** 'lcs': a longest common subsequence; 'greedy': a bounded look-ahead, for inputs too large for it. */
  alignment: 'lcs' | 'greedy'
  summary: {
    same: number
    changed: number
    onlyA: number
    onlyB: number
    /** Over the pairs present in both runs: the median and largest |b.at - a.at|. */
    medianDeltaMs: number | undefined
    maxDeltaMs: number | undefined
  }
  /** Aligned pairs in order, at most `maxPairs` of them. */
  pairs: DiffPair[]
  /** All pairs, returned or not. */
  totalPairs: number
}
