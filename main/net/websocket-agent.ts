// A WebSocket through a proxy: `ws` takes an http.Agent, and this one hands it a
// socket through the proxy (a CONNECT tunnel, or SOCKS5). Failures at the proxy
// come out as ProxyUnreachableError / ProxyRefusedError, never as if the origin
// had refused.
import { Agent, type ClientRequestArgs } from 'node:http'
import { isIP } from 'node:net'
import type { Duplex } from 'node:stream'
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls'
import { openProxiedSocket } from './proxied-socket.js'
import { proxyTlsOf, type LoadedTls } from './tls-options.js'

/** The agent for `target` (a ws:// or wss:// URL), or undefined to connect directly. */
export function createWebSocketAgent(proxyUrl: string | undefined, target: string, tls: LoadedTls, timeoutMs = 15_000): Agent | undefined {
  if (!proxyUrl) return undefined
  // A tunnel for ws:// too: forwarding an Upgrade is what proxies most often get wrong.
  return new ProxiedAgent(proxyUrl, new URL(target).protocol === 'wss:', proxyTlsOf(tls), timeoutMs)
}

class ProxiedAgent extends Agent {
  private readonly pending = new Set<AbortController>()

  constructor(
    private readonly proxyUrl: string,
    private readonly secure: boolean,
    private readonly proxyTls: ConnectionOptions,
    private readonly timeoutMs: number,
  ) {
    super({ keepAlive: false })
    // https.request checks that its agent speaks https; this one speaks what the target needs.
    ;(this as unknown as { protocol: string }).protocol = secure ? 'https:' : 'http:'
  }

  override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    const abort = new AbortController()
    this.pending.add(abort)
    const host = String(options.host ?? options.hostname).replace(/^\[|\]$/g, '')
    openProxiedSocket({ proxyUrl: this.proxyUrl, host, port: Number(options.port), proxyTls: this.proxyTls, timeoutMs: this.timeoutMs, signal: abort.signal })
      .then((socket) => {
        // TLS with the origin over the tunnel: the request's options carry ca, cert, key and servername.
        if (!this.secure) return callback?.(null, socket)
        const tlsOptions = options as ConnectionOptions
        // SNI carries host names only (RFC 6066), as `ws` itself does.
        const servername = isIP(tlsOptions.servername ?? host) ? '' : (tlsOptions.servername ?? host)
        callback?.(null, tlsConnect({ ...tlsOptions, servername, socket }))
      })
      .catch((error: Error) => callback?.(error, undefined as unknown as Duplex))
      .finally(() => this.pending.delete(abort))
    return undefined
  }

  /** Also stops tunnels still being opened (a session disposed during the handshake). */
  override destroy(): void {
    for (const abort of this.pending) abort.abort()
    this.pending.clear()
    super.destroy()
  }
}
