// What a HAR file must hold for an import: only the fields the import reads are
// required, every one bounded; anything else a tool adds passes through unread.
// HAR 1.2: http://www.softwareishard.com/blog/har-12-spec/ ; Chrome's additions:
// `_resourceType` and `_webSocketMessages` ({ type, time, opcode, data }).
import { z } from 'zod'

/** Biggest HAR read (it is one JSON document, parsed whole). */
export const MAX_HAR_BYTES = 256 * 1024 * 1024
export const MAX_HAR_ENTRIES = 100_000
const MAX_TEXT = 64 * 1024 * 1024
const MAX_MESSAGES = 5_000_000

const text = (max = MAX_TEXT) => z.string().max(max)
const Header = z.object({ name: text(16_384), value: text(1024 * 1024) }).passthrough()
const Headers = z.array(Header).max(10_000)

export const HarWebSocketMessage = z
  .object({
    type: z.enum(['send', 'receive']),
    /** Seconds since the Unix epoch, fractional. */
    time: z.number().nonnegative(),
    /** 1 text, 2 binary (base64 data); control opcodes are skipped on import. */
    opcode: z.number().int().min(0).max(15),
    data: text(),
  })
  .passthrough()

export const HarEventSourceMessage = z
  .object({
    time: z.number().nonnegative(),
    eventName: text(4096).optional(),
    eventId: text(4096).optional(),
    data: text(),
    retry: z.number().int().nonnegative().optional(),
  })
  .passthrough()

const Close = z.object({
  time: z.number().nonnegative(),
  code: z.number().int(),
  reason: text(4096),
  wasClean: z.boolean(),
  cause: z.enum(['remote-close', 'fin', 'reset', 'timeout', 'local']),
})

export const HarEntry = z
  .object({
    startedDateTime: text(64).refine((value) => !Number.isNaN(Date.parse(value)), 'not an ISO 8601 date'),
    /** Total ms of the request, -1 or absent when unknown. */
    time: z.number().optional(),
    request: z.object({ method: text(64), url: text(65_536), headers: Headers }).passthrough(),
    response: z
      .object({
        status: z.number().int().min(0).max(999),
        statusText: text(4096).optional(),
        httpVersion: text(64).optional(),
        headers: Headers,
        content: z.object({ size: z.number().optional(), mimeType: text(1024).optional(), text: text().optional(), encoding: text(64).optional() }).passthrough().optional(),
        _error: z.string().max(4096).optional().catch(undefined),
      })
      .passthrough(),
    timings: z.object({ wait: z.number().optional() }).passthrough().optional(),
    _resourceType: text(64).optional(),
    _webSocketMessages: z.array(HarWebSocketMessage).max(MAX_MESSAGES).optional(),
    _eventSourceMessages: z.array(HarEventSourceMessage).max(MAX_MESSAGES).optional(),
    _rtiMessages: z.array(HarWebSocketMessage).max(MAX_MESSAGES).optional(),
    _chunks: z.array(z.object({ time: z.number().nonnegative(), size: z.number().int().nonnegative() })).max(MAX_MESSAGES).optional(),
    _rtiUnchanged: z.boolean().optional(),
    _rtiClose: Close.optional(),
    _rtiError: z.object({ time: z.number().nonnegative(), code: z.string().regex(/^E_[A-Z0-9_]+$/), message: text(4096) }).optional(),
  })
  .passthrough()
export type HarEntry = z.infer<typeof HarEntry>

export const HarFile = z.object({
  log: z
    .object({
      version: text(16),
      creator: z.object({ name: text(256), version: text(256).optional() }).passthrough().optional(),
      entries: z.array(HarEntry).max(MAX_HAR_ENTRIES),
      _rtiRecording: z.object({ technique: z.enum(['websocket', 'sse', 'long-polling', 'polling', 'streaming']), url: text(65_536), startedAt: z.number() }).optional(),
    })
    .passthrough(),
})
export type HarFile = z.infer<typeof HarFile>

/** HAR versions this reads: 1.2 (Chrome, Firefox, most tools) and 1.1 (older tools). */
export const HAR_VERSIONS = ['1.1', '1.2']

/** `log.entries[3].request.url`: the path of a field as a person would write it. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`
  return out || '(the file)'
}
