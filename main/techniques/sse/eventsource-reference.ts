// The `eventsource` package as the reference client: the same bytes the wire view
// parses are fed, chunk by chunk, to what that package does with them — a
// TextDecoder in stream mode and eventsource-parser, with its MessageEvent's `type`
// (`event || 'message'`) and `lastEventId` (`id || ''`) — and the events it would
// dispatch are compared with the spec's. Where they differ, the spec wins and the
// difference becomes a finding.
//
// Known divergences of eventsource 4.1.1 / eventsource-parser 3.1.1, each shown by
// a test against the real package (test/techniques/sse-eventsource.test.ts):
// - A line ending in a lone CR at the end of a chunk is held until the next byte
//   arrives (the parser waits to see whether an LF follows), so such an event comes
//   late, and never if the stream ends first. The spec ends the line at the CR.
// - MessageEvent.lastEventId is the event's own `id:` value, or "" when the event
//   has none; the spec gives the last event ID the stream set, which persists.
// - An `id:` in a block without data is forgotten, so a reconnect sends an older
//   Last-Event-ID than the spec would.
// - At the start of the stream the parser strips the characters "ï»¿" — a BOM's
//   bytes misread as Latin-1, as a server that double-encodes a BOM sends them —
//   which the spec treats as text: the first line's field name then is not `data`.
//   (A real BOM is stripped once by both, as the spec says.)
// - It checks the Content-Type with a case-sensitive `startsWith`: it refuses
//   `Text/Event-Stream` and accepts `text/event-streams`; the spec compares the
//   MIME type's essence, case-insensitively (see contentTypeDifference).
// (A CRLF split between two chunks also makes the package wait for the LF; that is
// only worth a finding when the LF came late.) Found by fuzzing our parser against
// eventsource-parser on random streams and splits: nothing beyond these.
// The comparison is incremental: the reference gets each chunk first, so on an
// agreeing stream each of our events finds the package's event waiting and costs a
// few string comparisons; events out of step wait in bounded queues.
//
// It is also sampled. The package decodes every event and our events must be decoded
// for it too, several times what our parser costs (it keeps events undecoded), so
// comparing every byte of a flood would cut what the inspector can take in to a
// fraction. Up to a budget
// of bytes per second (far above what real event streams send) everything is
// compared; past it the comparison pauses, and resumes in a later second at a point
// where our parser is between events — a fresh reference client started there sees
// the rest of the stream exactly as one that had read it all. Differences come from
// how a server writes its events, which repeats, so samples find them.
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser'

export interface ReferenceFinding {
  summary: string
  evidence: string[]
  remedy: string
}

interface SeenEvent {
  n: number
  type: string
  data: string
  id: string
  /** When ours was dispatched and the reference had not caught up by the end of the chunk. */
  lateSince?: number
}

/** Unmatched events kept per side before the comparison gives up. */
const MAX_PENDING = 1000
/** Differences reported one by one per connection; the rest are counted. */
const MAX_FINDINGS = 10
/** How far to look ahead for the event that brings both sides back in step. */
const RESYNC_WINDOW = 16
/**
 * A CRLF split between two chunks also makes the package wait for the LF, but that
 * LF normally follows at once; only a wait longer than this is worth a finding.
 */
const CRLF_SPLIT_TOLERANCE_MS = 50
const WHO = 'A standard EventSource client (the `eventsource` package)'
/**
 * Bytes per second compared in full; a faster stream is compared in samples. Real
 * event streams send kilobytes a second, so they are compared whole; comparing costs
 * 3 to 12 ms per MiB here (64-byte to 1 KB events), so a flood spends at most about
 * 1 % of a core on it.
 */
export const DEFAULT_COMPARE_BYTES_PER_SECOND = 1024 * 1024
const SAMPLE_WINDOW_MS = 1000

const REMEDY_GENERAL = 'The spec (WHATWG HTML, server-sent events) decides, and browsers follow it; clients built on the `eventsource` package will see what this finding says. Plain `field: value` lines ending in LF, one `id:` per event, avoid every known difference.'
const REMEDY_CR = 'End lines with LF or CRLF, not a lone CR: eventsource-parser holds a line ending in CR at the end of a chunk until the next byte arrives, and drops it when the stream ends first.'
const REMEDY_ID = 'Send an `id:` line with every event (or read the position from the data): the `eventsource` package reports `lastEventId` only from the event\'s own `id:` line, "" without one, while the spec keeps the last ID the stream set.'

