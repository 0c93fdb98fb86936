// Runs the passive detectors (docs/diagnostics.md) over one session: it keeps the facts, feeds
// the detectors, and holds the current finding of each. A live session emits a
// `finding` frame each time one changes (so it is recorded and shown in the list);
// a playback only keeps them for the panel, as its frames keep their recorded seqs.
import { FINDING_LIMITS, isDetectorFindingId, type ConnectionSpec, type Finding, type FindingId, type Frame, type FrameBody, type FrameOf, type ProtocolFacts } from '../contract/index.js'
import { SessionFacts } from './attempt-facts.js'
import type { DataSample, Detector, DetectorContext, FindingDraft } from './detector.js'
import { nameIntermediary, type Intermediary } from './intermediary.js'
import { PayloadClock } from './payload-time.js'
import { defaultDetectors } from './detectors/index.js'

/** Every payload of an attempt's first this-many is sampled; after that a few per second. */
const SAMPLE_ALL_FIRST = 256
const SAMPLE_EVERY_MS = 50
const SAMPLE_TEXT = 4096

export type FindingBody = Extract<FrameBody, { kind: 'finding' }>

export interface SessionDiagnosticsOptions {
  /** Emit a finding frame now; answers its seq. Without it findings are only kept. */
  emit?: (body: FindingBody) => number
  /** Something changed that the next batch must carry. */
  onChange?: () => void
  detectors?: Detector[]
}

export class SessionDiagnostics {
  readonly facts: SessionFacts
  private readonly detectors: Detector[]
  private readonly findings = new Map<string, Finding>()
  private readonly clock: PayloadClock
  private readonly context: DetectorContext
  private intermediaryNow: Intermediary | undefined
  private changed = false
  private now = 0
  private samplesThisAttempt = 0
  private lastSampleAt = -Infinity

  constructor(
    private readonly spec: ConnectionSpec,
    private readonly options: SessionDiagnosticsOptions = {},
  ) {
    this.facts = new SessionFacts(spec.technique)
    this.detectors = options.detectors ?? defaultDetectors()
    this.clock = new PayloadClock(spec.diagnostics?.timestampField ?? '')
    const facts = this.facts
    const intermediary = () => this.intermediaryNow
    this.context = {
      spec,
      facts,
      get current() {
        return facts.current
      },
      get intermediary() {
        return intermediary()
      },
      raise: (draft) => this.raise(draft),
      raised: (id) => this.findings.get(id),
    }
  }

  /** A frame that is not on the data hot path (or any frame, from a playback). */
  observe(frame: Frame): void {
    this.now = frame.time
    if (frame.kind === 'finding') return this.foreignFinding(frame)
    this.facts.observe(frame)
    // Each attempt gets its first payloads looked at in full.
    if (frame.kind === 'connecting') this.samplesThisAttempt = 0
    if (frame.kind === 'response') this.intermediaryNow = nameIntermediary(this.facts.current?.exchanges.at(-1)?.response?.headers ?? {}, frame.body) ?? this.intermediaryNow
    if (frame.direction === 'in' && (frame.kind === 'message' || frame.kind === 'event' || frame.kind === 'chunk')) {
      if (this.wantsSample(frame.time)) {
        if (frame.data !== undefined) this.sample(frame.seq, frame.time, frame.kind, frame.data)
      }
      return
    }
    for (const detector of this.detectors) this.run(detector, () => detector.onFrame?.(frame, this.context))
  }

  /** The hot path: a data frame's arrival (where raw chunks are shown, only the chunks). */
  dataIn(time: number, size: number): void {
    this.facts.dataIn(time, size)
  }

  /** Whether a payload arriving now should be looked at (cheap; call before decoding text). */
  wantsSample(time: number): boolean {
    return this.samplesThisAttempt < SAMPLE_ALL_FIRST || time - this.lastSampleAt >= SAMPLE_EVERY_MS
  }

