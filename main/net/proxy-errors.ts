// What went wrong at the proxy, kept apart from what the origin said: a proxy that
// cannot be reached is not an origin refusing connections, and a proxy's 403 to a
// CONNECT is not the origin's answer. The proxy's own answer is kept as evidence.
import type { FrameBody } from '../contract/index.js'
import { headerValue } from '../contract/headers.js'
import type { EvidenceBody, WireHeaders } from './http-evidence.js'
import { redactProxyUrl } from './proxy.js'
import { describeTlsError } from './tls-errors.js'

/** The proxy's answer to a CONNECT it refused. */
export interface ProxyAnswer extends EvidenceBody {
  status: number
  statusText: string
  headers: WireHeaders
  httpVersion: string
  durationMs: number
}

/** The proxy answered, but not with a tunnel (403, 407, 502…), or a SOCKS proxy said no. */
export class ProxyRefusedError extends Error {
  readonly code: 'E_PROXY_REFUSED' | 'E_PROXY_AUTH'
  constructor(
    message: string,
    /** The HTTP answer, when the proxy is an HTTP proxy. */
    readonly answer?: ProxyAnswer,
  ) {
    super(message)
    this.code = answer?.status === 407 ? 'E_PROXY_AUTH' : 'E_PROXY_REFUSED'
  }
}

/** The proxy itself could not be reached (refused, unknown host, timed out), or TLS with it failed. */
export class ProxyUnreachableError extends Error {
  readonly code: 'E_PROXY_UNREACHABLE' | 'E_PROXY_TLS'
  constructor(proxyUrl: string, readonly socketError: unknown) {
    const tls = describeTlsError(socketError)
    const proxy = redactProxyUrl(proxyUrl)
    super(tls ? `TLS with the proxy ${proxy} failed: ${tls.replace(/^TLS: /, '')}` : `cannot reach the proxy ${proxy}: ${(socketError as Error)?.message ?? String(socketError)}`)
    this.code = tls ? 'E_PROXY_TLS' : 'E_PROXY_UNREACHABLE'
  }
}

/** The `response` frame for a proxy's refusal, marked as the proxy's; undefined for other errors. */
export function proxyResponseFrameOf(error: unknown): FrameBody | undefined {
  const answer = findProxyRefusal(error)?.answer
  if (!answer) return undefined
  return { kind: 'response', direction: 'in', from: 'proxy', ...answer }
}

/** undici may hand the connector's error back wrapped; look one level into `cause`. */
function findProxyRefusal(error: unknown): ProxyRefusedError | undefined {
  if (error instanceof ProxyRefusedError) return error
  const cause = (error as { cause?: unknown } | null)?.cause
  return cause instanceof ProxyRefusedError ? cause : undefined
}

/** The message for a non-200 answer to CONNECT, naming the proxy's own error tag when it gives one. */
export function refusalMessage(proxyUrl: string, authority: string, answer: ProxyAnswer): string {
  const proxy = redactProxyUrl(proxyUrl)
  const status = `${answer.status} ${answer.statusText}`.trim()
  const tag = headerValue(answer.headers, 'x-squid-error')
  const detail = tag ? ` (X-Squid-Error: ${tag})` : ''
  if (answer.status === 407) return `the proxy ${proxy} requires authentication: ${status}${detail}; put user:password in the proxy URL`
  if (answer.status >= 502 && answer.status <= 504) return `the proxy ${proxy} could not open a tunnel to ${authority}: ${status}${detail}`
  return `the proxy ${proxy} refused the tunnel to ${authority}: ${status}${detail}`
}