export interface ReferenceOptions {
  /** Bytes per second compared in full before the comparison samples. */
  compareBytesPerSecond?: number
}

export class EventSourceReference {
  private decoder = new TextDecoder()
  private parser: EventSourceParser
  private readonly budget: number
  private windowStart = -Infinity
  private windowBytes = 0
  /** Paused for the rest of the current window; resumes at an event boundary after it. */
  private paused = false
  private comparedBytes = 0
  private totalBytes = 0
  private ours: SeenEvent[] = []
  private oursHead = 0
  /** The package's own event objects, kept as they came: nothing more is allocated while both agree. */
  private refs: EventSourceMessage[] = []
  private refsHead = 0
  private oursCount = 0
  /** What the package would send as Last-Event-ID after this connection. */
  private refLastEventId: string
  private reported = 0
  private unreported = 0
  private stopped = false
  private now = 0
  private lastChunkEndedWithCr = false
  /** The current chunk starts with the LF of a CRLF the previous one began. */
  private crlfJoined = false

  constructor(
    private readonly report: (finding: ReferenceFinding) => void,
    startLastEventId: string,
    options: ReferenceOptions = {},
  ) {
    this.refLastEventId = startLastEventId
    this.budget = options.compareBytesPerSecond ?? DEFAULT_COMPARE_BYTES_PER_SECOND
    this.parser = this.newParser()
  }

  /**
   * The same bytes our parser got, in the same pieces, and when they arrived.
   * `atEventBoundary`
   * says that our parser holds nothing of a line or an event before this chunk, and
   * `lastEventId` is its last event ID there: where a paused comparison may resume.
   */
  feed(chunk: Buffer, now: number, atEventBoundary: boolean, lastEventId: string): void {
    if (this.stopped || chunk.length === 0) return
    this.totalBytes += chunk.length
    if (now - this.windowStart >= SAMPLE_WINDOW_MS) {
      this.windowStart = now
      this.windowBytes = 0
    }
    if (this.paused && !(this.windowBytes === 0 && atEventBoundary && this.resume(chunk, lastEventId))) return
    this.windowBytes += chunk.length
    this.comparedBytes += chunk.length
    this.now = now
    this.crlfJoined = this.lastChunkEndedWithCr && chunk[0] === 0x0a
    this.lastChunkEndedWithCr = chunk[chunk.length - 1] === 0x0d
    this.parser.feed(this.decoder.decode(chunk, { stream: true }))
  }

  /** Whether it wants our events now (it is neither stopped nor paused between samples). */
  get comparing(): boolean {
    return !this.stopped && !this.paused
  }

  /**
   * An event the spec-exact parser dispatched. The reference is fed each chunk
   * first, so on an agreeing stream its event is already waiting here.
   */
  ourEvent(type: string, data: string, id: string): void {
    if (this.stopped || this.paused) return
    this.oursCount++
    if (this.oursHead === this.ours.length && this.refsHead < this.refs.length) {
      const b = this.refs[this.refsHead]!
      if (type === (b.event || 'message') && data === b.data && id === (b.id || '')) {
        this.refsHead++
        return
      }
    }
    this.ours.push({ n: this.oursCount, type, data, id })
    this.drain()
  }

  /** After each chunk: match what both sides have dispatched so far. */
  settle(): void {
    if (this.stopped || this.paused) return
    this.drain()
    for (let i = this.oursHead; i < this.ours.length; i++) this.ours[i]!.lateSince ??= this.now
    if (this.ours.length - this.oursHead > MAX_PENDING || this.refs.length - this.refsHead > MAX_PENDING) {
      this.add({
        summary: `${WHO} fell out of step with this stream; comparing stopped`,
        evidence: [`${this.ours.length - this.oursHead} events of the stream and ${this.refs.length - this.refsHead} of the reference client are unmatched`],
        remedy: REMEDY_GENERAL,
      })
      this.stop()
      return
    }
    this.compact()
    // Pause only with nothing unmatched: an event waiting for its partner would be lost.
    if (this.windowBytes > this.budget && this.oursHead === this.ours.length && this.refsHead === this.refs.length) this.paused = true
  }

