// The frame model (docs/architecture.md, "The frame model"): everything a session observes is one of these.
// Field names are a public contract shared by the UI, recordings, `rti connect --json`
// and the detectors. This file is pure: no Node, no DOM.
import { z } from 'zod'
import { DecodedSchema } from './protocol.js'

export const Direction = z.enum(['in', 'out', 'system'])
export type Direction = z.infer<typeof Direction>

const headers = z.record(z.string(), z.union([z.string(), z.array(z.string())]))

const common = {
  seq: z.number().int().positive(),
  time: z.number().nonnegative(),
  direction: Direction,
}

/**
 * In a recording, a payload too long for a line any reader takes (docs/architecture.md,
 * "Recording"): left out, with its size in bytes and SHA-256; `data`/`dataBase64` is ''.
 */
const omitted = z.object({ bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional()

/** Payload of a message-like frame: text in `data`, or bytes in `dataBase64` with `binary: true`. */
const payload = {
  data: z.string().optional(),
  dataBase64: z.string().optional(),
  binary: z.literal(true).optional(),
  omitted,
}

export const ConnectingFrame = z.object({
  ...common,
  kind: z.literal('connecting'),
  url: z.string(),
  attempt: z.number().int().positive(),
  /** The proxy this attempt goes through (password hidden); absent when it connects directly. */
  proxy: z.string().optional(),
})
export const RequestFrame = z.object({ ...common, kind: z.literal('request'), method: z.string(), url: z.string(), headers })
export const ResponseFrame = z.object({
  ...common,
  kind: z.literal('response'),
  status: z.number().int().min(100).max(999),
  statusText: z.string().optional(),
  headers,
  httpVersion: z.string(),
  durationMs: z.number().nonnegative(),
  body: z.string().optional(),
  bodyBase64: z.string().optional(),
  /** The body was longer than the evidence cap and was cut. */
  bodyTruncated: z.boolean().optional(),
  unchanged: z.boolean().optional(),
  /**
   * 'proxy' when the proxy itself answered instead of the origin: its refusal of a
   * CONNECT tunnel (403, 407, 502…). Answers relayed through a forwarding proxy are
   * not marked; their Via / X-Cache / Server headers tell.
   */
  from: z.literal('proxy').optional(),
})
export const OpenFrame = z.object({ ...common, kind: z.literal('open'), protocol: z.string(), extensions: z.string().optional() })
/**
 * What a protocol adds to a message or event it read or wrote (docs/architecture.md,
 * "Protocols"): the packets decoded from it, which annotate the raw payload and never
 * replace it; and `auto` on a frame the protocol sent by itself (a pong, a handshake).
 */
const protocolFields = {
  decoded: DecodedSchema.optional(),
  auto: z.literal(true).optional(),
}

export const MessageFrame = z.object({ ...common, kind: z.literal('message'), ...payload, size: z.number().int().nonnegative(), ...protocolFields })
export const EventFrame = z.object({
  ...common,
  kind: z.literal('event'),
  event: z.string(),
  data: z.string(),
  id: z.string(),
  retry: z.number().int().nonnegative().optional(),
  omitted,
  ...protocolFields,
})
export const CommentFrame = z.object({ ...common, kind: z.literal('comment'), text: z.string() })
export const ChunkFrame = z.object({ ...common, kind: z.literal('chunk'), ...payload, size: z.number().int().nonnegative() })
export const PingFrame = z.object({ ...common, kind: z.literal('ping'), data: z.string() })
export const PongFrame = z.object({ ...common, kind: z.literal('pong'), data: z.string() })

export const CloseCause = z.enum(['remote-close', 'fin', 'reset', 'timeout', 'local'])
export type CloseCause = z.infer<typeof CloseCause>
export const CloseFrame = z.object({
  ...common,
  kind: z.literal('close'),
  code: z.number().int(),
  reason: z.string(),
  /** What the close code means, in plain words (RFC 6455 §7.4 / IANA registry). */
  meaning: z.string().optional(),
  wasClean: z.boolean(),
  idleMs: z.number().nonnegative(),
  bytesIn: z.number().int().nonnegative(),
  bytesOut: z.number().int().nonnegative(),
  cause: CloseCause,
})
export const ErrorFrame = z.object({ ...common, kind: z.literal('error'), code: z.string().regex(/^E_[A-Z0-9_]+$/), message: z.string() })
export const ReconnectFrame = z.object({
  ...common,
  kind: z.literal('reconnect'),
  attempt: z.number().int().positive(),
  delayMs: z.number().nonnegative(),
  lastEventId: z.string().optional(),
})
export const Severity = z.enum(['info', 'warning', 'error'])
export type Severity = z.infer<typeof Severity>
export const FindingFrame = z.object({
  ...common,
  kind: z.literal('finding'),
  id: z.string(),
  severity: Severity,
  summary: z.string(),
  evidence: z.array(z.string()),
  remedy: z.string(),
  /** hint → likely → confirmed as evidence accumulates (issue #6); absent on one-off notices. */
  confidence: z.enum(['hint', 'likely', 'confirmed']).optional(),
  /** The hop named from headers or an error page ("nginx/1.22.1", "squid/5.7", "Cloudflare"). */
  intermediary: z.string().optional(),
  /** The figure the finding is about (an idle time, a lifetime, a delay), in ms. */
  measuredMs: z.number().nonnegative().optional(),
  /** Well-known defaults that match the measured figure ("nginx proxy_read_timeout, 60 s by default"). */
  knownDefaults: z.array(z.string()).optional(),
  /** Frames the evidence points at (jump targets), oldest first. */
  seqs: z.array(z.number().int().positive()).optional(),
  /** Moments to mark on the timeline (cuts, bursts), ms since the Unix epoch. */
  times: z.array(z.number().nonnegative()).optional(),
})

export const FrameSchema = z.discriminatedUnion('kind', [
  ConnectingFrame,
  RequestFrame,
  ResponseFrame,
  OpenFrame,
  MessageFrame,
  EventFrame,
  CommentFrame,
  ChunkFrame,
  PingFrame,
  PongFrame,
  CloseFrame,
  ErrorFrame,
  ReconnectFrame,
  FindingFrame,
])

export type Frame = z.infer<typeof FrameSchema>
export type FrameKind = Frame['kind']
export type FrameOf<K extends FrameKind> = Extract<Frame, { kind: K }>
/** A frame before the session stamps it with `seq` and `time`. */
export type FrameBody = Frame extends infer F ? (F extends Frame ? Omit<F, 'seq' | 'time'> : never) : never

export const FRAME_KINDS = FrameSchema.options.map((o) => o.shape.kind.value) as readonly FrameKind[]
