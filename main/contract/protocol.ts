// Protocols on top of the techniques (docs/architecture.md, "Protocols"): which ones
// exist, their options in a connection spec, the packets they decode, and the intents
// a user sends through them. Pure: no Node, no DOM.
import { z } from 'zod'

/** The protocols a session can speak; `auto` decodes what is certain and drives nothing, `none` decodes nothing. */
export const PROTOCOLS = ['socket.io', 'graphql-transport-ws', 'graphql-ws', 'graphql-sse'] as const
export const ProtocolName = z.enum(PROTOCOLS)
export type ProtocolName = z.infer<typeof ProtocolName>
export const PROTOCOL_CHOICES = ['auto', 'none', ...PROTOCOLS] as const
export const ProtocolChoice = z.enum(PROTOCOL_CHOICES)
export type ProtocolChoice = z.infer<typeof ProtocolChoice>

/** A JSON value typed by the user (an auth payload, init payload, variables), kept as its text so errors point at it. */
const JsonText = z
  .string()
  .max(1024 * 1024)
  .refine((text) => {
    if (text.trim() === '') return true
    try {
      JSON.parse(text)
      return true
    } catch {
      return false
    }
  }, 'not valid JSON')

export const SocketIoOptionsSchema = z.object({
  /** The namespace to connect, e.g. `/admin`; `/` is the main one. */
  namespace: z.string().max(1024).regex(/^\//, 'a namespace starts with "/"').default('/'),
  /** The CONNECT packet's auth payload (JSON object), '' for none. */
  auth: JsonText.default(''),
  /** Engine.IO protocol version: 4 (Socket.IO 3 and 4) or 3 (Socket.IO 2, or servers with allowEIO3). */
  eio: z.union([z.literal(3), z.literal(4)]).default(4),
  // The server's path (socket.io-client's `path`) is the URL's own; a URL with no path gets `/socket.io/`.
  /** On an http(s):// URL: start with polling, then upgrade to WebSocket like socket.io-client (false stays on polling). */
  upgrade: z.boolean().default(true),
})
export type SocketIoOptions = z.infer<typeof SocketIoOptionsSchema>

export const GraphQlOperationSchema = z.object({
  query: z.string().min(1).max(1024 * 1024),
  variables: JsonText.default(''),
  operationName: z.string().max(1024).default(''),
})
export type GraphQlOperation = z.infer<typeof GraphQlOperationSchema>

export const GraphQlOptionsSchema = z.object({
  /** The connection_init payload (JSON object), '' for none. */
  init: JsonText.default(''),
  /** Operations subscribed once the connection is acknowledged, in order. */
  operations: z.array(GraphQlOperationSchema).max(100).default([]),
  /** graphql-sse only: one stream for every operation (a reservation first) instead of one request per operation. */
  singleConnection: z.boolean().default(false),
})
export type GraphQlOptions = z.infer<typeof GraphQlOptionsSchema>

export const ProtocolOptionsSchema = z.object({
  name: ProtocolChoice.default('auto'),
  socketio: SocketIoOptionsSchema.prefault({}),
  graphql: GraphQlOptionsSchema.prefault({}),
})
export type ProtocolOptions = z.infer<typeof ProtocolOptionsSchema>

/**
 * One decoded protocol packet, as carried in a frame's `decoded`. Every packet names
 * its protocol and its type in that protocol's own words; the other fields are the
 * protocol's (Socket.IO `namespace`, `event`, `args`, `ackId`, `ackOf`, `rttMs`;
 * GraphQL `id`, `payload`). A packet that did not decode has `error` (a sentence).
 */
export const PacketSchema = z.looseObject({
  protocol: z.string().max(64),
  type: z.string().max(128),
  error: z.string().max(4096).optional(),
})
export type Packet = z.infer<typeof PacketSchema> & Record<string, unknown>

/** What `decoded` on a frame holds: one packet, or several when one wire message carried several. */
export const DecodedSchema = z.union([PacketSchema, z.array(PacketSchema).max(100_000)])
export type Decoded = Packet | Packet[]

/** The packets of a frame's `decoded`, always as a list. */
export function packetsOf(decoded: Decoded | undefined): Packet[] {
  if (!decoded) return []
  return Array.isArray(decoded) ? decoded : [decoded]
}

/** Intents: what the user means, turned into wire messages by the session's protocol. */
export const EmitIntentSchema = z.object({
  type: z.literal('emit'),
  event: z.string().min(1).max(1024),
  /** The event's arguments, as a JSON array (text, so it is checked where it is typed). */
  args: JsonText.default('[]').refine((text) => {
    if (text.trim() === '') return true
    try {
      return Array.isArray(JSON.parse(text))
    } catch {
      return true // already said: not valid JSON
    }
  }, 'the arguments must be a JSON array'),
  /** Ask the server to acknowledge; its ACK is matched to this emit with the round-trip time. */
  ack: z.boolean().default(false),
})
export const SubscribeIntentSchema = z.object({
  type: z.literal('subscribe'),
  query: z.string().min(1).max(1024 * 1024),
  variables: JsonText.default(''),
  operationName: z.string().max(1024).default(''),
})
export const CompleteIntentSchema = z.object({
  type: z.literal('complete'),
  /** The operation to stop. */
  id: z.string().min(1).max(1024),
})

/** The heartbeat and the normal ends a protocol told diagnostics about (see TechniqueSink.protocolFacts). */
export interface ProtocolFacts {
  protocol: ProtocolName
  /** Silence after which the connection is dead by the protocol's own rules (e.g. pingInterval + pingTimeout); undefined when it has no heartbeat. */
  heartbeatDeadlineMs?: number
  /** Where the deadline comes from, in words ("Engine.IO pingInterval 25 s + pingTimeout 20 s"). */
  heartbeatWhy?: string
  /** True while nothing is due from the server (every operation completed): silence then is no finding. */
  idle?: boolean
  /** The protocol ended the session as its normal outcome (a completed subscription): no reconnect, no finding. */
  ended?: string
}
