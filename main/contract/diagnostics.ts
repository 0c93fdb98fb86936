// Diagnostics (docs/diagnostics.md, issue #6): the findings the passive detectors raise over a
// session's frames, the per-connection options that steer them, and the active
// probe (`rti probe`, the diagnostics panel) with its progress and technique matrix.
import { z } from 'zod'
import { ConnectionSpecSchema, TechniqueName } from './connection-spec.js'
import type { FrameOf } from './frames.js'

/** The catalogue of docs/diagnostics.md: ids are a public contract (scripts, recordings, the panel). */
export const FINDING_IDS = [
  'idle-timeout',
  'max-lifetime',
  'buffering',
  'compression-buffering',
  'coalescing-delay',
  'upgrade-stripped',
  'proxy-denied',
  'gateway-timeout',
  'stale-cache',
  'abnormal-close',
  'connection-reset',
  'silent-drop',
  'not-event-stream',
  'reconnect-storm',
] as const
export type FindingId = (typeof FINDING_IDS)[number]
export const isDetectorFindingId = (id: string): id is FindingId => (FINDING_IDS as readonly string[]).includes(id)

/**
 * How sure a finding is. One cut at 60 s is a `hint`; the same cut again is `likely`;
 * three alike, or an active check that reproduced it, is `confirmed`.
 */
export const Confidence = z.enum(['hint', 'likely', 'confirmed'])
export type Confidence = z.infer<typeof Confidence>

/** Bounds on what a finding carries, so a long session cannot grow one without limit. */
export const FINDING_LIMITS = { evidence: 20, seqs: 50, times: 200, knownDefaults: 5 } as const

/**
 * A finding as the panel shows it: the latest word of one detector in one session
 * (a finding frame is emitted each time it changes).
 */
export type Finding = Omit<FrameOf<'finding'>, 'seq' | 'time' | 'direction' | 'kind'> & {
  /** When it was first raised, and last changed (ms since the Unix epoch). */
  raisedAt: number
  updatedAt: number
  /** The seq of the latest `finding` frame that carried it, in a live session (absent when computed during playback). */
  frameSeq?: number
}

// Per-connection settings of the passive detectors (`spec.diagnostics`) live in
// connection-spec.ts as DiagnosticsOptionsSchema.

// ---- the active probe -------------------------------------------------------------

export const DEFAULT_PROBE_MAX_TIME_MS = 120_000
export const ProbeId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/)

export const ProbeParamsSchema = z.object({
  /** The endpoint and how to reach it (technique, headers, proxy, TLS). */
  spec: ConnectionSpecSchema,
  /** The whole battery stops by then, reporting what it has. Default 2 minutes. */
  maxTimeMs: z.number().int().min(2_000).max(3_600_000).optional(),
  /**
   * The base URL of an `rti playground` reached through the same path, used where the
   * endpoint cannot be asked for silence or a heartbeat, and for the technique matrix.
   * Absent: the endpoint's own origin is used when it is a playground.
   */
  playgroundUrl: z.string().min(1).max(8192).optional(),
})
export type ProbeParams = z.input<typeof ProbeParamsSchema>

/** The checks of the battery, in the order a report lists them. */
export const PROBE_CHECKS = ['connect', 'upgrade', 'idle-timeout', 'lifetime', 'buffering', 'compression', 'event-delay', 'caching', 'matrix'] as const
export type ProbeCheckId = (typeof PROBE_CHECKS)[number]

export interface ProbeCheck {
  id: ProbeCheckId
  /** What it does, in plain words ("Holding a silent connection"). */
  label: string
  state: 'pending' | 'running' | 'done' | 'skipped' | 'failed'
  /** The outcome, or why it was skipped ("no cut within 120 s"). */
  detail?: string
  startedAt?: number
  endedAt?: number
}

/** One technique through this path: does it work, and how well. */
export interface TechniqueMatrixRow {
  technique: TechniqueName
  url: string
  verdict: 'works' | 'degraded' | 'fails' | 'untested'
  connects: boolean
  /** HTTP status of the (handshake) response, when there was one. */
  status?: number
  /** Request sent → first byte of the body (or the open, for WebSocket). */
  firstByteMs?: number
  /** Median delay of a message after its server timestamp. */
  lagMs?: number
  /** The connection was cut after this long. */
  cutAfterMs?: number
  /** The reason in a few words ("Upgrade stripped: 200 from squid/5.7"). */
  note: string
}

export type ProbeState = 'running' | 'done' | 'cancelled' | 'failed'

export interface ProbeReport {
  id: string
  url: string
  technique: TechniqueName
  /** Where the battery could ask for silence and heartbeats, when it found one. */
  playgroundUrl?: string
  state: ProbeState
  startedAt: number
  endedAt?: number
  maxTimeMs: number
  checks: ProbeCheck[]
  findings: Finding[]
  matrix: TechniqueMatrixRow[]
  /** Figures measured, in ms, for scripts (`--json`). */
  measured: {
    idleTimeoutMs?: number
    lifetimeMs?: number
    timeToHeadersMs?: number
    firstByteMs?: number
    eventDelayMs?: number
    /** Idle cuts by kind: proxies often time HTTP streams and WebSocket tunnels apart (HAProxy: timeout server / timeout tunnel). */
    streamIdleTimeoutMs?: number
    websocketIdleTimeoutMs?: number
    /** How far the playground's clock is ahead of ours, as measured for the event delays. */
    clockOffsetMs?: number
  }
  /** Why the probe failed as a whole (a bad URL, an unreachable proxy). */
  error?: string
}
