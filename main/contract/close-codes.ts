// What a WebSocket close code means (RFC 6455 §7.4.1 and the IANA registry), so the
// UI and the CLI can explain a close instead of printing a bare number.
const KNOWN: Record<number, string> = {
  1000: 'normal closure',
  1001: 'going away (server shutting down or page navigated away)',
  1002: 'protocol error',
  1003: 'unsupported data type',
  1005: 'no status code in the close frame',
  1006: 'abnormal closure: the connection dropped without a close frame',
  1007: 'invalid payload data (e.g. text that is not UTF-8)',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'client expected an extension the server did not negotiate',
  1011: 'internal server error',
  1012: 'service restart',
  1013: 'try again later',
  1014: 'bad gateway',
  1015: 'TLS handshake failed',
}

export function describeCloseCode(code: number): string {
  const known = KNOWN[code]
  if (known) return known
  if (code >= 4000 && code <= 4999) return 'application-defined (private use)'
  if (code >= 3000 && code <= 3999) return 'registered for libraries and frameworks'
  if (code >= 1000 && code <= 2999) return 'reserved by the WebSocket protocol'
  return 'not a valid close code'
}

/** Codes an endpoint may put in a close frame it sends (RFC 6455 §7.4.2). */
export function isSendableCloseCode(code: number): boolean {
  if (!Number.isInteger(code)) return false
  if (code >= 3000 && code <= 4999) return true
  return code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006
}
