// A run of SSE events kept undecoded: what the parser hands on for the events of one
// chunk that lie whole inside it, with one data line each and no `retry` (nearly all
// events of a fast stream). Their strings are made only for the events someone looks
// at — the newest of a batch, a sample, a recorded one.

/** Offsets kept per event of a run: data start and end, type start and end (-1 for none), id start and end (-1 for the run's base). */
export const EVENT_RUN_SLOTS = 6
const SLOTS = EVENT_RUN_SLOTS

/**
 * Events of one chunk, in order, kept as offsets into the chunk's bytes. None of
 * them has a `retry`; each has one data line. The strings are made on request.
 */
export class SseEventRun {
  constructor(
    /** The chunk the offsets point into. */
    readonly bytes: Buffer,
    readonly count: number,
    private readonly slots: Int32Array,
    /** The last event ID for events that come before any `id` in this chunk. */
    private readonly baseLastEventId: string,
  ) {}

  type(i: number): string {
    const start = this.slots[i * SLOTS + 2]!
    const end = this.slots[i * SLOTS + 3]!
    return start === end ? 'message' : this.bytes.toString('utf8', start, end)
  }

  data(i: number): string {
    return this.bytes.toString('utf8', this.slots[i * SLOTS]!, this.slots[i * SLOTS + 1]!)
  }

  lastEventId(i: number): string {
    const start = this.slots[i * SLOTS + 4]!
    return start < 0 ? this.baseLastEventId : this.bytes.toString('utf8', start, this.slots[i * SLOTS + 5]!)
  }
}
