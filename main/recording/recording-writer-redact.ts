// Secrets never reach a recording in clear text: not in its header (the connection
// spec) and not in the frames that repeat them (the handshake or HTTP request with
// its Authorization header, a URL with ?token=…, a Set-Cookie answer). They are
// replaced by "[redacted]"; everything else is kept as the session saw it.
import type { ConnectionSpec, FrameBody } from '../contract/index.js'
import { isCredentialHeader, isCredentialQueryName, secretPaths, setAt } from '../library/secret-fields.js'

export const REDACTED = '[redacted]'

/**
 * A copy of the spec without secrets: the ones a saved connection keeps apart (auth
 * password and token, credential headers and query entries, a proxy URL with a
 * password), and those written into the URL itself (a password, `?token=…`).
 * TLS file paths stay: they name files, they are not the keys.
 */
export function redactSpec(spec: ConnectionSpec): ConnectionSpec {
  const copy = structuredClone(spec)
  for (const path of secretPaths(spec)) setAt(copy, path, REDACTED)
  copy.url = redactUrl(spec.url)
  return copy
}

/** The URL with its password and credential-named query values replaced (percent-encoded, so it stays a URL). */
export function redactUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return url
  }
  let changed = false
  if (parsed.password) {
    parsed.password = REDACTED
    changed = true
  }
  for (const name of new Set(parsed.searchParams.keys())) {
    if (!isCredentialQueryName(name)) continue
    parsed.searchParams.set(name, REDACTED)
    changed = true
  }
  // Unchanged URLs are kept as typed, not normalised.
  return changed ? parsed.toString() : url
}

/** Kinds whose fields can repeat a secret of the spec; all other frames are written as they are. */
const CARRIERS: ReadonlySet<string> = new Set(['connecting', 'request', 'response'])

/** The body to record: the same object when nothing in it is secret, else a redacted copy. */
export function redactFrameBody(body: FrameBody): FrameBody {
  if (!CARRIERS.has(body.kind)) return body
  const copy = { ...body } as FrameBody & { url?: string; headers?: Record<string, string | string[]> }
  if (typeof copy.url === 'string') copy.url = redactUrl(copy.url)
  if (copy.headers) {
    const headers: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(copy.headers)) headers[name] = isSecretHeader(name) ? REDACTED : value
    copy.headers = headers
  }
  return copy
}

function isSecretHeader(name: string): boolean {
  return isCredentialHeader(name) || name.toLowerCase() === 'set-cookie'
}
