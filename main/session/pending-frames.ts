// Frames observed since the last batch, kept compactly and in bounded memory.
// Data frames (messages, SSE events and comments, raw chunks) can arrive hundreds
// of thousands a second on loopback, so they go into a ring that holds only the
// newest `messageCapacity` of them; older ones in the same window are only counted.
// The hot paths — incoming messages, raw body chunks, SSE events — are held as their
// parts (bytes or strings, or an SSE event run and the place in it; a time, a tag) in
// parallel arrays, and a frame object is made only for what leaves the engine: at a
// million events a second, building an object for each of the many that are then
// dropped was most of the cost. Control frames (open, close, errors…) are rare and
// always kept.
import type { Frame, FrameBody } from '../contract/index.js'
import { messageFrame } from '../frames/message-frame.js'
import type { EventRun, LazyDecode } from '../frames/sink.js'
import { textIfUtf8 } from '../frames/text.js'

export interface MaterialisedBatch {
  frames: Frame[]
  /** Messages in the window that were not materialised because of the cap. */
  skipped: number
}

export class PendingFrames {
  private readonly controls: { seq: number; time: number; body: FrameBody }[] = []
  private ringSeqs: Float64Array
  private ringTimes: Float64Array
  /** What a slot holds and how it becomes a frame (one of the TAG_ constants). */
  private ringTags: Uint8Array
  /** The payload: a message's or chunk's bytes, a chunk's or event's text, an event run, or a whole frame body. */
  private ringData: (Buffer | string | EventRun | FrameBody | Frame | undefined)[]
  /** A chunk's size; an event's `retry`, or -1 for none; an event's place in its run. */
  private ringNumbers: Float64Array
  /** An event's type and last event ID. */
  private ringTypes: (string | undefined)[]
  private ringIds: (string | undefined)[]
  /** An incoming message's protocol decoder, run only if the message is materialised. */
  private ringDecoders: (LazyDecode | undefined)[]
  private ringStart = 0
  private ringSize = 0
  /** Messages pushed since the last clear, kept or not. */
  private messages = 0
  private lastSeqValue = 0
  private wantedCapacity = 0

  constructor(
    private messageCapacity: number,
    private readonly controlCapacity = 10_000,
  ) {
    this.ringSeqs = new Float64Array(messageCapacity)
    this.ringTimes = new Float64Array(messageCapacity)
    this.ringTags = new Uint8Array(messageCapacity)
    this.ringData = new Array(messageCapacity)
    this.ringNumbers = new Float64Array(messageCapacity)
    this.ringTypes = new Array(messageCapacity)
    this.ringIds = new Array(messageCapacity)
    this.ringDecoders = new Array(messageCapacity)
  }

  /** Highest seq handed out so far. */
  get lastSeq(): number {
    return this.lastSeqValue
  }

  get isEmpty(): boolean {
    return this.controls.length === 0 && this.messages === 0
  }

  /** Control frames are never dropped, so too many of them force a batch out. */
  get isFull(): boolean {
    return this.controls.length >= this.controlCapacity
  }

  pushBody(body: FrameBody, time: number): void {
    if (DATA_KINDS.has(body.kind)) {
      this.ringData[this.pushData(TAG_BODY, time)] = body
      return
    }
    this.controls.push({ seq: ++this.lastSeqValue, time, body })
  }

  pushMessageIn(data: Buffer, binary: boolean, time: number, decode?: LazyDecode): void {
    const slot = this.pushData(binary ? TAG_MESSAGE_BINARY : TAG_MESSAGE_TEXT, time)
    this.ringData[slot] = data
    this.ringDecoders[slot] = decode
  }

  /** `text`: the chunk as text, if decoded already; without it, it is decoded if it is shown. */
  pushChunk(data: Buffer, text: string | undefined, time: number): void {
    const slot = this.pushData(text !== undefined ? TAG_CHUNK_TEXT : TAG_CHUNK_BYTES, time)
    this.ringData[slot] = text ?? data
    this.ringNumbers[slot] = data.length
  }

  pushEvent(type: string, data: string, id: string, retry: number | undefined, time: number): void {
    const slot = this.pushData(TAG_EVENT, time)
    this.ringData[slot] = data
    this.ringTypes[slot] = type
    this.ringIds[slot] = id
    this.ringNumbers[slot] = retry ?? -1
  }

  /**
   * Events of one run, all at `time`. Only the newest `messageCapacity` of them can
   * be in a batch, so only those take slots; the rest are counted.
   */
  pushEventRun(run: EventRun, time: number): void {
    const unkept = Math.max(0, run.count - this.messageCapacity)
    this.lastSeqValue += unkept
    this.messages += unkept
    for (let i = unkept; i < run.count; i++) {
      const slot = this.pushData(TAG_EVENT_RUN, time)
      this.ringData[slot] = run
      this.ringNumbers[slot] = i
    }
  }

  /** A frame stamped already (a recording played back): it keeps its seq and time, and seqs go on from it. */
  pushStamped(frame: Frame): void {
    if (DATA_KINDS.has(frame.kind)) {
      this.lastSeqValue = frame.seq - 1
      this.ringData[this.pushData(TAG_STAMPED, frame.time)] = frame
      return
    }
    this.controls.push({ seq: frame.seq, time: frame.time, body: frame })
    this.lastSeqValue = frame.seq
  }

  /** Forget everything, the seq count too (a playback going back). */
  reset(): void {
    this.clear()
    this.lastSeqValue = 0
  }

