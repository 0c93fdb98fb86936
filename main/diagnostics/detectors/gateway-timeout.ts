// gateway-timeout (docs/diagnostics.md): a gateway gave up waiting for the origin and answered
// itself — 504 (or Cloudflare's 524, or a 502) at a round number of seconds, which is
// what a configured timer gives, while the origin was still holding the request.
import type { ResponseFacts } from '../attempt-facts.js'
import type { Detector, DetectorContext } from '../detector.js'
import { nameIntermediary, type Intermediary } from '../intermediary.js'
import { matchKnownDefaults } from '../known-defaults.js'
import { formatMs } from '../../contract/format.js'
import { confidenceOf, largestAgreeing, median, nearWholeSecond } from './figures.js'

const GATEWAY_STATUSES = new Set([502, 504, 524])
const KEPT = 50

interface GatewayAnswer {
  attempt: number
  response: ResponseFacts
  requestSeq?: number
  hop?: Intermediary
}

const STATUS_TEXT: Record<number, string> = { 502: 'Bad Gateway', 504: 'Gateway Timeout', 524: 'A Timeout Occurred' }

export function gatewayTimeoutDetector(): Detector {
  const answers: GatewayAnswer[] = []
  return {
    name: 'gateway-timeout',
    onFrame(frame, ctx) {
      if (frame.kind !== 'response' || !GATEWAY_STATUSES.has(frame.status)) return
      // A quick 502 is a refused or broken upstream, not a timer; a timer fires on the second.
      if (!nearWholeSecond(frame.durationMs)) return
      const attempt = ctx.current
      const exchange = attempt?.exchanges.findLast((e) => e.response?.seq === frame.seq)
      if (!attempt || !exchange?.response) return
      answers.push({
        attempt: attempt.number,
        response: exchange.response,
        ...(exchange.request ? { requestSeq: exchange.request.seq } : {}),
        ...optional('hop', nameIntermediary(exchange.response.headers, exchange.response.body)),
      })
      if (answers.length > KEPT) answers.shift()
      report(answers, ctx)
    },
    reset() {
      answers.length = 0
    },
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}

function report(answers: GatewayAnswer[], ctx: DetectorContext): void {
  const group = largestAgreeing(answers, (a) => a.response.durationMs)
  const n = group.length
  const measured = Math.round(median(group.map((a) => a.response.durationMs)))
  const seconds = formatMs(Math.round(measured / 1000) * 1000)
  const hop = group.findLast((a) => a.hop)?.hop
  const where = hop?.label ?? 'a gateway on the path'
  const statuses = [...new Set(group.map((a) => a.response.status))].join('/')
  const others = answers.filter((a) => !group.includes(a))
  const technique = ctx.facts.technique
  const held = technique === 'long-polling'
  const summary =
    n === 1
      ? `${where} answered ${statuses} after exactly ${seconds}: it gave up waiting for the origin`
      : `${where} answered ${statuses} after ${seconds} ${n} times: its timeout is ${seconds}, and the origin took longer`
  const evidence = [
    ...group.slice(-15).map((a) => `attempt ${a.attempt}: ${a.response.status} ${STATUS_TEXT[a.response.status] ?? ''} after ${(a.response.durationMs / 1000).toFixed(2)} s`.replace('  ', ' ')),
    ...(others.length > 0 ? [`gateway errors after other times: ${others.map((a) => `${a.response.status} after ${formatMs(a.response.durationMs)}`).join(', ')}`] : []),
    ...(hop ? [`named from ${hop.source}`] : [`no header names the gateway (Server: ${group.at(-1)!.response.headers['server'] ?? 'none'})`]),
  ]
  const setting = gatewaySettingFor(hop)
  const remedy = held
    ? `Hold each long-poll for less than ${seconds} (the measured gateway timeout) — answer empty and let the client ask again — or raise ${setting}.`
    : `The origin took longer than the gateway waits (${seconds}): answer sooner${technique === 'sse' || technique === 'streaming' || technique === 'websocket' ? ' (send the response headers at once, before the first event)' : ''}, or raise ${setting}.`
  ctx.raise({
    id: 'gateway-timeout',
    severity: 'warning',
    confidence: confidenceOf(n),
    summary,
    evidence,
    remedy,
    measuredMs: measured,
    knownDefaults: matchKnownDefaults('gateway', measured, hop?.name),
    ...(hop ? { intermediary: hop.label } : {}),
    seqs: group.flatMap((a) => [...(a.requestSeq !== undefined ? [a.requestSeq] : []), a.response.seq]),
    times: group.map((a) => a.response.time),
  })
}

function gatewaySettingFor(hop: Intermediary | undefined): string {
  if (!hop) return "the gateway's upstream timeout (nginx `proxy_read_timeout`, HAProxy `timeout server`, a load balancer's timeout)"
  switch (hop.name) {
    case 'nginx':
    case 'OpenResty (nginx)':
      return 'nginx `proxy_read_timeout`'
    case 'HAProxy':
      return 'HAProxy `timeout server`'
    case 'Squid':
      return 'Squid `read_timeout`'
    case 'Cloudflare':
      return "Cloudflare's 100 s limit (Enterprise only; otherwise answer sooner)"
    case 'AWS Elastic Load Balancing':
      return "the load balancer's idle timeout"
    case 'Envoy':
      return 'the Envoy route `timeout`'
    default:
      return `the upstream timeout of ${hop.label}`
  }
}
