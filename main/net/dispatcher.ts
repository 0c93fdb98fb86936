// How HTTP requests reach the network: one undici dispatcher per attempt, carrying
// the TLS settings and the proxy. Plain http:// requests are forwarded through an
// HTTP proxy (so the proxy's own answers and headers — 403, 502, Via, X-Cache —
// stay visible as evidence); https:// requests tunnel with CONNECT; SOCKS5 proxies
// tunnel always. The tunnels are our own (proxied-socket.ts), so a proxy that
// cannot be reached or refuses the tunnel is told apart from the origin.
import { Agent, buildConnector, type Dispatcher } from 'undici'
import type { ConnectionOptions } from 'node:tls'
import { proxyAuthorization } from './connect-tunnel.js'
import { openProxiedSocket } from './proxied-socket.js'
import { ProxyUnreachableError } from './proxy-errors.js'
import { isSocksProxy } from './proxy.js'
import { proxyTlsOf, type LoadedTls } from './tls-options.js'

const PROXY_TIMEOUT_MS = 15_000

export function createHttpDispatcher(target: string, proxyUrl: string | undefined, tls: LoadedTls): Dispatcher {
  const connect = { ...tls }
  if (!proxyUrl) return new Agent({ connect: keepTlsAlerts(buildConnector(connect)) })
  const proxyTls = proxyTlsOf(tls)
  if (isSocksProxy(proxyUrl) || new URL(target).protocol === 'https:') {
    // Tunnels still being opened are part of the dispatcher: destroying it stops them.
    const stop = new AbortController()
    return abortOnDestroy(new Agent({ connect: tunnelConnector(proxyUrl, proxyTls, connect, stop.signal) }), stop)
  }
  return forwardingDispatcher(proxyUrl, proxyTls)
}

/** Connects undici to the origin through a tunnel, then TLS with the origin over it when https. */
function tunnelConnector(proxyUrl: string, proxyTls: ConnectionOptions, originTls: ConnectionOptions, signal: AbortSignal): buildConnector.connector {
  const overTunnel = keepTlsAlerts(buildConnector({ ...originTls }))
  return (opts, callback) => {
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80)
    openProxiedSocket({ proxyUrl, host: opts.hostname.replace(/^\[|\]$/g, ''), port, proxyTls, timeoutMs: PROXY_TIMEOUT_MS, signal }).then(
      (socket) => (opts.protocol === 'https:' ? overTunnel({ ...opts, httpSocket: socket }, callback) : callback(null, socket)),
      (error: Error) => callback(error, null),
    )
  }
}

function abortOnDestroy(agent: Agent, stop: AbortController): Agent {
  const destroy = agent.destroy.bind(agent) as (...args: unknown[]) => unknown
  agent.destroy = ((...args: unknown[]) => (stop.abort(), destroy(...args))) as Agent['destroy']
  return agent
}

/**
 * undici reports a TLS alert that comes after the handshake — with TLS 1.3, a
 * server refusing a missing client certificate — as "other side closed", because
 * the FIN that follows overwrites it. Keep the alert as that error's cause, so the
 * session can say what really happened.
 */
function keepTlsAlerts(connector: buildConnector.connector): buildConnector.connector {
  return (opts, callback) =>
    connector(opts, (...args) => {
      const socket = args[1]
      if (socket) {
        let alert: Error | undefined
        socket.on('error', (error: Error & { code?: string; cause?: unknown }) => {
          if (!alert && /^ERR_SSL_/.test(error.code ?? '')) alert = error
          else if (alert && error !== alert && error.code === 'UND_ERR_SOCKET' && error.cause === undefined) Object.defineProperty(error, 'cause', { value: alert, configurable: true })
        })
      }
      ;(callback as (...a: typeof args) => void)(...args)
    })
}

/** Sends requests to the proxy in absolute form (`GET http://origin/path`), as HTTP proxies expect. */
function forwardingDispatcher(proxyUrl: string, proxyTls: ConnectionOptions): Dispatcher {
  const proxy = new URL(proxyUrl)
  const port = proxy.port || (proxy.protocol === 'https:' ? '443' : '80')
  const toProxy = buildConnector({ ...proxyTls })
  const agent = new Agent({
    // Every connection goes to the proxy, whatever the origin.
    connect: (_opts, callback) =>
      toProxy({ hostname: proxy.hostname.replace(/^\[|\]$/g, ''), host: proxy.host, protocol: proxy.protocol, port }, (...args) => {
        if (args[0]) callback(new ProxyUnreachableError(proxyUrl, args[0]), null)
        else callback(null, args[1])
      }),
  })
  const authorization = proxyAuthorization(proxy)
  return agent.compose(
    (dispatch) => (opts, handler) =>
      dispatch({ ...opts, path: `${String(opts.origin).replace(/\/$/, '')}${opts.path}`, ...(authorization ? { headers: withHeader(opts.headers, 'proxy-authorization', authorization) } : {}) }, handler),
  )
}

function withHeader(headers: Dispatcher.DispatchOptions['headers'], name: string, value: string): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {}
  if (Array.isArray(headers)) for (let i = 0; i + 1 < headers.length; i += 2) result[String(headers[i])] = headers[i + 1] as string
  else if (headers) for (const [key, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) if (v !== undefined) result[key] = v
  result[name] = value
  return result
}
