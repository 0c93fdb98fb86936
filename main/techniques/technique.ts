// The one interface every technique implements. A technique owns its sockets and
// timers; it reports what it sees through the sink (main/frames/sink.ts) and never
// stamps frames itself.
import type { ConnectionSpec, OutgoingMessage, Result } from '../contract/index.js'
import type { TechniqueSink } from '../frames/sink.js'
import type { NetContext } from '../net/proxy.js'

/** Which connection attempt a technique instance makes; one instance per attempt. */
export interface AttemptContext {
  /** 1 for the first connection, then 2, 3… */
  number: number
  /** SSE: the last event ID seen so far in the session. */
  lastEventId?: string
  /** What only the host app can provide (the system proxy resolver). */
  net: NetContext
}

export interface Technique {
  start(): void
  send(message: OutgoingMessage): Result<void>
  /** Ask the peer politely to close; the technique reports the close when it happens. */
  close(code?: number, reason?: string): void
  /** Release everything at once; no sink call may follow. */
  dispose(): void
  /**
   * Back-pressure (the recording's disk is behind): read nothing more from the
   * connection — pause the socket or response body, so TCP flow control slows the
   * server — until `resume`. Frames already read may still arrive. Calls alternate,
   * pause first; a technique without them is never paused.
   */
  pause?(): void
  resume?(): void
}

/**
 * Makes one attempt's technique. An attempt reports 'connecting', then 'open' while
 * live, and ends with 'closed' or 'failed'; whether another attempt follows is the
 * reconnect policy's decision, not the technique's.
 */
export type TechniqueFactory = (spec: ConnectionSpec, sink: TechniqueSink, attempt: AttemptContext) => Technique
