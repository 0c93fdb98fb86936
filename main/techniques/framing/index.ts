// The framer a streaming connection asks for, or none when only chunks are wanted.
import type { ConnectionSpec } from '../../contract/index.js'
import { decodeDelimiter } from './delimiter-escapes.js'
import { DelimiterFramer } from './delimiter-framer.js'
import type { Framer } from './framer.js'
import { NdjsonFramer } from './ndjson-framer.js'
import { ScriptFramer } from './script-framer.js'

export type { Framer } from './framer.js'

export type FramerChoice = { ok: true; framer: Framer | undefined } | { ok: false; problem: string }

export function createFramer(options: ConnectionSpec['streaming']): FramerChoice {
  switch (options.framing) {
    case 'none':
      return { ok: true, framer: undefined }
    case 'ndjson':
      return { ok: true, framer: new NdjsonFramer() }
    case 'script':
      return { ok: true, framer: new ScriptFramer() }
    case 'delimiter': {
      const decoded = decodeDelimiter(options.delimiter)
      return decoded.ok ? { ok: true, framer: new DelimiterFramer(decoded.bytes) } : { ok: false, problem: decoded.problem }
    }
  }
}
