// Secrets leave the machine only when the user asks: credential headers (Authorization,
// Cookie, Set-Cookie, Proxy-Authorization and any header named like a token) and
// credential query parameters are replaced before a HAR is written or imported.
import { isCredentialHeader, isCredentialQueryName } from '../library/secret-fields.js'

export const REDACTED = '[redacted]'

/** Set-Cookie is a secret on the way back (a session cookie), not only Cookie on the way out. */
export function isSecretHeader(name: string): boolean {
  return isCredentialHeader(name) || name.toLowerCase() === 'set-cookie'
}

/** Counts what was replaced, so a summary can say how much was hidden. */
export class Redactor {
  count = 0

  constructor(readonly enabled: boolean) {}

  header(name: string, value: string): string {
    if (!this.enabled || !isSecretHeader(name) || value === '' || value === REDACTED) return value
    this.count++
    return REDACTED
  }

  /** A URL with credential query parameters and a userinfo password replaced; an unparsable URL is kept as it is. */
  url(text: string): string {
    if (!this.enabled) return text
    let url: URL
    try {
      url = new URL(text)
    } catch {
      return text
    }
    let changed = false
    if (url.password) {
      url.password = 'redacted'
      changed = true
    }
    for (const [name, value] of [...url.searchParams]) {
      if (value !== '' && value !== REDACTED && isCredentialQueryName(name)) {
        url.searchParams.set(name, REDACTED)
        changed = true
      }
    }
    if (!changed) return text
    this.count++
    return url.toString()
  }
}
