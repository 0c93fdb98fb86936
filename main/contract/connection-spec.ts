// What the user asks for: one endpoint, one technique, and that technique's options.
// Schemas bound every field so a hostile or broken payload cannot balloon memory.
import { z } from 'zod'
import { isSendableCloseCode } from './close-codes.js'
import { CompleteIntentSchema, EmitIntentSchema, ProtocolOptionsSchema, SubscribeIntentSchema } from './protocol.js'

export const TECHNIQUES = ['websocket', 'sse', 'long-polling', 'polling', 'streaming'] as const
export const TechniqueName = z.enum(TECHNIQUES)
export type TechniqueName = z.infer<typeof TechniqueName>

const MAX_URL = 8192
const URL_SCHEMES: Record<TechniqueName, readonly string[]> = {
  websocket: ['ws:', 'wss:'],
  sse: ['http:', 'https:'],
  'long-polling': ['http:', 'https:'],
  polling: ['http:', 'https:'],
  streaming: ['http:', 'https:'],
}

/** Header names are HTTP tokens; values have no CR/LF (no header injection). */
export const HeaderSchema = z.object({
  name: z.string().min(1).max(256).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid header name'),
  value: z.string().max(16384).regex(/^[^\r\n\0]*$/, 'header values cannot contain line breaks'),
})
export type Header = z.infer<typeof HeaderSchema>

export const WebSocketOptionsSchema = z.object({
  subprotocols: z.array(z.string().min(1).max(256).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid subprotocol name')).max(32).default([]),
  perMessageDeflate: z.boolean().default(false),
  /** Largest message accepted, in bytes; bigger ones close the connection with 1009. */
  maxPayload: z.number().int().min(1).max(1024 * 1024 * 1024).default(100 * 1024 * 1024),
  handshakeTimeoutMs: z.number().int().min(100).max(300_000).default(15_000),
})
export type WebSocketOptions = z.infer<typeof WebSocketOptionsSchema>

const FilePath = z.string().min(1).max(4096)

export const AuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('basic'), username: z.string().max(1024).regex(/^[^:\r\n]*$/, 'a basic-auth user name cannot contain ":" or line breaks'), password: z.string().max(4096) }),
  z.object({ type: z.literal('bearer'), token: z.string().min(1).max(16384).regex(/^[^\r\n\0]*$/, 'tokens cannot contain line breaks') }),
])
export type Auth = z.infer<typeof AuthSchema>

export const TlsOptionsSchema = z.object({
  /** Extra certificate authorities to trust (PEM file), on top of the system's. */
  caFile: FilePath.optional(),
  /** Client certificate and key (PEM files) for servers that ask for one. */
  certFile: FilePath.optional(),
  keyFile: FilePath.optional(),
  /** Skip certificate verification. The session shows a warning when set. */
  insecure: z.boolean().default(false),
})
export type TlsOptions = z.infer<typeof TlsOptionsSchema>

export const PROXY_SCHEMES = ['http:', 'https:', 'socks5:', 'socks5h:'] as const
export const ProxyOptionsSchema = z
  .object({
    /**
     * none: connect directly. env: HTTP_PROXY / HTTPS_PROXY / NO_PROXY (the default).
     * system: the operating system's settings, resolved by the desktop app.
     * url: the proxy given in `url`.
     */
    mode: z.enum(['none', 'env', 'system', 'url']).default('env'),
    url: z.string().max(MAX_URL).optional(),
  })
  .superRefine((proxy, ctx) => {
    if (proxy.mode !== 'url') return
    const problem = proxy.url ? proxyUrlProblem(proxy.url) : 'a proxy URL is needed'
    if (problem) ctx.addIssue({ code: 'custom', path: ['url'], message: problem })
  })
export type ProxyOptions = z.infer<typeof ProxyOptionsSchema>

export const ReconnectPolicySchema = z.object({
  /** Unset: the technique's nature decides (SSE, polling and long-polling reconnect; WebSocket and streaming do not). */
  enabled: z.boolean().optional(),
  /** Unset: the technique's default (SSE: 3000 ms, the spec's usual reconnection time, until the server sends `retry`; others: 1000 ms). */
  initialDelayMs: z.number().int().min(0).max(3_600_000).optional(),
  maxDelayMs: z.number().int().min(0).max(3_600_000).default(30_000),
  multiplier: z.number().min(1).max(10).default(2),
  /** Up to this fraction of each delay is added at random, so clients do not reconnect in lockstep. */
  jitter: z.number().min(0).max(1).default(0.2),
  /** Consecutive failed attempts before giving up; 0 = never give up. */
  maxAttempts: z.number().int().min(0).max(1_000_000).default(10),
})
export type ReconnectPolicy = z.infer<typeof ReconnectPolicySchema>

