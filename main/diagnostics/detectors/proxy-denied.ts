// proxy-denied (docs/diagnostics.md): the proxy itself said no — to a CONNECT tunnel (the
// technique marks that answer `from: 'proxy'`), or to a forwarded request with its
// own error tag (X-Squid-Error: ERR_ACCESS_DENIED) or a 407. The origin never saw the
// request, and the finding must say so: blaming the server sends people the wrong way.
import type { AttemptFacts, ResponseFacts } from '../attempt-facts.js'
import type { Detector, DetectorContext } from '../detector.js'
import { excerpt } from './excerpt.js'

/** Squid's tags for a refusal by its own rules (not a failure to reach the origin). */
const POLICY_TAGS = /^ERR_(ACCESS_DENIED|CACHE_ACCESS_DENIED|PROXY_AUTH|FORWARDING_DENIED|TOO_BIG)/i

interface Refusal {
  attempt: number
  seq: number
  time: number
  status: number
  target: string
}

export function proxyDeniedDetector(): Detector {
  let refusals: Refusal[] = []
  return {
    name: 'proxy-denied',
    onFrame(frame, ctx) {
      const attempt = ctx.current
      if (!attempt) return
      if (frame.kind === 'response') {
        const response = attempt.exchanges.at(-1)?.response
        if (!response || response.seq !== frame.seq || !isProxyRefusal(response)) return
        refusals = [...refusals.slice(-19), { attempt: attempt.number, seq: frame.seq, time: frame.time, status: response.status, target: targetOf(attempt) }]
        raise(ctx, attempt, response, refusals)
      } else if (frame.kind === 'error' && (frame.code === 'E_PROXY_REFUSED' || frame.code === 'E_PROXY_AUTH')) {
        // A SOCKS proxy's refusal has no HTTP answer: the error is all there is.
        if (refusals.some((r) => r.attempt === attempt.number)) return
        refusals = [...refusals.slice(-19), { attempt: attempt.number, seq: frame.seq, time: frame.time, status: frame.code === 'E_PROXY_AUTH' ? 407 : 0, target: targetOf(attempt) }]
        raise(ctx, attempt, undefined, refusals, frame.message)
      }
    },
    reset() {
      refusals = []
    },
  }
}

function isProxyRefusal(response: ResponseFacts): boolean {
  if (response.from === 'proxy') return response.status < 200 || response.status > 299
  if (response.status === 407) return true
  const tag = response.headers['x-squid-error']
  return response.status >= 400 && tag !== undefined && POLICY_TAGS.test(tag)
}

/** host:port the client wanted to reach (what a proxy's port rules look at). */
function targetOf(attempt: AttemptFacts): string {
  try {
    const url = new URL(attempt.url)
    const port = url.port || (url.protocol === 'https:' || url.protocol === 'wss:' ? '443' : '80')
    return `${url.hostname}:${port}`
  } catch {
    return attempt.url
  }
}

function raise(ctx: DetectorContext, attempt: AttemptFacts, response: ResponseFacts | undefined, refusals: Refusal[], message?: string): void {
  const latest = refusals[refusals.length - 1]!
  const hop = ctx.intermediary
  const proxy = attempt.proxy ?? hop?.label ?? 'the proxy'
  const tunnel = response?.from === 'proxy'
  const evidence = refusals.slice(-10).map((r) => `attempt ${r.attempt}: ${r.status ? `${r.status} from the proxy` : 'refused by the proxy'} ${tunnel ? 'to CONNECT' : 'for'} ${r.target}`)
  if (message) evidence.push(message)
  for (const name of ['x-squid-error', 'proxy-agent', 'server', 'via', 'proxy-authenticate']) {
    const value = response?.headers[name]
    if (value) evidence.push(`${name.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase())}: ${value}`)
  }
  const page = excerpt(response?.body)
  if (page) evidence.push(`the proxy's page: ${page}`)
  evidence.push(`the origin ${latest.target} never saw this request: the answer is the proxy's, not the server's`)
  const status = latest.status
  const who = `The proxy${hop ? ` (${hop.label})` : ''}`
  const summary =
    status === 407
      ? `${who} asks for credentials (407) before it connects anywhere: ${latest.target} was never reached.`
      : status >= 500
        ? `${who} could not reach ${latest.target} (${status}): the error is the proxy's, not the server's.`
        : `${who} refused to connect to ${latest.target}${status ? ` (${status})` : ''}: the server itself was never reached.`
  ctx.raise({
    id: 'proxy-denied',
    severity: 'error',
    summary,
    evidence,
    remedy: remedyFor(status, latest.target, response, proxy),
    confidence: 'confirmed',
    ...(hop ? { intermediary: hop.label } : {}),
    seqs: refusals.map((r) => r.seq),
    times: refusals.map((r) => r.time),
  })
}

function remedyFor(status: number, target: string, response: ResponseFacts | undefined, proxy: string): string {
  const port = target.replace(/^.*:/, '')
  if (status === 407) return `Give the proxy its credentials: put them in the proxy URL (http://user:password@host:port) — ${proxy} answered 407 Proxy Authentication Required.`
  if (status >= 500) return `The proxy could not reach ${target}: check that the proxy can resolve and connect to it (its DNS, its firewall, the port), or that the server is up; the error is reported by ${proxy}.`
  const squid = /squid/i.test(`${response?.headers['server'] ?? ''} ${response?.headers['via'] ?? ''}`) || response?.headers['x-squid-error'] !== undefined
  const portRule =
    port !== '443'
      ? squid
        ? ` Squid's default \`http_access deny CONNECT !SSL_ports\` allows tunnels only to port 443: add ${port} (\`acl SSL_ports port 443 ${port}\`), or serve the endpoint on 443 (wss:// / https://).`
        : ` Many proxies allow CONNECT only to port 443: allow ${port} there, or serve the endpoint on 443.`
      : ''
  return `Change the proxy's access rules (it refused by its own policy), or connect without it (proxy mode none, or NO_PROXY for this host).${portRule}`
}
