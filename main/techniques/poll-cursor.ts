// Where the next long-poll request resumes from: a header, a dot path in the JSON
// body, or the query parameter of a URL the server points to (a `Link: <…>;
// rel="next"`, `Location` or `Content-Location`). Whatever the source, the cursor
// goes back as the query parameter `cursor.param` of the next request.
import type { ConnectionSpec } from '../contract/index.js'
import { headerValue } from '../contract/headers.js'
import type { WireHeaders } from '../net/http-evidence.js'
import type { ParsedBody } from './http-messages.js'
import { valueAtPath } from './json-path.js'

export type CursorOptions = ConnectionSpec['longPolling']['cursor']

/** `cursor` when the answer carries one; `missing` says why not, for a notice. */
export type CursorLookup = { cursor: string } | { missing: string } | { none: true }

const MAX_CURSOR_LENGTH = 4096

export function cursorFrom(options: CursorOptions, headers: WireHeaders, body: ParsedBody, requestUrl: string): CursorLookup {
  switch (options.from) {
    case 'none':
      return { none: true }
    case 'header': {
      const value = headerValue(headers, options.name)
      return value === undefined ? { missing: `the answer has no ${options.name} header` } : bounded(value.trim())
    }
    case 'json': {
      if (!body.json) return { missing: `the answer is not JSON, so the cursor "${options.name}" cannot be read` }
      const at = valueAtPath(body.value, options.name)
      if (!at.found || at.value === null) return { missing: `the answer has no "${options.name}"` }
      if (typeof at.value !== 'string' && typeof at.value !== 'number') return { missing: `"${options.name}" is a ${Array.isArray(at.value) ? 'list' : typeof at.value}, not a cursor` }
      return bounded(String(at.value))
    }
    case 'query': {
      const raw = headerValue(headers, options.name)
      if (raw === undefined) return { missing: `the answer has no ${options.name} header` }
      const target = options.name.toLowerCase() === 'link' ? nextLink(raw) : raw.trim()
      if (target === undefined) return { missing: `the Link header has no URL` }
      let url: URL
      try {
        url = new URL(target, requestUrl)
      } catch {
        return { missing: `${options.name} is not a URL` }
      }
      const value = url.searchParams.get(options.param)
      return value === null ? { missing: `the URL in ${options.name} has no ${options.param} parameter` } : bounded(value)
    }
  }
}

/** RFC 8288: the target marked rel="next", else the first one. */
function nextLink(value: string): string | undefined {
  const links = [...value.matchAll(/<([^>]*)>([^,]*)/g)].map((m) => ({ url: m[1]!, params: m[2]! }))
  const next = links.find((link) => /;\s*rel\s*=\s*"?[^";]*\bnext\b/i.test(link.params))
  return (next ?? links[0])?.url
}

function bounded(value: string): CursorLookup {
  if (value.length > MAX_CURSOR_LENGTH) return { missing: `the cursor is longer than ${MAX_CURSOR_LENGTH} characters` }
  return { cursor: value }
}
