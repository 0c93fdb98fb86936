// The one interface every protocol implements (docs/architecture.md, "Protocols"): a
// protocol runs on top of a technique within one session. It decodes every wire
// message into packets that annotate the frame (`decoded`), and — only when the user
// chose it — drives the session: handshakes, heartbeats answered, intents encoded.
import type { ConnectionSpec, Decoded, OutgoingMessage, ProtocolName, Result } from '../contract/index.js'
import type { LazyDecode } from '../frames/sink.js'
import type { TechniqueFactory } from '../techniques/technique.js'

/** One message as it crossed the wire, in either direction. */
export interface WireMessage {
  data: Buffer
  binary: boolean
  /** SSE: the event type the message came as. */
  event?: string
  /** The session's clock when it crossed. */
  time: number
}

/**
 * Reads one session's wire messages as packets. Stateful (a Socket.IO binary event
 * waits for its attachments, an ACK is matched to its emit), so one per session.
 * Never throws: what does not decode is a packet with `error`.
 */
export interface PacketDecoder {
  /** Packets of an incoming message; undefined when it is not this protocol's (left undecoded). */
  decodeIn(message: WireMessage): Decoded | undefined
  /** Packets of an outgoing message. */
  decodeOut(message: WireMessage): Decoded | undefined
  /** The outgoing message decoded last was recorded with this seq (an emit waiting for its ACK remembers it). */
  sentAs?(decoded: Decoded, seq: number, time: number): void
  /**
   * For an incoming message that decodes alike whenever it is decoded (it neither
   * reads nor changes the decoder's state, and the driver need not see it): a
   * decoder the session runs only where the message leaves the engine. Undefined:
   * decode it now with `decodeIn`.
   */
  lazyIn?(data: Buffer, binary: boolean): LazyDecode | undefined
  /** What a WebSocket close code means in this protocol (GraphQL's 4401…), for the close frame's `meaning`. */
  closeMeaning?(code: number): string | undefined
}

export interface ProtocolModule {
  readonly name: ProtocolName
  /** Words for people: "Socket.IO", "GraphQL over WebSocket (graphql-transport-ws)". */
  readonly title: string
  /**
   * The spec as this protocol needs it to drive: technique, subprotocols, query,
   * method, headers. A problem (a technique the protocol cannot run on) is an error
   * naming it.
   */
  prepare(spec: ConnectionSpec): Result<ConnectionSpec>
  createDecoder(spec: ConnectionSpec): PacketDecoder
  /**
   * The technique of one attempt that speaks this protocol, built on the session's
   * technique factory (or on its own transports, as Engine.IO polling does).
   */
  drive(base: TechniqueFactory): TechniqueFactory
}

/** A user's intent that this protocol cannot carry. */
export type IntentMessage = Extract<OutgoingMessage, { type: 'emit' | 'subscribe' | 'complete' }>
export const isIntent = (message: OutgoingMessage): message is IntentMessage => message.type === 'emit' || message.type === 'subscribe' || message.type === 'complete'
