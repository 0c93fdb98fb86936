// What a technique reports and how: the sink a session hands every connection
// attempt, and the compact shapes of the hot path (a message's lazy decoder, a run of
// SSE events). It sits at the bottom of the engine, next to the contract, so every
// layer that reports frames (net's HTTP exchanges, techniques, protocols, the
// session's wrappers) can use it without importing a technique (docs/architecture.md,
// "Layers").
import type { Decoded, FrameBody, ProtocolFacts, SessionState } from '../contract/index.js'

export interface TechniqueSink {
  /** Record a frame; the session stamps `seq` and `time` (and answers the seq, where it can). */
  frame(body: FrameBody): number | void
  /**
   * The hot path: one incoming message. The session keeps the bytes compactly and
   * turns them into a frame object only where frames leave the engine. For a
   * technique that shows raw chunks (SSE, streaming), a message is one cut from the
   * chunk just given to `chunkIn`, and it takes that chunk's time. `decode`: the
   * message's protocol packets, computed only where the message leaves the engine
   * (shown, recorded, sampled) — see LazyDecode.
   */
  messageIn(data: Buffer, binary: boolean, decode?: LazyDecode): void
  /**
   * The hot path for a raw body chunk (SSE, streaming), kept like `messageIn`.
   * `text`: the chunk decoded, when the technique has it; without it the chunk is
   * decoded only if it is shown (as text when it is valid UTF-8, else as base64).
   */
  chunkIn(data: Buffer, text: string | undefined): void
  /**
   * The hot path for an SSE event: its fields, made into an `event` frame only where
   * it is shown. It takes the time of the chunk that completed it (the last frame
   * recorded), so call it right after that chunk's `chunkIn`.
   */
  eventIn(type: string, data: string, lastEventId: string, retry: number | undefined): void
  /**
   * The hottest path: the SSE events completed by the chunk just given to `chunkIn`,
   * all at once and not yet decoded (none has a `retry`). Each is decoded only if
   * it is shown, recorded or sampled.
   */
  eventsIn(run: EventRun): void
  state(next: SessionState): void
  /** The session's clock, ms since the epoch. */
  now(): number
  /** What this attempt learned that shapes the next one (SSE's `retry`, last event ID, a final answer). */
  hint(hint: ReconnectHint): void
  /** What the session's protocol knows that diagnostics should: its heartbeat deadline, its normal ends. */
  protocolFacts?(facts: ProtocolFacts): void
}

/**
 * A message's protocol packets, the same whenever they are computed (no state is
 * read or changed): a protocol hands it for the messages that are most of a flood
 * (Socket.IO events), so a session pays for decoding only the messages that leave
 * the engine, as SSE events are decoded only where shown (docs/architecture.md,
 * "Protocols"). One function for many messages: nothing is allocated per message.
 */
export type LazyDecode = (data: Buffer, binary: boolean) => Decoded | undefined

/** SSE events in order, kept undecoded (the SSE parser's, in techniques/sse/); `i` counts from 0. */
export interface EventRun {
  readonly count: number
  type(i: number): string
  data(i: number): string
  lastEventId(i: number): string
}

export interface ReconnectHint {
  /** The server asked for this delay before reconnecting (SSE `retry`). */
  retryMs?: number
  /** Send this as Last-Event-ID on the next attempt. */
  lastEventId?: string
  /** False when the answer forbids reconnecting (SSE: 204, non-200, wrong content type). */
  reconnectable?: boolean
}
