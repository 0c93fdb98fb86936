// A WebSocket through a proxy: `ws` takes an http.Agent, and these agents open a
// CONNECT tunnel (HTTP/HTTPS proxies) or a SOCKS5 connection first.
import type { Agent } from 'node:http'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { SocksProxyAgent } from 'socks-proxy-agent'

export function createWebSocketAgent(proxyUrl: string | undefined): Agent | undefined {
  if (!proxyUrl) return undefined
  const proxy = new URL(proxyUrl)
  if (proxy.protocol === 'socks5:' || proxy.protocol === 'socks5h:') return new SocksProxyAgent(proxyUrl)
  // A CONNECT tunnel for ws:// too: forwarding an Upgrade is what proxies most often get wrong.
  return new HttpsProxyAgent(proxyUrl)
}
