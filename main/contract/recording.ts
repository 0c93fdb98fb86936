// A recording (`*.rti.jsonl`, docs/architecture.md ("The frame model")): one header line, then one frame per line,
// appended as they happen. Secrets in the spec are redacted before it is written.
import { z } from 'zod'

export const RECORDING_FORMAT = 'rti-session'
export const RECORDING_VERSION = 1
export const RECORDING_EXTENSION = '.rti.jsonl'

export const RecordingHeaderSchema = z.object({
  format: z.literal(RECORDING_FORMAT),
  version: z.literal(RECORDING_VERSION),
  /** The connection spec as given, secrets replaced by "[redacted]". Kept loose: old files outlive schema changes. */
  spec: z.object({ technique: z.string(), url: z.string() }).passthrough(),
  /** ms since the Unix epoch */
  startedAt: z.number(),
  /** The engine's session id, when recorded live. */
  sessionId: z.string().max(64).optional(),
  /** The app version that wrote it. */
  writer: z.string().max(64).optional(),
  /** Where it came from when not recorded live, e.g. "har-import". */
  source: z.string().max(64).optional(),
})
export type RecordingHeader = z.infer<typeof RecordingHeaderSchema>