export const LimitsSchema = z.object({
  /** Largest message, event, line or response body accepted; larger ones give an error frame. */
  maxMessageBytes: z.number().int().min(1).max(1024 * 1024 * 1024).default(16 * 1024 * 1024),
})

export const SseOptionsSchema = z.object({
  /** Sent as Last-Event-ID on the first connection (reconnects send the stream's own). */
  lastEventId: z.string().max(4096).regex(/^[^\r\n\0]*$/).optional(),
  /** Also run the `eventsource` package's parser on the same bytes and show where it sees something else. */
  compareWithEventSource: z.boolean().default(true),
})

export const CursorSchema = z.object({
  /**
   * Where the next cursor comes from in each response: a header, a dot path in the
   * JSON body, or (`query`) the `param` query parameter of a URL in a header
   * (`Link` rel="next", `Location`, `Content-Location`); with `query`, a 3xx
   * answer is followed too, its cursor read from its `Location`.
   */
  from: z.enum(['none', 'header', 'json', 'query']).default('none'),
  /** The header name (header, query), or a dot path into the JSON body (json, e.g. `meta.next`). */
  name: z.string().max(256).default(''),
  /** The query parameter the cursor is sent back in. */
  param: z.string().max(256).default('cursor'),
}).superRefine((cursor, ctx) => {
  if ((cursor.from === 'header' || cursor.from === 'query') && !cursor.name) ctx.addIssue({ code: 'custom', path: ['name'], message: `a cursor from ${cursor.from === 'header' ? 'a header' : 'a URL in a header'} needs the header name` })
  if (cursor.from !== 'none' && !cursor.param) ctx.addIssue({ code: 'custom', path: ['param'], message: 'the query parameter to send the cursor in cannot be empty' })
})
export const LongPollingOptionsSchema = z.object({
  cursor: CursorSchema.prefault({}),
  /** Give up on a held request after this long (then ask again). */
  requestTimeoutMs: z.number().int().min(100).max(3_600_000).default(90_000),
  /** Where the messages are in a JSON answer: a dot path to an array, or '' for the whole body. */
  messagesPath: z.string().max(256).default(''),
  /**
   * The floor between two requests: an answer that comes at once is not asked again
   * sooner than this, and the wait doubles while answers keep coming at once (no
   * request storms against an endpoint that does not hold).
   */
  minIntervalMs: z.number().int().min(0).max(3_600_000).default(250),
})
export const PollingOptionsSchema = z.object({
  intervalMs: z.number().int().min(10).max(86_400_000).default(2000),
  /** Up to this many ms added at random to each interval. */
  jitterMs: z.number().int().min(0).max(86_400_000).default(0),
  /** Send If-None-Match / If-Modified-Since from the previous answer. */
  conditional: z.boolean().default(true),
  requestTimeoutMs: z.number().int().min(100).max(3_600_000).default(30_000),
  /** As for long-polling: a dot path to a JSON array of messages, or '' (a JSON array is cut into its elements, anything else is one message). */
  messagesPath: z.string().max(256).default(''),
})
export const StreamingOptionsSchema = z.object({
  /** How the body is cut into messages; chunks are always shown as they arrived. */
  framing: z.enum(['none', 'ndjson', 'delimiter', 'script']).default('ndjson'),
  /** For `delimiter` framing; escapes like \\n, \\x1e are understood. */
  delimiter: z.string().min(1).max(64).default('\\n'),
  /** Give up when no byte arrives for this long (cause 'timeout'); 0 = wait for ever, a stream may be quiet. */
  idleTimeoutMs: z.number().int().min(0).max(86_400_000).default(0),
})

/** Whether and how a session is recorded (the engine records when it has a data folder). */
export const RecordOptionsSchema = z.object({
  /** false: this session is not recorded, even where sessions are recorded by default. */
  enabled: z.boolean().default(true),
  /** Recording stops (the session goes on) when its file reaches this size; default 1 GiB. */
  maxBytes: z.number().int().min(64 * 1024).max(1024 ** 4).optional(),
})
export type RecordOptions = z.infer<typeof RecordOptionsSchema>

