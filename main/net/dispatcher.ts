// How HTTP requests reach the network: one undici dispatcher per attempt, carrying
// the TLS settings and the proxy. Plain http:// requests are forwarded through an
// HTTP proxy (so the proxy's own headers — Via, X-Cache — stay visible as
// evidence); https:// requests tunnel with CONNECT; socks5 proxies tunnel always.
import { Agent, ProxyAgent, Socks5ProxyAgent, type Dispatcher } from 'undici'
import type { LoadedTls } from './tls-options.js'

export function createHttpDispatcher(target: string, proxyUrl: string | undefined, tls: LoadedTls): Dispatcher {
  const connect = { ...tls }
  if (!proxyUrl) return new Agent({ connect })
  const proxy = new URL(proxyUrl)
  if (proxy.protocol === 'socks5:' || proxy.protocol === 'socks5h:') {
    // undici reads the target's TLS settings from `requestTls`, which its types omit.
    return new Socks5ProxyAgent(proxyUrl, { requestTls: connect } as Socks5ProxyAgent.Options)
  }
  const tunnel = new URL(target).protocol === 'https:'
  return new ProxyAgent({ uri: proxyUrl, requestTls: connect, proxyTls: { rejectUnauthorized: tls.rejectUnauthorized }, proxyTunnel: tunnel })
}
