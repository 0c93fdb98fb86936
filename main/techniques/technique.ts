// The one interface every technique implements. A technique owns its sockets and
// timers; it reports what it sees through the sink and never stamps frames itself.
import type { ConnectionSpec, FrameBody, OutgoingMessage, Result, SessionState } from '../contract/index.js'

export interface TechniqueSink {
  /** Record a frame; the session stamps `seq` and `time`. */
  frame(body: FrameBody): void
  /**
   * The hot path: one incoming message. The session keeps the bytes compactly and
   * turns them into a frame object only where frames leave the engine.
   */
  messageIn(data: Buffer, binary: boolean): void
  state(next: SessionState): void
  /** The session's clock, ms since the epoch. */
  now(): number
}

export interface Technique {
  start(): void
  send(message: OutgoingMessage): Result<void>
  /** Ask the peer politely to close; the technique reports the close when it happens. */
  close(code?: number, reason?: string): void
  /** Release everything at once; no sink call may follow. */
  dispose(): void
}

export type TechniqueFactory = (spec: ConnectionSpec, sink: TechniqueSink) => Technique