  /** Takes the next slot (the oldest one when the ring is full) and returns it. */
  private pushData(tag: number, time: number): number {
    const seq = ++this.lastSeqValue
    this.messages++
    const capacity = this.messageCapacity
    let slot: number
    if (this.ringSize < capacity) {
      slot = (this.ringStart + this.ringSize++) % capacity
    } else {
      slot = this.ringStart
      this.ringStart = (this.ringStart + 1) % capacity
    }
    this.ringSeqs[slot] = seq
    this.ringTimes[slot] = time
    this.ringTags[slot] = tag
    return slot
  }

  /**
   * Frame objects for the window, in seq order: every control frame, and the newest
   * `maxMessages` incoming messages (the rest are only counted).
   */
  materialise(maxMessages: number): MaterialisedBatch {
    const keep = Math.min(maxMessages, this.ringSize)
    const frames: Frame[] = []
    let c = 0
    for (let k = this.ringSize - keep; k < this.ringSize; k++) {
      const slot = (this.ringStart + k) % this.messageCapacity
      const seq = this.ringSeqs[slot]!
      while (c < this.controls.length && this.controls[c]!.seq < seq) frames.push(controlFrame(this.controls[c++]!))
      frames.push(this.dataFrame(slot, seq))
    }
    while (c < this.controls.length) frames.push(controlFrame(this.controls[c++]!))
    return { frames, skipped: this.messages - keep }
  }

  private dataFrame(slot: number, seq: number): Frame {
    const time = this.ringTimes[slot]!
    const data = this.ringData[slot]!
    switch (this.ringTags[slot]) {
      case TAG_MESSAGE_TEXT:
        return messageFrame(data as Buffer, false, seq, time, this.ringDecoders[slot])
      case TAG_MESSAGE_BINARY:
        return messageFrame(data as Buffer, true, seq, time, this.ringDecoders[slot])
      case TAG_EVENT: {
        const retry = this.ringNumbers[slot]!
        const event = this.ringTypes[slot]!
        const id = this.ringIds[slot]!
        // The same fields, in the same order, as the event frames the technique used to send.
        return retry < 0
          ? { kind: 'event', direction: 'in', event, data: data as string, id, seq, time }
          : { kind: 'event', direction: 'in', event, data: data as string, id, retry, seq, time }
      }
      case TAG_CHUNK_TEXT:
        return { kind: 'chunk', direction: 'in', size: this.ringNumbers[slot]!, data: data as string, seq, time }
      case TAG_CHUNK_BYTES: {
        const bytes = data as Buffer
        const text = textIfUtf8(bytes)
        return text !== undefined
          ? { kind: 'chunk', direction: 'in', size: bytes.length, data: text, seq, time }
          : { kind: 'chunk', direction: 'in', size: bytes.length, dataBase64: bytes.toString('base64'), binary: true, seq, time }
      }
      case TAG_EVENT_RUN: {
        const run = data as EventRun
        const i = this.ringNumbers[slot]!
        return { kind: 'event', direction: 'in', event: run.type(i), data: run.data(i), id: run.lastEventId(i), seq, time }
      }
      case TAG_STAMPED:
        return data as Frame
      default:
        return controlFrame({ seq, time, body: data as FrameBody })
    }
  }

  clear(): void {
    this.controls.length = 0
    // Let go of the payloads; only the used slots hold any.
    for (let k = 0; k < this.ringSize; k++) {
      const slot = (this.ringStart + k) % this.messageCapacity
      this.ringData[slot] = this.ringTypes[slot] = this.ringIds[slot] = this.ringDecoders[slot] = undefined
    }
    this.ringStart = 0
    this.ringSize = 0
    this.messages = 0
    if (this.wantedCapacity > this.messageCapacity) this.grow(this.wantedCapacity)
  }

  /** Keep at least this many messages per window, from the next window on. */
  ensureMessageCapacity(capacity: number): void {
    this.wantedCapacity = Math.max(this.wantedCapacity, capacity)
    // Nothing held yet: grow now, so the very next window already holds that many.
    if (this.ringSize === 0 && this.wantedCapacity > this.messageCapacity) this.grow(this.wantedCapacity)
  }

  private grow(capacity: number): void {
    this.messageCapacity = capacity
    this.ringSeqs = new Float64Array(capacity)
    this.ringTimes = new Float64Array(capacity)
    this.ringTags = new Uint8Array(capacity)
    this.ringData = new Array(capacity)
    this.ringNumbers = new Float64Array(capacity)
    this.ringTypes = new Array(capacity)
    this.ringIds = new Array(capacity)
    this.ringDecoders = new Array(capacity)
  }
}

const TAG_BODY = 0
const TAG_MESSAGE_TEXT = 1
const TAG_MESSAGE_BINARY = 2
const TAG_CHUNK_TEXT = 3
const TAG_CHUNK_BYTES = 4
const TAG_EVENT = 5
const TAG_STAMPED = 6
const TAG_EVENT_RUN = 7

/** Kinds that may arrive in floods: counted, and only the newest of them carried. */
const DATA_KINDS: ReadonlySet<FrameBody['kind']> = new Set(['message', 'chunk', 'event', 'comment'])

function controlFrame({ seq, time, body }: { seq: number; time: number; body: FrameBody }): Frame {
  // Not `{ ...body, seq, time }`: in V8 (Node 20) adding properties after a spread
  // takes a slow runtime path, ~5 µs a frame, which capped SSE events (one control
  // frame each) near 150 k/s. Object.assign gives the same object 20x faster.
  const frame = Object.assign({}, body) as Frame
  frame.seq = seq
  frame.time = time
  return frame
}
