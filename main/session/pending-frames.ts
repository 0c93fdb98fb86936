// Frames observed since the last batch, kept compactly. Incoming messages are the
// hot path (millions a second on loopback), so they are stored as raw bytes plus a
// time in a typed array; a frame object is made only for what leaves the engine.
import type { Frame, FrameBody } from '../contract/index.js'

const BODY = 0
const TEXT_IN = 1
const BINARY_IN = 2

export interface MaterialisedBatch {
  frames: Frame[]
  /** Messages in the window that were not materialised because of the cap. */
  skipped: number
}

export class PendingFrames {
  readonly capacity: number
  private readonly times: Float64Array
  private readonly tags: Uint8Array
  private readonly items: (FrameBody | Buffer)[] = []
  private messages = 0
  /** seq of the first pending entry */
  firstSeq = 1

  constructor(capacity: number) {
    this.capacity = capacity
    this.times = new Float64Array(capacity)
    this.tags = new Uint8Array(capacity)
  }

  get length(): number {
    return this.items.length
  }

  get isFull(): boolean {
    return this.items.length >= this.capacity
  }

  pushBody(body: FrameBody, time: number): void {
    const i = this.items.length
    this.times[i] = time
    this.tags[i] = BODY
    this.items.push(body)
  }

  pushMessageIn(data: Buffer, binary: boolean, time: number): void {
    const i = this.items.length
    this.times[i] = time
    this.tags[i] = binary ? BINARY_IN : TEXT_IN
    this.items.push(data)
    this.messages++
  }

  /**
   * Frame objects for the pending window: every control frame, and the last
   * `maxMessages` incoming messages (the rest are only counted).
   */
  materialise(maxMessages: number): MaterialisedBatch {
    const frames: Frame[] = []
    const skip = Math.max(0, this.messages - maxMessages)
    let seenMessages = 0
    for (let i = 0; i < this.items.length; i++) {
      const seq = this.firstSeq + i
      const time = this.times[i]!
      const tag = this.tags[i]!
      const item = this.items[i]!
      if (tag === BODY) {
        frames.push({ ...(item as FrameBody), seq, time } as Frame)
        continue
      }
      if (seenMessages++ < skip) continue
      frames.push(messageFrame(item as Buffer, tag === BINARY_IN, seq, time))
    }
    return { frames, skipped: skip }
  }

  clear(): void {
    this.firstSeq += this.items.length
    this.items.length = 0
    this.messages = 0
  }
}

export function messageFrame(data: Buffer, binary: boolean, seq: number, time: number): Frame {
  return binary
    ? { seq, time, direction: 'in', kind: 'message', dataBase64: data.toString('base64'), binary: true, size: data.length }
    : { seq, time, direction: 'in', kind: 'message', data: data.toString('utf8'), size: data.length }
}
