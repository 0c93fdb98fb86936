// What the user asks for: one endpoint, one technique, and that technique's options.
// Schemas bound every field so a hostile or broken payload cannot balloon memory.
import { z } from 'zod'
import { isSendableCloseCode } from './close-codes.js'

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

export const ConnectionSpecSchema = z
  .object({
    name: z.string().max(200).optional(),
    technique: TechniqueName,
    url: z.string().min(1).max(MAX_URL),
    headers: z.array(HeaderSchema).max(200).default([]),
    websocket: WebSocketOptionsSchema.default(() => WebSocketOptionsSchema.parse({})),
  })
  .superRefine((spec, ctx) => {
    const problem = urlProblem(spec.url, spec.technique)
    if (problem) ctx.addIssue({ code: 'custom', path: ['url'], message: problem })
  })
export type ConnectionSpec = z.infer<typeof ConnectionSpecSchema>
export type ConnectionSpecInput = z.input<typeof ConnectionSpecSchema>

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
])
export type OutgoingMessage = z.infer<typeof OutgoingMessageSchema>
export type OutgoingMessageInput = z.input<typeof OutgoingMessageSchema>
