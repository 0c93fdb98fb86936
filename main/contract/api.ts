// The transport-neutral API between the UI and the engine. It is served twice — by
// Electron IPC and by the browser-mode bridge — and the renderer cannot tell which.
import { z } from 'zod'
import { ConnectionSpecSchema, OutgoingMessageSchema, TechniqueName, type ConnectionSpec, type OutgoingMessage } from './connection-spec.js'
import type { Frame } from './frames.js'
import { ProbeId, ProbeParamsSchema, type Finding, type ProbeParams, type ProbeReport } from './diagnostics.js'
import { FilterRecordingParamsSchema, OpenRecordingParamsSchema, RecordingFramesParamsSchema, RecordingHandleId, RecordingName, RenameRecordingParamsSchema, SearchRecordingsParamsSchema, type OpenedRecording, type RecordingFilterAnswer, type RecordingFrames, type RecordingInfo, type RecordingList, type RecordingSearchAnswer } from './recordings-library.js'
import { ControlPlaybackParamsSchema, OpenPlaybackParamsSchema, UploadRecordingParamsSchema, type ControlPlaybackParams, type OpenPlaybackParams, type PlaybackInfo, type UploadRecordingAnswer, type UploadRecordingParams } from './playback.js'
import { DiffRecordingsParamsSchema, ResendParamsSchema, type DiffRecordingsParams, type FrameDiff, type ResendParams } from './resend.js'
import { MockId, StartMockParamsSchema, type MockInfo, type StartMockParams } from './mock.js'
import { LibraryId, SavedConnectionInputSchema, SnippetInputSchema, type LibraryInfo, type SavedConnection, type SavedConnectionInput, type Snippet, type SnippetInput } from './library.js'
import type { ProtocolName } from './protocol.js'

export const SESSION_STATES = ['connecting', 'open', 'reconnecting', 'closing', 'closed', 'failed'] as const
export type SessionState = (typeof SESSION_STATES)[number]

export interface SessionStats {
  frames: number
  messagesIn: number
  messagesOut: number
  /** Payload bytes of messages, not wire bytes (the close frame carries those). */
  bytesIn: number
  bytesOut: number
  reconnects: number
  /** Total ms of ended pauses of reading because the recording's disk was behind (absent: never paused). */
  readPausedMs?: number
  /** When the current such pause began (session clock); absent or 0 while reading. */
  readPausedSince?: number
}

export interface SessionInfo {
  id: string
  spec: ConnectionSpec
  state: SessionState
  /** ms since the Unix epoch */
  startedAt: number
  stats: SessionStats
  /** The session's recording (`*.rti.jsonl`), when it is recorded. */
  recording?: SessionRecordingInfo
  /** Set when the session plays a recording back (read-only; `send` is refused). */
  playback?: PlaybackInfo
}

export interface SessionRecordingInfo {
  path: string
  /** File size so far, header included (frames reach the disk within 100 ms). */
  bytes: number
  frames: number
  /** Why recording stopped while the session went on (size cap, a disk too slow, a write error). */
  stopped?: string
  /** Reading is paused now until the disk catches up (back-pressure: no frame is lost). */
  paused?: boolean
  /** Total ms reading was paused for the disk, and how many times (absent: never). */
  pausedMs?: number
  pauses?: number
}

/**
 * Frames of one session, delivered together (about every 16 ms, or sooner when many
 * arrive). When frames arrive faster than a consumer can use them, only a tail of the
 * messages is carried (`skipped` counts the rest; control frames are never skipped).
 */
export interface FrameBatch {
  sessionId: string
  frames: Frame[]
  skipped: number
  /** Highest seq covered by this batch (including skipped frames). */
  lastSeq: number
  state: SessionState
  stats: SessionStats
  /**
   * Forget every frame held for this session: these frames start over (a playback
   * seeked backwards). Stats in this batch count from the new start too.
   */
  restart?: true
  /**
   * The session's current findings (one per detector that raised one), sent whenever
   * they changed since the last batch, and in the first batch a subscriber gets.
   */
  findings?: Finding[]
}

