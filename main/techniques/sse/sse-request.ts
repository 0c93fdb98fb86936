// What an EventSource sends and what it accepts back: the request headers of the
// HTML spec (plus what a browser adds), redirects as fetch follows them, and the
// rules that decide whether an answer is an event stream.
import type { ConnectionSpec } from '../../contract/index.js'
import { headerValue } from '../../contract/headers.js'
import type { WireHeaders } from '../../net/http-evidence.js'
import { requestHeaders } from '../../net/request-target.js'

export const MAX_REDIRECTS = 10
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
/** Bytes undici refuses in a header value (it allows tab, visible ASCII and 0x80-0xff). */
const UNSENDABLE = /[^\t\x20-\x7e\x80-\xff]/

export interface SseRequestHeaders {
  headers: Record<string, string>
  /** The last event ID could not be sent (a control character in it). */
  unsendableLastEventId?: string
}

/**
 * The user's headers and auth, over the defaults an EventSource sends. Browsers also
 * offer compression, and intermediaries compress (and then buffer) event streams
 * only for clients that do, so the inspector offers it too; an explicit
 * `Accept-Encoding: identity` in the spec's headers turns that off.
 */
export function sseRequestHeaders(spec: ConnectionSpec, lastEventId: string | undefined): SseRequestHeaders {
  const result: Record<string, string> = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache', 'Accept-Encoding': 'gzip, deflate, br' }
  const user = requestHeaders(spec)
  for (const [name, value] of Object.entries(user)) {
    const existing = Object.keys(result).find((key) => key.toLowerCase() === name.toLowerCase())
    if (existing) delete result[existing]
    result[name] = value
  }
  if (!lastEventId) return { headers: result }
  // The spec sends the ID encoded as UTF-8; undici writes header strings as latin1,
  // so the UTF-8 bytes go in as latin1 characters.
  const wire = Buffer.from(lastEventId, 'utf8').toString('latin1')
  if (UNSENDABLE.test(wire)) return { headers: result, unsendableLastEventId: lastEventId }
  for (const key of Object.keys(result)) if (key.toLowerCase() === 'last-event-id') delete result[key]
  result['Last-Event-ID'] = wire
  return { headers: result }
}

export interface RedirectStep {
  url: string
  method: string
  body: string | undefined
  headers: Record<string, string>
}

/** Where a redirect answer leads, as fetch would follow it; a string says why not. */
export function followRedirect(status: number, headers: WireHeaders, from: RedirectStep): RedirectStep | string | undefined {
  if (!REDIRECT_STATUSES.has(status)) return undefined
  const location = headerValue(headers, 'location')
  if (location === undefined) return undefined
  let next: URL
  try {
    next = new URL(location, from.url)
  } catch {
    return `the redirect's Location ${JSON.stringify(location.slice(0, 200))} is not a valid URL`
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') return `the redirect leads to ${next.protocol} which is not HTTP`
  const headersNext = { ...from.headers }
  let { method, body } = from
  // fetch: 303 turns everything but HEAD into GET; 301/302 turn POST into GET.
  if ((status === 303 && method !== 'GET' && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
    method = 'GET'
    body = undefined
    for (const key of Object.keys(headersNext)) if (/^content-/i.test(key)) delete headersNext[key]
  }
  // Credentials do not follow a redirect to another origin.
  if (next.origin !== new URL(from.url).origin) {
    for (const key of Object.keys(headersNext)) if (/^(authorization|cookie)$/i.test(key)) delete headersNext[key]
  }
  return { url: next.toString(), method, body, headers: headersNext }
}

/** Whether the Content-Type's essence is text/event-stream (parameters allowed, any case). */
export function isEventStreamType(headers: WireHeaders): boolean {
  const value = headerValue(headers, 'content-type')
  if (value === undefined) return false
  return value.split(';', 1)[0]!.trim().toLowerCase() === 'text/event-stream'
}

