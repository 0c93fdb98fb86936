// upgrade-stripped (docs/diagnostics.md): a WebSocket handshake answered as plain HTTP. A hop
// dropped `Upgrade`/`Connection` (nginx without proxy_set_header, Squid and
// tinyproxy by default: docs/diagnostics.md), so the server saw an ordinary
// GET: it answered 200 (a page), 426 Upgrade Required or 400. A proxy's refusal of a
// CONNECT tunnel is proxy-denied's, and 401/403/404/5xx are the server's own word.
import type { ResponseFacts } from '../attempt-facts.js'
import type { Detector, DetectorContext } from '../detector.js'
import type { Intermediary } from '../intermediary.js'
import { excerpt } from './excerpt.js'

interface Seen {
  attempt: number
  seq: number
  time: number
  status: number
}

export function upgradeStrippedDetector(): Detector {
  let seen: Seen[] = []
  return {
    name: 'upgrade-stripped',
    onFrame(frame, ctx) {
      if (frame.kind !== 'response' || ctx.spec.technique !== 'websocket' || frame.from === 'proxy') return
      const attempt = ctx.current
      const response = attempt?.firstResponse
      if (!attempt || !response || response.seq !== frame.seq || !telling(response)) return
      seen = [...seen.slice(-19), { attempt: attempt.number, seq: frame.seq, time: frame.time, status: frame.status }]
      raise(ctx, response, seen)
    },
    reset() {
      seen = []
    },
  }
}

/** An answer that says "this was not a WebSocket request" rather than "no". */
function telling(response: ResponseFacts): boolean {
  const { status } = response
  return (status >= 200 && status < 300) || status === 426 || status === 400
}

function raise(ctx: DetectorContext, response: ResponseFacts, seen: Seen[]): void {
  const hop = ctx.intermediary
  const via = response.headers['via']
  const body = excerpt(response.body)
  const evidence = seen.slice(-10).map((s) => `attempt ${s.attempt}: the handshake was answered ${s.status} instead of 101 Switching Protocols`)
  if (response.status === 426) evidence.push('426 Upgrade Required: the server wanted the Upgrade header this client sent, so something on the way removed it')
  if (via) evidence.push(`Via: ${via}`)
  if (hop) evidence.push(`the hop: ${hop.label} (${hop.source})`)
  const type = response.headers['content-type']
  if (type) evidence.push(`Content-Type: ${type}`)
  if (body) evidence.push(`body: ${body}`)
  // A 426, or a hop that names itself, points at the path; a bare 200 or 400 may be
  // a URL that is simply not a WebSocket endpoint.
  const pointsAtHop = response.status === 426 || via !== undefined || hop !== undefined
  const attempts = new Set(seen.map((s) => s.attempt)).size
  ctx.raise({
    id: 'upgrade-stripped',
    severity: 'error',
    summary: `The WebSocket handshake was answered ${response.status}, not 101: ${hop ? `${hop.label} on the path` : via ? 'a proxy on the path' : 'a proxy on the path, or the server at this URL,'} did not pass the Upgrade on.`,
    evidence,
    remedy: remedyFor(hop),
    confidence: !pointsAtHop ? 'hint' : attempts >= 2 ? 'confirmed' : 'likely',
    ...(hop ? { intermediary: hop.label } : {}),
    seqs: seen.map((s) => s.seq),
    times: seen.map((s) => s.time),
  })
}

const TUNNEL = 'Or use wss:// through the proxy: it then sees only a CONNECT tunnel and cannot touch the handshake.'

function remedyFor(hop: Intermediary | undefined): string {
  switch (hop?.name) {
    case 'nginx':
    case 'OpenResty (nginx)':
      return `In the nginx location: \`proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade;\` with \`map $http_upgrade $connection_upgrade { default upgrade; '' close; }\` in the http block. ${TUNNEL}`
    case 'Squid':
      return `Let Squid forward the upgrade: \`http_upgrade_request_protocols websocket allow all\` in squid.conf (Squid 5+; the protocol name is case-sensitive). ${TUNNEL}`
    case 'tinyproxy':
      return 'tinyproxy does not forward upgrades: use wss:// through it (a CONNECT tunnel; allow the port with `ConnectPort`), or another proxy.'
    default:
      return `Make every hop forward \`Upgrade: websocket\` and \`Connection: Upgrade\` over HTTP/1.1 (nginx: proxy_http_version 1.1 and proxy_set_header Upgrade/Connection; Squid: http_upgrade_request_protocols websocket allow all), and check that this URL is the WebSocket endpoint. ${TUNNEL}`
  }
}