export interface PlaygroundEndpoint {
  technique: TechniqueName
  name: string
  url: string
  description: string
  /** The protocol the endpoint speaks on top of its technique (the Socket.IO and GraphQL examples). */
  protocol?: ProtocolName
  /** A long-poll's cursor and messages: asked again from its cursor, the feed holds instead of answering at once. */
  longPolling?: PlaygroundLongPoll
}

export interface PlaygroundLongPoll {
  cursor: { from: 'json'; name: string; param: string }
  messagesPath: string
}

export interface EnvironmentInfo {
  version: string
  transport: 'ipc' | 'bridge'
  /** The built-in demo server, when it runs beside the engine. */
  playground?: { baseUrl: string; endpoints: PlaygroundEndpoint[] }
  /** Saved connections and snippets; absent when the engine runs without a data folder (saving is unavailable). */
  library?: LibraryInfo
}

export interface ApiError {
  /** Stable code, E_<AREA>_<WHAT> */
  code: string
  message: string
}
/** Calls never throw across a transport: they answer with one of these. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (code: string, message: string): Result<never> => ({ ok: false, error: { code, message } })

const SessionId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/)
export const SendParamsSchema = z.object({ sessionId: SessionId, message: OutgoingMessageSchema })
export const SubscribeParamsSchema = z.object({
  sessionId: SessionId,
  /** Most message frames carried per batch; the rest are counted in `skipped`. */
  maxFramesPerBatch: z.number().int().min(1).max(100_000).optional(),
})

/**
 * Every callable method, with the schema its single argument must satisfy. Both
 * transports validate against this one table before the engine sees anything.
 */
export const API_METHODS = {
  getEnvironment: z.undefined(),
  listSessions: z.undefined(),
  openSession: ConnectionSpecSchema,
  closeSession: SessionId,
  send: SendParamsSchema,
  subscribe: SubscribeParamsSchema,
  unsubscribe: SessionId,
  listConnections: z.undefined(),
  saveConnection: SavedConnectionInputSchema,
  deleteConnection: LibraryId,
  listSnippets: z.undefined(),
  saveSnippet: SnippetInputSchema,
  deleteSnippet: LibraryId,
  listRecordings: z.undefined(),
  renameRecording: RenameRecordingParamsSchema,
  deleteRecording: RecordingName,
  searchRecordings: SearchRecordingsParamsSchema,
  openRecording: OpenRecordingParamsSchema,
  recordingFrames: RecordingFramesParamsSchema,
  filterRecording: FilterRecordingParamsSchema,
  closeRecording: RecordingHandleId,
  openPlayback: OpenPlaybackParamsSchema,
  controlPlayback: ControlPlaybackParamsSchema,
  uploadRecording: UploadRecordingParamsSchema,
  resendRecording: ResendParamsSchema,
  diffRecordings: DiffRecordingsParamsSchema,
  startMock: StartMockParamsSchema,
  stopMock: MockId,
  listMocks: z.undefined(),
  startProbe: ProbeParamsSchema,
  probeStatus: ProbeId,
  cancelProbe: ProbeId,
} as const
export type ApiMethod = keyof typeof API_METHODS
export const API_METHOD_NAMES = Object.keys(API_METHODS) as ApiMethod[]
export const isApiMethod = (name: unknown): name is ApiMethod => typeof name === 'string' && Object.hasOwn(API_METHODS, name)

export type SubscribeParams = z.input<typeof SubscribeParamsSchema>
export type SendParams = { sessionId: string; message: z.input<typeof OutgoingMessageSchema> }

