// One TCP connection to host:port through a proxy — a CONNECT tunnel for HTTP(S)
// proxies, a SOCKS5 connection otherwise — for every technique alike. TLS with the
// origin, when wanted, is started by the caller over the socket this gives.
import { EventEmitter } from 'node:events'
import type { ClientRequest } from 'node:http'
import type { Socket } from 'node:net'
import { openTunnel, type TunnelRequest } from './connect-tunnel.js'
import { ProxyRefusedError, ProxyUnreachableError } from './proxy-errors.js'
import { isSocksProxy, redactProxyUrl } from './proxy.js'

/** The same request as a CONNECT tunnel's; for SOCKS the timeout is the SOCKS client's own 30 s. */
export type ProxiedSocketRequest = TunnelRequest

/** Rejects with ProxyUnreachableError or ProxyRefusedError when the proxy is the problem. */
export function openProxiedSocket(request: ProxiedSocketRequest): Promise<Socket> {
  return isSocksProxy(request.proxyUrl) ? openSocks(request) : openTunnel(request)
}

async function openSocks(request: ProxiedSocketRequest): Promise<Socket> {
  // socks-proxy-agent does the SOCKS handshake (socks5h: resolves names at the proxy);
  // it wants a request only to emit on, so a bare emitter stands in. Loaded only here:
  // few sessions go through SOCKS, and it is a large load for every start of the CLI.
  const { SocksProxyAgent } = await import('socks-proxy-agent')
  const agent = new SocksProxyAgent(request.proxyUrl)
  const standIn = Object.assign(new EventEmitter(), { destroy() {} }) as unknown as ClientRequest
  try {
    const socket = (await agent.connect(standIn, { host: request.host, port: request.port, secureEndpoint: false })) as Socket
    // The SOCKS client cannot be stopped midway; a socket nobody wants any more is closed at once.
    if (request.signal?.aborted) {
      socket.destroy()
      throw request.signal.reason
    }
    return socket
  } catch (error) {
    if (request.signal?.aborted) throw error
    // The `socks` client says "rejected" when the proxy answered no; anything else never got that far.
    const message = (error as Error).message ?? ''
    if (/rejected|authentication/i.test(message)) throw new ProxyRefusedError(`the SOCKS proxy ${redactProxyUrl(request.proxyUrl)} refused the connection to ${request.host}:${request.port}: ${message}`)
    throw new ProxyUnreachableError(request.proxyUrl, error)
  }
}
