// The playground listens on a new port every start, so saved connections to it keep
// `{playground}` in place of its origin and get the running one's when listed.
import type { TechniqueName } from '../contract/index.js'

export const PLAYGROUND_PLACEHOLDER = '{playground}'

export function hasPlaceholder(url: string): boolean {
  return url.startsWith(PLAYGROUND_PLACEHOLDER)
}

/** `{playground}/ws/echo` → `ws://127.0.0.1:PORT/ws/echo` (http:// for the HTTP techniques). */
export function resolvePlaygroundUrl(url: string, technique: TechniqueName, baseUrl: string | undefined): string {
  if (!baseUrl || !hasPlaceholder(url)) return url
  return originFor(technique, baseUrl) + url.slice(PLAYGROUND_PLACEHOLDER.length)
}

/** The stored form of `url`: `{playground}…` when it points at the running playground. */
export function toPlaygroundPlaceholder(url: string, baseUrl: string | undefined): string {
  if (!baseUrl) return url
  for (const origin of [baseUrl, baseUrl.replace(/^http/, 'ws')]) {
    // Only at a boundary: a base of :8080 must not claim :80801.
    if (url === origin || (url.startsWith(origin) && '/?#'.includes(url[origin.length]!))) return PLAYGROUND_PLACEHOLDER + url.slice(origin.length)
  }
  return url
}

function originFor(technique: TechniqueName, baseUrl: string): string {
  return technique === 'websocket' ? baseUrl.replace(/^http/, 'ws') : baseUrl
}