/** What the UI can ask of the engine. Implemented by the engine and by both transports' clients. */
export interface InspectorApi {
  getEnvironment(): Promise<Result<EnvironmentInfo>>
  listSessions(): Promise<Result<SessionInfo[]>>
  openSession(spec: z.input<typeof ConnectionSpecSchema>): Promise<Result<SessionInfo>>
  closeSession(sessionId: string): Promise<Result<void>>
  send(params: SendParams): Promise<Result<void>>
  /** Start receiving a session's batches (a recent tail is replayed first). */
  subscribe(params: SubscribeParams): Promise<Result<void>>
  unsubscribe(sessionId: string): Promise<Result<void>>
  /** Saved connections, sorted by group then name. A first start seeds one per playground technique. */
  listConnections(): Promise<Result<SavedConnection[]>>
  saveConnection(input: SavedConnectionInput): Promise<Result<SavedConnection>>
  deleteConnection(id: string): Promise<Result<void>>
  listSnippets(): Promise<Result<Snippet[]>>
  saveSnippet(input: SnippetInput): Promise<Result<Snippet>>
  deleteSnippet(id: string): Promise<Result<void>>
  /** Recordings in the data folder, newest first; E_LIBRARY_UNAVAILABLE without a data folder. */
  listRecordings(): Promise<Result<RecordingList>>
  /** Renames the file (the extension is kept or added); never overwrites another recording. */
  renameRecording(params: { name: string; newName: string }): Promise<Result<RecordingInfo>>
  deleteRecording(name: string): Promise<Result<void>>
  /** By endpoint (substring) and by content (through each recording's index, within a time budget). */
  searchRecordings(params: { endpoint?: string; text?: string }): Promise<Result<RecordingSearchAnswer>>
  /** Opens a recording read-only (by name in the folder, or by path) for paging and filtering. */
  openRecording(target: { name: string } | { path: string }): Promise<Result<OpenedRecording>>
  recordingFrames(params: { id: string; from: number; count: number }): Promise<Result<RecordingFrames>>
  filterRecording(params: z.input<typeof FilterRecordingParamsSchema>): Promise<Result<RecordingFilterAnswer>>
  closeRecording(id: string): Promise<Result<void>>
  /**
   * Plays a recording back as a read-only session (listed, subscribed and closed like
   * any session; frames keep their recorded seq and time). Speed 'instant' (the
   * default) streams every frame as fast as they are taken; `paused` starts at 0.
   */
  openPlayback(params: OpenPlaybackParams): Promise<Result<SessionInfo>>
  /** play, pause, step (one frame), seek (a position or a recorded time), speed; answers the session's info after it. */
  controlPlayback(params: ControlPlaybackParams): Promise<Result<SessionInfo>>
  /** A dropped file sent in chunks (browser mode has no path); the final chunk answers the name it is stored under. */
  uploadRecording(params: UploadRecordingParams): Promise<Result<UploadRecordingAnswer>>
  /**
   * Sends a recording's client side again as a new live session (recorded, listed, a
   * tab like any other): WebSocket messages at their recorded times after open
   * (scaled by `speed`, or 'max'), to the recorded URL or `to`; the HTTP techniques
   * re-run the recorded spec until as much came back.
   */
  resendRecording(params: ResendParams): Promise<Result<SessionInfo>>
  /** Two recordings side by side: message-like frames aligned by content, with timing deltas after open. */
  diffRecordings(params: DiffRecordingsParams): Promise<Result<FrameDiff>>
  /** Serves a recording's server side on 127.0.0.1 (a few at once, all stopped when the engine closes). */
  startMock(params: StartMockParams): Promise<Result<MockInfo>>
  stopMock(id: string): Promise<Result<void>>
  /** The mock servers running, oldest first. */
  listMocks(): Promise<Result<MockInfo[]>>
  /** Batches for every subscribed session arrive here; returns a function that stops listening. */
  /**
   * Starts the active probe (issue #6) against an endpoint: the battery runs in the
   * engine, bounded by `maxTimeMs`; poll `probeStatus` for progress. A few at once.
   */
  startProbe(params: ProbeParams): Promise<Result<ProbeReport>>
  /** Where a probe stands: its checks, findings and matrix so far. Kept a while after it ends. */
  probeStatus(id: string): Promise<Result<ProbeReport>>
  /** Stops a probe now; it reports what it has (state 'cancelled'). */
  cancelProbe(id: string): Promise<Result<ProbeReport>>
  onFrames(listener: (batch: FrameBatch) => void): () => void
}

export type { ConnectionSpec, OutgoingMessage }