/** Per-connection settings of the passive detectors (`spec.diagnostics`). */
export const DiagnosticsOptionsSchema = z.object({
  /** false: no detector runs on this session. */
  enabled: z.boolean().default(true),
  /**
   * The JSON field in a payload that holds the server's send time (ms or s since the
   * epoch, or an ISO date); a dotted path like `meta.sentAt`. Empty: look for one of
   * sentAt, timestamp, ts, time, t at the top level.
   */
  timestampField: z.string().max(256).default(''),
  /**
   * Silence on an open connection after which it counts as silently dropped (no FIN,
   * no RST). 0: learned from the heartbeats seen (a few missed in a row).
   */
  heartbeatDeadlineMs: z.number().int().min(0).max(86_400_000).default(0),
})
export type DiagnosticsOptions = z.infer<typeof DiagnosticsOptionsSchema>

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

export const ConnectionSpecSchema = z
  .object({
    name: z.string().max(200).optional(),
    technique: TechniqueName,
    url: z.string().min(1).max(MAX_URL),
    headers: z.array(HeaderSchema).max(200).default([]),
    /** Added to the URL's query string. */
    query: z.array(z.object({ name: z.string().min(1).max(1024), value: z.string().max(16384) })).max(200).default([]),
    /** For the HTTP techniques. */
    method: z.enum(HTTP_METHODS).default('GET'),
    body: z.string().max(16 * 1024 * 1024).optional(),
    auth: AuthSchema.default({ type: 'none' }),
    tls: TlsOptionsSchema.prefault({}),
    proxy: ProxyOptionsSchema.prefault({}),
    reconnect: ReconnectPolicySchema.prefault({}),
    limits: LimitsSchema.prefault({}),
    websocket: WebSocketOptionsSchema.prefault({}),
    sse: SseOptionsSchema.prefault({}),
    longPolling: LongPollingOptionsSchema.prefault({}),
    polling: PollingOptionsSchema.prefault({}),
    streaming: StreamingOptionsSchema.prefault({}),
    /** The protocol spoken on top of the technique (Socket.IO, GraphQL…); default: decode what is certain, drive nothing. */
    protocol: ProtocolOptionsSchema.prefault({}),
    record: RecordOptionsSchema.optional(),
    /** The passive detectors (issue #6); absent means on, with their defaults. */
    diagnostics: DiagnosticsOptionsSchema.optional(),
  })
  .superRefine((spec, ctx) => {
    const problem = urlProblem(spec.url, spec.technique)
    if (problem) ctx.addIssue({ code: 'custom', path: ['url'], message: problem })
  })
export type ConnectionSpec = z.infer<typeof ConnectionSpecSchema>
export type ConnectionSpecInput = z.input<typeof ConnectionSpecSchema>

/** A plain-language reason why `url` cannot be a proxy, or undefined when it can. */
export function proxyUrlProblem(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return `"${url.slice(0, 200)}" is not a valid proxy URL`
  }
  if (!(PROXY_SCHEMES as readonly string[]).includes(parsed.protocol)) return `proxies must be http://, https:// or socks5://, not ${parsed.protocol.replace(':', '://')}`
  if (!parsed.hostname) return 'the proxy URL has no host'
  return undefined
}

/** A plain-language reason why `url` cannot be used with `technique`, or undefined when it can. */
export function urlProblem(url: string, technique: TechniqueName): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return `"${url.slice(0, 200)}" is not a valid URL`
  }
  const allowed = URL_SCHEMES[technique]
  if (!allowed.includes(parsed.protocol)) {
    return `${technique} needs a ${allowed.map((s) => s.replace(':', '://')).join(' or ')} URL, not ${parsed.protocol.replace(':', '://')}`
  }
  if (!parsed.hostname) return 'the URL has no host'
  return undefined
}

/** Whether a session of this technique reconnects when the policy does not say. */
export function reconnectsByDefault(technique: TechniqueName): boolean {
  return technique === 'sse' || technique === 'polling' || technique === 'long-polling'
}

/** The first reconnect delay when the policy does not set one. */
export function defaultInitialDelayMs(technique: TechniqueName): number {
  return technique === 'sse' ? 3000 : 1000
}

/** What can be sent on an open session. */
export const OutgoingMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), data: z.string().max(64 * 1024 * 1024) }),
  z.object({ type: z.literal('binary'), base64: z.string().max(90 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not valid base64') }),
  z.object({ type: z.literal('ping'), data: z.string().max(125).default('') }),
  z.object({
    type: z.literal('close'),
    code: z.number().int().refine(isSendableCloseCode, 'not a close code an endpoint may send').optional(),
    reason: z.string().max(123).default(''),
  }),
  // Intents, for a session that speaks a protocol (its protocol encodes them).
  EmitIntentSchema,
  SubscribeIntentSchema,
  CompleteIntentSchema,
])
export type OutgoingMessage = z.infer<typeof OutgoingMessageSchema>
export type OutgoingMessageInput = z.input<typeof OutgoingMessageSchema>
