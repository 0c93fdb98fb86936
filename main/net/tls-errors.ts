// TLS failures in words a person can act on: which of the usual causes it is
// (self-signed, unknown CA, wrong host name, expired, a client certificate wanted,
// not TLS at all), with Node's code kept for searching.

const CAUSES: Array<[RegExp, string]> = [
  [/^DEPTH_ZERO_SELF_SIGNED_CERT$/, "the server's certificate is self-signed and not trusted; trust it with a CA file or turn off verification"],
  [
    /^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?)$/,
    "the server's certificate was issued by an unknown certificate authority; give that CA's certificate as a CA file or turn off verification",
  ],
  [/^ERR_TLS_CERT_ALTNAME_INVALID$/, "hostname mismatch: the server's certificate is not valid for this host name"],
  [/^CERT_HAS_EXPIRED$/, "the server's certificate has expired"],
  [/^CERT_NOT_YET_VALID$/, "the server's certificate is not valid yet (check the clock)"],
  [/CERTIFICATE_REQUIRED$|ALERT_HANDSHAKE_FAILURE$/, 'the server requires a client certificate; give one with its key'],
  [/ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED)$/, 'the server rejected the client certificate'],
  [/^ERR_SSL_(WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST)$/, 'the server did not answer with TLS (is this a plain-text port?)'],
]

/** A plain-language description of a TLS failure, or undefined when `error` is not one. */
export function describeTlsError(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code !== 'string') continue
    const found = CAUSES.find(([pattern]) => pattern.test(code))
    if (found) return `TLS: ${found[1]} (${code}: ${(e as Error).message})`
  }
  return undefined
}
