// Names the hop between client and server from what it leaves behind: Via, Server,
// X-Cache and vendor headers, and the error pages proxies and gateways write.
// docs/diagnostics.md lists the signatures these rules come from.
import type { Headers } from './attempt-facts.js'

export interface Intermediary {
  /** The product ("nginx", "Squid", "Cloudflare"). */
  name: string
  /** As shown: with its version when one was given ("nginx/1.22.1", "squid/5.7"). */
  label: string
  /** The header or page it was named from ("Via: 1.1 host (squid/5.7)"). */
  source: string
}

interface Rule {
  header: string
  test: RegExp
  name: string
  /** Label from the match (group 1 = product/version), else the name. */
  label?: (match: RegExpMatchArray) => string
}

// Vendor headers first: they name the hop for certain. Server comes last — it may be
// the origin itself, so it names a hop only for products that are proxies by trade.
const RULES: Rule[] = [
  { header: 'cf-ray', test: /./, name: 'Cloudflare' },
  { header: 'x-amz-cf-id', test: /./, name: 'Amazon CloudFront' },
  { header: 'x-azure-ref', test: /./, name: 'Azure Front Door' },
  { header: 'x-envoy-upstream-service-time', test: /./, name: 'Envoy' },
  { header: 'x-squid-error', test: /./, name: 'Squid' },
  { header: 'proxy-agent', test: /(tinyproxy\/[\d.]+)/i, name: 'tinyproxy', label: (m) => m[1]! },
  { header: 'proxy-agent', test: /^(\S+)/, name: 'a proxy', label: (m) => m[1]! },
  { header: 'via', test: /\((squid\/[\d.]+)\)/i, name: 'Squid', label: (m) => m[1]! },
  { header: 'via', test: /\((tinyproxy\/[\d.]+)\)/i, name: 'tinyproxy', label: (m) => m[1]! },
  { header: 'via', test: /CloudFront/i, name: 'Amazon CloudFront' },
  { header: 'via', test: /\bgoogle\b/i, name: 'Google Cloud Load Balancing' },
  { header: 'via', test: /varnish/i, name: 'Varnish' },
  { header: 'via', test: /^\s*[\d.]+\s+(\S+)/, name: 'a proxy', label: (m) => `a proxy (Via: ${m[1]})` },
  { header: 'server', test: /^cloudflare/i, name: 'Cloudflare' },
  { header: 'server', test: /^(awselb\/[\d.]+)/i, name: 'AWS Elastic Load Balancing', label: (m) => m[1]! },
  { header: 'server', test: /^envoy/i, name: 'Envoy' },
  { header: 'server', test: /^(squid\/[\d.]+)/i, name: 'Squid', label: (m) => m[1]! },
  { header: 'server', test: /^(nginx(?:\/[\d.]+)?)/i, name: 'nginx', label: (m) => m[1]! },
  { header: 'server', test: /^(openresty(?:\/[\d.]+)?)/i, name: 'OpenResty (nginx)', label: (m) => m[1]! },
  { header: 'server', test: /^(haproxy)/i, name: 'HAProxy', label: (m) => m[1]! },
  { header: 'server', test: /^Google Frontend/i, name: 'Google Frontend' },
  { header: 'server', test: /^Microsoft-Azure-Application-Gateway/i, name: 'Azure Application Gateway' },
]

/** Error pages with no telling header (HAProxy's has no Server). */
const PAGES: { test: RegExp; name: string }[] = [
  { test: /<center>nginx(\/[\d.]+)?<\/center>/i, name: 'nginx' },
  { test: /The server didn't respond in time|HAProxy/i, name: 'HAProxy' },
  { test: /cloudflare/i, name: 'Cloudflare' },
  { test: /squid/i, name: 'Squid' },
]

/** The hop these response headers (and error page) name, if any. */
export function nameIntermediary(headers: Headers, body?: string): Intermediary | undefined {
  for (const rule of RULES) {
    const value = headers[rule.header]
    if (value === undefined) continue
    const match = value.match(rule.test)
    if (!match) continue
    return { name: rule.name, label: rule.label ? rule.label(match) : rule.name, source: `${headerName(rule.header)}: ${value.slice(0, 120)}` }
  }
  if (body) {
    const page = PAGES.find((p) => p.test.test(body.slice(0, 4096)))
    if (page) return { name: page.name, label: page.name, source: `its error page ("${body.replace(/\s+/g, ' ').trim().slice(0, 60)}…")` }
  }
  return undefined
}

/** Whether a cache answered (X-Cache / CF-Cache-Status HIT, or an Age). */
export function cacheHit(headers: Headers): string | undefined {
  for (const name of ['x-cache', 'cf-cache-status', 'x-cache-status', 'x-proxy-cache']) {
    const value = headers[name]
    if (value && /\bHIT\b/i.test(value)) return `${headerName(name)}: ${value}`
  }
  const age = headers['age']
  if (age !== undefined && Number(age) > 0) return `Age: ${age}`
  return undefined
}

function headerName(lower: string): string {
  return lower.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase()).replace(/^Cf-/, 'CF-').replace(/-Id$/, '-Id')
}
