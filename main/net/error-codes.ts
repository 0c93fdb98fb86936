// Network failures become `error` frames with stable codes, so scripts and detectors
// can match on them instead of on Node's message text.
import { describeTlsError } from './tls-errors.js'

const BY_NODE_CODE: Record<string, string> = {
  ECONNREFUSED: 'E_CONNECT_REFUSED',
  ECONNRESET: 'E_CONNECTION_RESET',
  EPIPE: 'E_CONNECTION_RESET',
  ENOTFOUND: 'E_DNS',
  EAI_AGAIN: 'E_DNS',
  EAI_FAIL: 'E_DNS',
  ETIMEDOUT: 'E_TIMEOUT',
  EHOSTUNREACH: 'E_UNREACHABLE',
  ENETUNREACH: 'E_UNREACHABLE',
  EADDRNOTAVAIL: 'E_UNREACHABLE',
  ERR_INVALID_URL: 'E_URL_INVALID',
  // ws: a message over maxPayload, or a broken frame from the peer
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 'E_MESSAGE_TOO_BIG',
  // undici
  UND_ERR_CONNECT_TIMEOUT: 'E_TIMEOUT',
  UND_ERR_HEADERS_TIMEOUT: 'E_TIMEOUT',
  UND_ERR_BODY_TIMEOUT: 'E_TIMEOUT',
  UND_ERR_SOCKET: 'E_CONNECTION_CLOSED',
  UND_ERR_ABORTED: 'E_ABORTED',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'E_INCOMPLETE_BODY',
  UND_ERR_PRX_TLS: 'E_PROXY',
  E_TLS_FILE: 'E_TLS_FILE',
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL)/

/** A stable `E_<AREA>_<WHAT>` code for an error thrown or emitted by Node or `ws`. */
export function errorCodeOf(error: unknown): string {
  // Our own errors (E_PROXY_*, E_TLS_FILE) already carry a stable code; it wins over the socket error inside.
  const own = (error as { code?: unknown } | null)?.code
  if (typeof own === 'string' && /^E_[A-Z0-9_]+$/.test(own)) return own
  // undici wraps the socket's own error (ECONNREFUSED, a TLS failure) as `cause`.
  const cause = (error as { cause?: unknown } | null)?.cause
  if (cause && typeof (cause as { code?: unknown }).code === 'string') {
    const inner = errorCodeOf(cause)
    if (inner !== 'E_NETWORK') return inner
  }
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string') {
    if (BY_NODE_CODE[code]) return BY_NODE_CODE[code]
    if (TLS_CODES.test(code)) return 'E_TLS'
    if (code.startsWith('WS_ERR_')) return 'E_WS_PROTOCOL'
  }
  return 'E_NETWORK'
}

/** One line a person can read: Node's message without stack or repetition. */
export function errorMessageOf(error: unknown): string {
  const tls = describeTlsError(error)
  if (tls) return tls
  if (error instanceof Error) return error.message || error.name
  return String(error)
}