  sample(seq: number, time: number, kind: DataSample['kind'], text: string): void {
    this.now = time
    this.samplesThisAttempt++
    this.lastSampleAt = time
    const bounded = text.length > SAMPLE_TEXT ? text.slice(0, SAMPLE_TEXT) : text
    const stamps = this.clock.stamps(bounded, time)
    const sample: DataSample = { seq, time, kind, text: bounded }
    if (stamps.length > 0) sample.serverTime = stamps[stamps.length - 1]
    if (stamps.length > 1) sample.serverTimes = stamps
    for (const detector of this.detectors) if (detector.onSample) this.run(detector, () => detector.onSample!(sample, this.context))
  }

  /** The session's protocol said what its heartbeat is, or that nothing is due now (see SessionFacts.protocol). */
  protocolFacts(facts: ProtocolFacts): void {
    this.facts.protocolSaid(facts, this.now)
  }

  /** About once a second while live. */
  tick(now: number): void {
    this.now = now
    for (const detector of this.detectors) if (detector.onTick) this.run(detector, () => detector.onTick!(now, this.context))
  }

  /** Forget everything (a playback went back to its start). */
  reset(): void {
    this.facts.reset()
    this.findings.clear()
    this.intermediaryNow = undefined
    this.samplesThisAttempt = 0
    this.lastSampleAt = -Infinity
    this.changed = true
    for (const detector of this.detectors) detector.reset?.()
  }

  /** The findings changed since the last call (all of them then), or undefined. */
  takeChanged(): Finding[] | undefined {
    if (!this.changed) return undefined
    this.changed = false
    return this.list()
  }

  list(): Finding[] {
    return [...this.findings.values()]
  }

  get intermediary(): Intermediary | undefined {
    return this.intermediaryNow
  }

  private raise(draft: FindingDraft): void {
    const bounded = boundDraft(draft)
    const existing = this.findings.get(draft.id)
    if (existing && sameDraft(existing, bounded)) return
    const finding: Finding = { ...bounded, raisedAt: existing?.raisedAt ?? this.now, updatedAt: this.now }
    if (this.options.emit) finding.frameSeq = this.options.emit({ kind: 'finding', direction: 'system', ...bounded })
    this.findings.set(draft.id, finding)
    this.changed = true
    this.options.onChange?.()
  }

  /** A finding frame that did not come from these detectors: a technique's notice, or a recorded one. */
  private foreignFinding(frame: FrameOf<'finding'>): void {
    // Findings of the catalogue come from these detectors: a recorded one is computed
    // afresh from the recorded frames instead.
    if (isDetectorFindingId(frame.id)) return
    const { seq, time, kind: _kind, direction: _direction, ...rest } = frame
    const existing = this.findings.get(frame.id)
    this.findings.set(frame.id, { ...rest, raisedAt: existing?.raisedAt ?? time, updatedAt: time, frameSeq: seq })
    this.changed = true
    this.options.onChange?.()
  }

  private run(detector: Detector, call: () => void): void {
    try {
      call()
    } catch (error) {
      // A detector's bug must not take the session down; it stops looking.
      this.detectors.splice(this.detectors.indexOf(detector), 1)
      console.error(`diagnostics: detector ${detector.name} failed and was turned off:`, error)
    }
  }
}

function boundDraft(input: FindingDraft): FindingDraft {
  // A detector may hand back what `raised` gave it: the runner's own fields are not part of a draft.
  const { raisedAt: _r, updatedAt: _u, frameSeq: _f, ...draft } = input as FindingDraft & Partial<Finding>
  const bounded: FindingDraft = { ...draft, evidence: draft.evidence.slice(-FINDING_LIMITS.evidence) }
  if (draft.seqs) bounded.seqs = [...new Set(draft.seqs)].slice(-FINDING_LIMITS.seqs)
  if (draft.times) bounded.times = draft.times.slice(-FINDING_LIMITS.times)
  if (draft.knownDefaults) bounded.knownDefaults = draft.knownDefaults.slice(0, FINDING_LIMITS.knownDefaults)
  for (const key of Object.keys(bounded) as (keyof FindingDraft)[]) if (bounded[key] === undefined) delete bounded[key]
  return bounded
}

function sameDraft(finding: Finding, draft: FindingDraft): boolean {
  const { raisedAt: _r, updatedAt: _u, frameSeq: _f, ...previous } = finding
  return JSON.stringify(previous) === JSON.stringify(draft)
}

export type { FindingId }
