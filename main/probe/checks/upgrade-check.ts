// upgrade: does a WebSocket handshake survive the path? The endpoint itself when it is
// a WebSocket, else the playground's echo through the same proxy. Anything but a 101
// is the evidence (status, the hop's headers, the body); a proxy refusing the CONNECT
// tunnel is the proxy's doing, not the origin's.
import type { ConnectionSpec } from '../../contract/index.js'
import type { HoldResult } from '../hold.js'
import { hopOf, seconds, type ProbeContext } from '../probe-context.js'
import { deriveSpec, wsBase } from '../targets.js'

const HANDSHAKE_WAIT_MS = 10_000

export async function upgradeCheck(ctx: ProbeContext): Promise<void> {
  const own = ctx.spec.technique === 'websocket'
  if (!own && !ctx.playground) {
    ctx.update('upgrade', { state: 'skipped', detail: 'the endpoint is not a WebSocket and no playground was found to try one through the same path' })
    return
  }
  ctx.update('upgrade', { state: 'running', startedAt: Date.now() })
  const url = own ? ctx.spec.url : `${wsBase(ctx.playground!)}/ws/echo`
  const spec = deriveSpec(ctx.spec, { technique: 'websocket', url, credentials: own, detectors: true })
  const hold = ctx.hold({ spec, until: Math.min(ctx.deadline, Date.now() + HANDSHAKE_WAIT_MS), enough: (r) => r.openAt !== undefined || r.errors.length > 0 })
  const result = await hold.result
  const endedAt = Date.now()
  if (result.openAt !== undefined) {
    ctx.update('upgrade', { state: 'done', detail: `101 Switching Protocols from ${own ? 'the endpoint' : 'the playground'} after ${seconds(result.openAt - (result.requestAt ?? result.startedAt))}`, endedAt })
    return
  }
  if (result.status === undefined) {
    const error = result.errors[0]
    ctx.update('upgrade', { state: 'failed', detail: error ? `${error.code}: ${error.message}` : `no answer to the handshake within ${seconds(HANDSHAKE_WAIT_MS)}`, endedAt })
    return
  }
  if (result.fromProxy) raiseProxyDenied(ctx, result, url)
  else raiseStripped(ctx, result, url, own, ctx.spec)
  ctx.update('upgrade', { state: 'done', detail: `${result.status} instead of 101${result.fromProxy ? ' from the proxy (CONNECT refused)' : ''}`, endedAt })
}

function headerEvidence(headers: Record<string, string>): string[] {
  return ['server', 'via', 'x-cache', 'x-squid-error', 'proxy-agent', 'content-type', 'connection', 'upgrade'].filter((name) => headers[name] !== undefined).map((name) => `${name}: ${headers[name]!.slice(0, 120)}`)
}

/** The body's words: an error page's markup says nothing a person reads. */
const bodyEvidence = (body: string | undefined) => {
  const text = body?.replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim()
  return text ? [`body: ${JSON.stringify(text.slice(0, 160))}`] : []
}

function raiseStripped(ctx: ProbeContext, result: HoldResult, url: string, own: boolean, user: ConnectionSpec): void {
  const hop = hopOf(ctx, result.headers, result.body)
  const telling = result.status === 200 || result.status === 400 || result.status === 426 || result.headers.via !== undefined || hop !== undefined
  ctx.raise({
    id: 'upgrade-stripped',
    severity: 'error',
    summary: `A WebSocket handshake through this path was answered ${result.status} instead of 101 Switching Protocols${hop ? `, by or through ${hop.label}` : ''}: ${telling ? 'a hop dropped the Upgrade and Connection headers' : 'the upgrade did not get through'}.`,
    evidence: [`GET ${url} with Upgrade: websocket → ${result.status}`, ...headerEvidence(result.headers), ...bodyEvidence(result.body), ...(own ? [] : [`tried on the playground's /ws/echo, reached the way ${user.url} is`])],
    remedy: hop?.name === 'nginx'
      ? 'In nginx, forward the upgrade: proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade (with a map of $http_upgrade).'
      : hop?.name === 'Squid'
        ? 'In Squid, allow the upgrade (http_upgrade_request_protocols websocket allow all), or use wss:// so the proxy only tunnels; otherwise fall back to SSE or long-polling.'
        : 'Have the proxy forward Upgrade/Connection (or tunnel with CONNECT, e.g. by using wss://); where it cannot, use SSE or long-polling, which need no upgrade.',
    confidence: telling ? 'confirmed' : 'likely',
    ...(hop ? { intermediary: hop.label } : {}),
  })
}

function raiseProxyDenied(ctx: ProbeContext, result: HoldResult, url: string): void {
  const hop = hopOf(ctx, result.headers, result.body)
  ctx.raise({
    id: 'proxy-denied',
    severity: 'error',
    summary: `The proxy${hop ? ` (${hop.label})` : ''} refused to open a tunnel for ${new URL(url).host} (${result.status}): the origin was never asked.`,
    evidence: [`CONNECT ${new URL(url).host} → ${result.status} from the proxy`, ...headerEvidence(result.headers), ...bodyEvidence(result.body)],
    remedy: result.status === 407 ? 'Give the proxy credentials (http://user:password@proxy:port).' : "Ask for the port to be allowed in the proxy's rules (Squid: http_access deny CONNECT !SSL_ports allows only 443 by default), or connect without the proxy.",
    confidence: 'confirmed',
    ...(hop ? { intermediary: hop.label } : {}),
  })
}
