// What a detector is: a small function of a session's facts (docs/diagnostics.md). The facts
// are collected once per session (attempt-facts.ts); detectors read them when a
// control frame arrives, when a data sample is taken, and once a second while live,
// and raise or update their finding through the context.
import type { ConnectionSpec, Confidence, Finding, Frame, FindingId, Severity } from '../contract/index.js'
import type { AttemptFacts, SessionFacts } from './attempt-facts.js'
import type { Intermediary } from './intermediary.js'

/** What a detector says; the runner stamps it, bounds it and emits it when it changed. */
export interface FindingDraft {
  id: FindingId
  severity: Severity
  summary: string
  evidence: string[]
  remedy: string
  confidence?: Confidence
  intermediary?: string
  measuredMs?: number
  knownDefaults?: string[]
  seqs?: number[]
  times?: number[]
}

/** A payload looked at for timing: every one of the first few of each attempt, then a few per second. */
export interface DataSample {
  seq: number
  /** Arrival time (ms since the epoch). */
  time: number
  kind: 'message' | 'event' | 'chunk'
  /** The payload as text (bounded: the first 4 KB). */
  text: string
  /** The server's send time read from the payload, when it has one. */
  serverTime?: number
  /** Server send times of every record in this chunk (a chunk can carry many events). */
  serverTimes?: number[]
}

export interface DetectorContext {
  readonly spec: ConnectionSpec
  readonly facts: SessionFacts
  /** The attempt in progress or the last one. */
  readonly current: AttemptFacts | undefined
  /** The hop named from the headers and error pages seen so far (the most telling one). */
  readonly intermediary: Intermediary | undefined
  /** Raise a finding, or update the one with this id (a no-op when nothing changed). */
  raise(draft: FindingDraft): void
  /** The finding this session holds under `id`, if any. */
  raised(id: FindingId): Finding | undefined
}

export interface Detector {
  /** For tests and logs. */
  readonly name: string
  /** After the facts took in a frame that is not data (connecting, response, open, close, error, reconnect, ping, comment…). */
  onFrame?(frame: Frame, ctx: DetectorContext): void
  /** A sampled payload (see DataSample). */
  onSample?(sample: DataSample, ctx: DetectorContext): void
  /** About once a second while the session is live (`now` from the session's clock). */
  onTick?(now: number, ctx: DetectorContext): void
  /** Forget what was learned (a playback went back to its start). */
  reset?(): void
}
