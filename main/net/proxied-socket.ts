// One TCP connection to host:port through a proxy — a CONNECT tunnel for HTTP(S)
// proxies, a SOCKS5 connection otherwise — for every technique alike. TLS with the
// origin, when wanted, is started by the caller over the socket this gives.
import { EventEmitter } from 'node:events'
import type { ClientRequest } from 'node:http'
import type { Socket } from 'node:net'
import type { ConnectionOptions } from 'node:tls'
import { SocksProxyAgent } from 'socks-proxy-agent'
import { openTunnel } from './connect-tunnel.js'
import { ProxyRefusedError, ProxyUnreachableError } from './proxy-errors.js'
import { isSocksProxy, redactProxyUrl } from './proxy.js'

export interface ProxiedSocketRequest {
  proxyUrl: string
  host: string
  port: number
  /** TLS settings for an https:// proxy itself. */
  proxyTls?: ConnectionOptions
  /** Longest wait for the proxy (CONNECT only; the SOCKS client has its own 30 s). */
  timeoutMs?: number
  /** Stops the attempt: a CONNECT at once, a SOCKS handshake when it ends. */
  signal?: AbortSignal
}

/** Rejects with ProxyUnreachableError or ProxyRefusedError when the proxy is the problem. */
export function openProxiedSocket(request: ProxiedSocketRequest): Promise<Socket> {
  return isSocksProxy(request.proxyUrl) ? openSocks(request) : openTunnel(request)
}

async function openSocks(request: ProxiedSocketRequest): Promise<Socket> {
  // socks-proxy-agent does the SOCKS handshake (socks5h: resolves names at the proxy);
  // it wants a request only to emit on, so a bare emitter stands in.
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