  /** The stream ended (however): what is still unmatched, and the ID a reconnect would send. */
  end(ourLastEventId: string): void {
    if (this.stopped) return
    this.settle()
    if (this.stopped) return
    for (let i = this.oursHead; i < this.ours.length; i++) this.missing(this.ours[i]!, true)
    for (let i = this.refsHead; i < this.refs.length; i++) this.extra(view(this.refs[i]!))
    // A paused reference did not see how the stream ended: its last ID is unknown.
    if (!this.paused && this.refLastEventId !== ourLastEventId) {
      this.add({
        summary: `${WHO} would reconnect with a different Last-Event-ID`,
        evidence: [`the stream's last event ID: ${quote(ourLastEventId)}`, `the eventsource package would send: ${quote(this.refLastEventId)}`, 'it forgets an `id:` sent in a block without data'],
        remedy: 'Send `id:` together with the data of an event; an ID-only block moves the spec\'s last event ID but not the package\'s.',
      })
    }
    if (this.unreported > 0) {
      this.report({
        summary: `${WHO} would see ${this.unreported} more event${this.unreported === 1 ? '' : 's'} differently in this connection`,
        evidence: [`the first ${MAX_FINDINGS} differences are reported one by one; the rest only counted`],
        remedy: REMEDY_GENERAL,
      })
    }
    this.stop()
  }

  /** Stop without reporting (our parser gave up, the session went away). */
  stop(): void {
    this.stopped = true
    this.ours = []
    this.refs = []
    this.oursHead = this.refsHead = 0
  }

  private newParser(): EventSourceParser {
    return createParser({ onEvent: (event) => this.onReferenceEvent(event) })
  }

  /**
   * Start a fresh reference client at this chunk, as if the stream began here with
   * our last event ID. Not where its decoder or parser would strip a BOM (or the
   * "ï»¿" it also strips) that is data mid-stream.
   */
  private resume(chunk: Buffer, lastEventId: string): boolean {
    if (chunk[0] === 0xef || chunk[0] === 0xc3) return false
    this.paused = false
    this.decoder = new TextDecoder()
    this.parser = this.newParser()
    this.ours.length = this.refs.length = 0
    this.oursHead = this.refsHead = 0
    this.lastChunkEndedWithCr = false
    this.refLastEventId = lastEventId
    return true
  }

  private onReferenceEvent(event: EventSourceMessage): void {
    if (typeof event.id === 'string') this.refLastEventId = event.id
    this.refs.push(event)
    this.drain()
  }

  private drain(): void {
    while (this.oursHead < this.ours.length && this.refsHead < this.refs.length) this.matchHeads()
  }

  private matchHeads(): void {
    const a = this.ours[this.oursHead]!
    const b = view(this.refs[this.refsHead]!)
    if (a.type === b.type && a.data === b.data) {
      this.oursHead++
      this.refsHead++
      if (a.id !== b.id) this.differentId(a, b)
      else if (a.lateSince !== undefined && !(this.crlfJoined && this.now - a.lateSince < CRLF_SPLIT_TOLERANCE_MS)) this.late(a, this.now - a.lateSince)
      return
    }
    // One side may have an event the other lacks: find where they agree again.
    for (let k = 1; k <= RESYNC_WINDOW; k++) {
      const oursAhead = this.ours[this.oursHead + k]
      if (oursAhead && oursAhead.type === b.type && oursAhead.data === b.data) {
        for (let i = 0; i < k; i++) this.missing(this.ours[this.oursHead++]!, false)
        return
      }
      const refsAhead = this.refs[this.refsHead + k]
      if (refsAhead && (refsAhead.event || 'message') === a.type && refsAhead.data === a.data) {
        for (let i = 0; i < k; i++) this.extra(view(this.refs[this.refsHead++]!))
        return
      }
    }
    this.oursHead++
    this.refsHead++
    this.add({
      summary: `${WHO} would see this event differently`,
      evidence: [`event ${a.n} on the wire: ${describe(a)}`, `the eventsource package: ${describe(b)}`],
      remedy: REMEDY_GENERAL,
    })
  }

