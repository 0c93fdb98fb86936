// Timeline playback (issue #5, replay 1): a recording played back as a read-only
// session, listed and subscribed like a live one, plus the upload a browser page
// uses to hand the engine a dropped file (it has no path to give).
import { z } from 'zod'
import { RECORDING_EXTENSION } from './recording.js'
import { RecordingName } from './recordings-library.js'

export const MIN_PLAYBACK_SPEED = 0.25
export const MAX_PLAYBACK_SPEED = 20
/** 'instant': as fast as the subscriber takes them (how "open read-only" works); a number: times the recorded pace. */
export const PlaybackSpeedSchema = z.union([z.literal('instant'), z.number().min(MIN_PLAYBACK_SPEED).max(MAX_PLAYBACK_SPEED)])
export type PlaybackSpeed = z.infer<typeof PlaybackSpeedSchema>

/** Where a playback stands; carried in SessionInfo.playback. */
export interface PlaybackInfo {
  /** The file name in the recordings folder, when it is one. */
  name?: string
  path: string
  /** Frames emitted so far: the position (0-based) of the next frame to play. */
  position: number
  /** Frames in the recording. */
  count: number
  speed: PlaybackSpeed
  paused: boolean
  /** From the header's start to the last frame's time. */
  durationMs: number
  /** The recorded time (ms since the Unix epoch) playback has reached: the last emitted frame's, or the start. */
  atTime: number
}

const playbackOptions = { speed: PlaybackSpeedSchema.optional(), paused: z.boolean().optional() }
export const OpenPlaybackParamsSchema = z.union([
  z.object({ name: RecordingName, ...playbackOptions }),
  z.object({ path: z.string().min(1).max(4096).refine((p) => p.endsWith(RECORDING_EXTENSION), `must end with ${RECORDING_EXTENSION}`), ...playbackOptions }),
])
export type OpenPlaybackParams = z.input<typeof OpenPlaybackParamsSchema>

export const PLAYBACK_ACTIONS = ['play', 'pause', 'step', 'seek', 'speed'] as const
export type PlaybackAction = (typeof PLAYBACK_ACTIONS)[number]

export const ControlPlaybackParamsSchema = z
  .object({
    sessionId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/),
    action: z.enum(PLAYBACK_ACTIONS),
    /** seek: the position (0-based) of the next frame to play; past the end means the end. */
    position: z.number().int().nonnegative().optional(),
    /** seek: a recorded time (ms since the Unix epoch); playback resumes at the first frame at or after it. */
    time: z.number().finite().optional(),
    /** speed: the new speed. */
    speed: PlaybackSpeedSchema.optional(),
  })
  .refine((p) => p.action !== 'seek' || (p.position === undefined) !== (p.time === undefined), 'seek needs exactly one of position or time')
  .refine((p) => p.action !== 'speed' || p.speed !== undefined, 'speed needs a speed')
export type ControlPlaybackParams = z.input<typeof ControlPlaybackParamsSchema>

/** Bytes of one upload chunk, before base64. */
export const MAX_UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024
/** Bytes of one uploaded recording. */
export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024

export const UploadRecordingParamsSchema = z.object({
  /** The dropped file's name; sanitised, and the recording extension added when missing. */
  fileName: z.string().min(1).max(255),
  /** Where this chunk goes: 0 starts an upload, then each chunk follows the last. */
  offset: z.number().int().nonnegative().max(MAX_UPLOAD_BYTES),
  base64: z.string().max(Math.ceil(MAX_UPLOAD_CHUNK_BYTES / 3) * 4),
  /** The last chunk: the file is complete and takes its place in the recordings folder. */
  final: z.boolean(),
})
export type UploadRecordingParams = z.input<typeof UploadRecordingParamsSchema>

export interface UploadRecordingAnswer {
  /** Bytes received so far. */
  bytes: number
  /** Once final: the name it is stored under in the recordings folder (never over another file). */
  name?: string
}
