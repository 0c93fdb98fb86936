// The desktop app's system proxy: Electron's session.resolveProxy answers in PAC
// form ("PROXY host:port; DIRECT", "SOCKS5 host:port", "DIRECT"); the engine wants
// one proxy URL, or undefined to connect directly. Pure, so it is tested without
// Electron.
import type { SystemProxyResolver } from '../main/net/proxy.js'

const MAX_PAC_RESULT = 4096

/**
 * The first entry this engine can use, as a URL. SOCKS (v4) and QUIC entries are
 * skipped, so "SOCKS4 h:p; DIRECT" falls back to DIRECT like a browser would; with
 * nothing usable at all the connection goes direct.
 */
export function translatePacResult(result: string | undefined): string | undefined {
  if (!result) return undefined
  for (const entry of result.slice(0, MAX_PAC_RESULT).split(';')) {
    const [keyword = '', hostPort = '', ...rest] = entry.trim().split(/\s+/)
    const type = keyword.toUpperCase()
    if (type === 'DIRECT') return undefined
    if (rest.length > 0 || !isHostPort(hostPort)) continue
    if (type === 'PROXY') return `http://${hostPort}`
    if (type === 'HTTPS') return `https://${hostPort}`
    // Chromium resolves names at a SOCKS5 proxy: socks5h.
    if (type === 'SOCKS5') return `socks5h://${hostPort}`
  }
  return undefined
}

/** A resolver for the engine from Electron's `session.resolveProxy`. */
export function systemProxyResolver(resolveProxy: (url: string) => Promise<string>): SystemProxyResolver {
  // Chromium decides proxies for http(s) URLs; a WebSocket goes the way its HTTP twin would.
  return async (url) => translatePacResult(await resolveProxy(url.replace(/^ws(s?):/i, 'http$1:')))
}

function isHostPort(value: string): boolean {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value)
  return match !== null && Number(match[2]) > 0 && Number(match[2]) < 65536
}