  private missing(a: SeenEvent, atEnd: boolean): void {
    const evidence = [`event ${a.n} on the wire: ${describe(a)}`]
    if (atEnd && a.lateSince !== undefined) evidence.push('its blank line ended with a lone CR at the end of a chunk; the package waits for the next byte, and the stream ended first')
    this.add({ summary: `${WHO} would not see this event`, evidence, remedy: a.lateSince !== undefined ? REMEDY_CR : REMEDY_GENERAL })
  }

  private extra(b: SeenEvent): void {
    this.add({
      summary: `${WHO} would see an event the stream does not have`,
      evidence: [`the eventsource package would dispatch: ${describe(b)}`, 'for example: the package strips the characters "ï»¿" (a BOM misread as Latin-1) at the start of a stream, so a first event the spec ignores becomes visible'],
      remedy: REMEDY_GENERAL,
    })
  }

  private differentId(a: SeenEvent, b: SeenEvent): void {
    const evidence = [`event ${a.n} on the wire: ${describe(a)}`, `the eventsource package's lastEventId: ${quote(b.id)}`]
    if (b.id === '') evidence.push('the event has no `id:` line of its own; the spec keeps the last ID the stream set')
    this.add({ summary: `${WHO} would see a different id for this event`, evidence, remedy: b.id === '' ? REMEDY_ID : REMEDY_GENERAL })
  }

  private late(a: SeenEvent, delayMs: number): void {
    this.add({
      summary: `${WHO} would see this event late, only when more bytes arrive`,
      evidence: [
        `event ${a.n} on the wire: ${describe(a)}`,
        'its blank line ended with a CR at the end of a chunk; the package waits for the next byte to see whether an LF follows',
        `here the next byte came ${Math.round(delayMs)} ms later`,
      ],
      remedy: REMEDY_CR,
    })
  }

  private add(finding: ReferenceFinding): void {
    if (this.reported >= MAX_FINDINGS) {
      this.unreported++
      return
    }
    this.reported++
    if (this.comparedBytes < this.totalBytes) {
      finding.evidence.push(`the stream is fast, so it is compared in samples: ${this.comparedBytes} of its ${this.totalBytes} bytes so far`)
    }
    this.report(finding)
  }

  private compact(): void {
    if (this.oursHead > 256 && this.oursHead * 2 > this.ours.length) {
      this.ours = this.ours.slice(this.oursHead)
      this.oursHead = 0
    }
    if (this.refsHead > 256 && this.refsHead * 2 > this.refs.length) {
      this.refs = this.refs.slice(this.refsHead)
      this.refsHead = 0
    }
    if (this.oursHead === this.ours.length && this.oursHead > 0) {
      this.ours.length = 0
      this.oursHead = 0
    }
    if (this.refsHead === this.refs.length && this.refsHead > 0) {
      this.refs.length = 0
      this.refsHead = 0
    }
  }
}

/** The package's event as its MessageEvent shows it. */
function view(event: EventSourceMessage): SeenEvent {
  return { n: 0, type: event.event || 'message', data: event.data, id: event.id || '' }
}

function describe(e: SeenEvent): string {
  return `type ${quote(e.type)}, id ${quote(e.id)}, data ${quote(e.data)}`
}

/** A value as JSON, cut short: evidence lines stay readable. */
function quote(text: string): string {
  return text.length > 120 ? JSON.stringify(text.slice(0, 120)) + `… (${text.length} characters)` : JSON.stringify(text)
}

/**
 * Whether the `eventsource` package would judge the Content-Type differently from
 * the spec: it accepts anything that starts with `text/event-stream`, exactly.
 */
export function contentTypeDifference(contentType: string | undefined, specAccepts: boolean): ReferenceFinding | undefined {
  const packageAccepts = (contentType ?? '').startsWith('text/event-stream')
  if (packageAccepts === specAccepts) return undefined
  return {
    summary: packageAccepts ? `${WHO} would accept this answer as an event stream` : `${WHO} would refuse this stream`,
    evidence: [`Content-Type: ${JSON.stringify(contentType ?? '')}`, packageAccepts ? 'the package only checks that the value starts with "text/event-stream"' : 'the package compares "text/event-stream" case-sensitively at the start of the value; the spec compares the MIME type case-insensitively'],
    remedy: 'Send exactly `Content-Type: text/event-stream` (parameters such as `; charset=utf-8` are fine).',
  }
}
