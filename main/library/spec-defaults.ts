// Connection files keep only what differs from a fresh spec of the same technique,
// so a file reads as "what is special about this connection" and diffs stay small.
import { ConnectionSpecSchema, type ConnectionSpec, type TechniqueName } from '../contract/index.js'
import { isDeepStrictEqual } from 'node:util'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** `spec` without the values a spec of its technique gets by default; parses back to `spec`. */
export function withoutDefaults(spec: ConnectionSpec): Record<string, Json> {
  const defaults = ConnectionSpecSchema.parse({ technique: spec.technique, url: spec.url })
  const stripped = strip(spec as unknown as Json, defaults as unknown as Json) ?? {}
  const kept = { technique: spec.technique, url: spec.url, ...(stripped as Record<string, Json>) }
  // A safety net for schema shapes this walk does not foresee: never store something
  // that would read back differently.
  // A copy either way: callers fill secret slots into it.
  return structuredClone(isDeepStrictEqual(ConnectionSpecSchema.parse(kept), spec) ? kept : (spec as unknown as Record<string, Json>))
}

/** Recurse into objects; arrays and leaves are kept whole or dropped whole. */
function strip(value: Json, fallback: Json | undefined): Json | undefined {
  if (isDeepStrictEqual(value, fallback)) return undefined
  if (!isPlainObject(value) || !isPlainObject(fallback)) return value
  const kept: Record<string, Json> = {}
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue
    const stripped = strip(child, fallback[key])
    if (stripped !== undefined) kept[key] = stripped
  }
  return Object.keys(kept).length > 0 ? kept : undefined
}

function isPlainObject(value: Json | undefined): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** A URL of the right scheme for `technique`, to validate a spec whose real URL is not known yet. */
export function standInUrl(technique: TechniqueName): string {
  return technique === 'websocket' ? 'ws://playground.invalid' : 'http://playground.invalid'
}
