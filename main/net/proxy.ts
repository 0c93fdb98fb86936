// Which proxy, if any, a connection goes through: none, the standard environment
// variables (HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY), the operating
// system's settings (only the desktop app can resolve those, so it passes a
// resolver in), or an explicit URL.
import { getProxyForUrl } from 'proxy-from-env'
import type { ProxyOptions } from '../contract/index.js'

/** Resolves the system proxy for a URL (Electron's session.resolveProxy, translated). */
export type SystemProxyResolver = (url: string) => Promise<string | undefined>

export interface NetContext {
  resolveSystemProxy?: SystemProxyResolver
}

/** The proxy URL to use for `target`, or undefined to connect directly. */
export async function resolveProxy(proxy: ProxyOptions, target: string, net: NetContext = {}): Promise<string | undefined> {
  switch (proxy.mode) {
    case 'none':
      return undefined
    case 'url':
      return proxy.url
    case 'system':
      // Outside the desktop app there is no system resolver: the variables are the next best thing.
      if (net.resolveSystemProxy) return net.resolveSystemProxy(target)
      return fromEnvironment(target)
    case 'env':
      return fromEnvironment(target)
  }
}

function fromEnvironment(target: string): string | undefined {
  // WebSocket URLs use the proxy of their HTTP counterpart, as browsers and curl do.
  return getProxyForUrl(target.replace(/^ws(s?):/i, 'http$1:')) || undefined
}

export function isSocksProxy(proxyUrl: string): boolean {
  return /^socks5h?:/i.test(proxyUrl)
}

/** A proxy URL with its password hidden, for frames and messages. */
export function redactProxyUrl(proxyUrl: string): string {
  try {
    const url = new URL(proxyUrl)
    if (url.password) url.password = '***'
    return url.toString().replace(/\/$/, '')
  } catch {
    return proxyUrl
  }
}
