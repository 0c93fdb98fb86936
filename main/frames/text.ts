// How bytes that may or may not be text are shown in a frame: as text when they are
// valid UTF-8, else (by the caller) as base64. Used wherever a chunk becomes a frame
// or a recording line, so a chunk reads the same everywhere.
import { isAscii, isUtf8 } from 'node:buffer'

/** Valid UTF-8 as text; ASCII (most streams) decodes as Latin-1 to the same string, nearly twice as fast. */
function utf8Text(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8')
}

/** The bytes as text when they are valid UTF-8, else undefined (they are shown as base64). */
export function textIfUtf8(bytes: Buffer): string | undefined {
  return isUtf8(bytes) ? utf8Text(bytes) : undefined
}
