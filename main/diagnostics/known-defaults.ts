// Well-known defaults of common intermediaries (docs/diagnostics.md),
// offered as likely explanations when a measured figure matches one.

export type DefaultKind = 'idle' | 'lifetime' | 'silent-drop' | 'first-byte' | 'gateway' | 'delay'

interface KnownDefault {
  kind: DefaultKind
  ms: number
  text: string
  /** Matches an intermediary named from headers (lower-case substring), which makes it the first offered. */
  vendor?: string
}

const DEFAULTS: KnownDefault[] = [
  { kind: 'idle', ms: 60_000, text: 'nginx proxy_read_timeout (60 s by default)', vendor: 'nginx' },
  { kind: 'idle', ms: 60_000, text: 'AWS Application Load Balancer idle timeout (60 s by default)', vendor: 'aws' },
  { kind: 'idle', ms: 55_000, text: 'Heroku router (a rolling 55 s window)' },
  { kind: 'idle', ms: 100_000, text: 'Cloudflare (about 100 s idle)', vendor: 'cloudflare' },
  { kind: 'idle', ms: 350_000, text: 'AWS Network Load Balancer TCP idle timeout (350 s)', vendor: 'aws' },
  { kind: 'idle', ms: 300_000, text: 'Envoy / Istio stream_idle_timeout (5 min by default)', vendor: 'envoy' },
  { kind: 'idle', ms: 600_000, text: 'Amazon CloudFront WebSocket idle timeout (10 min)', vendor: 'cloudfront' },
  { kind: 'silent-drop', ms: 240_000, text: 'Azure Load Balancer (4 min idle, then drops the flow without a reset)', vendor: 'azure' },
  { kind: 'lifetime', ms: 30_000, text: 'Google Cloud external HTTP(S) load balancer backend timeout (30 s, a maximum lifetime for WebSockets)', vendor: 'google' },
  { kind: 'lifetime', ms: 15_000, text: 'Envoy / Istio route timeout (often 15 s, cuts endless streams)', vendor: 'envoy' },
  { kind: 'first-byte', ms: 30_000, text: 'Heroku router H12 (30 s to the first byte)' },
  { kind: 'gateway', ms: 100_000, text: 'Cloudflare 524 (100 s waiting for the origin)', vendor: 'cloudflare' },
  { kind: 'gateway', ms: 60_000, text: 'nginx proxy_read_timeout (60 s by default)', vendor: 'nginx' },
  { kind: 'gateway', ms: 60_000, text: 'AWS Application Load Balancer (60 s by default)', vendor: 'aws' },
  { kind: 'gateway', ms: 30_000, text: 'Amazon CloudFront origin read timeout (30 s)', vendor: 'cloudfront' },
  { kind: 'delay', ms: 200, text: 'HAProxy without `option http-no-delay` (about 200 ms per small event)', vendor: 'haproxy' },
]

/** Defaults of this kind within tolerance of `ms` (max of 1 s and 5 %; ±60 ms for delays), the named vendor's first. */
export function matchKnownDefaults(kind: DefaultKind, ms: number, intermediaryName?: string): string[] {
  const tolerance = kind === 'delay' ? 60 : Math.max(1000, ms * 0.05)
  const vendor = intermediaryName?.toLowerCase()
  return DEFAULTS.filter((d) => d.kind === kind && Math.abs(d.ms - ms) <= tolerance)
    .sort((a, b) => Number(vendorMatches(b, vendor)) - Number(vendorMatches(a, vendor)))
    .map((d) => d.text)
}

function vendorMatches(d: KnownDefault, vendor: string | undefined): boolean {
  return vendor !== undefined && d.vendor !== undefined && vendor.includes(d.vendor)
}
