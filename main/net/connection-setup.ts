// What every attempt needs before it touches the network: the proxy to use (if
// any) and the TLS material, read once per attempt so a fixed file takes effect on
// the next reconnect; and the `connecting` frame that names that proxy, which the UI,
// the recordings and the proxy-denied detector read.
import type { Dispatcher } from 'undici'
import type { ConnectionSpec, FrameBody } from '../contract/index.js'
import { redactProxyUrl, resolveProxy, type NetContext } from './proxy.js'
import { loadTls, type LoadedTls } from './tls-options.js'

export interface PreparedConnection {
  proxyUrl: string | undefined
  tls: LoadedTls
}

export async function prepareConnection(spec: ConnectionSpec, target: string, net: NetContext = {}): Promise<PreparedConnection> {
  const [proxyUrl, tls] = await Promise.all([resolveProxy(spec.proxy, target, net), loadTls(spec.tls)])
  return { proxyUrl, tls }
}

/** For the HTTP techniques: the prepared connection plus an undici dispatcher for it. */
export async function prepareHttpConnection(spec: ConnectionSpec, target: string, net: NetContext = {}): Promise<PreparedConnection & { dispatcher: Dispatcher }> {
  const prepared = await prepareConnection(spec, target, net)
  // Loaded by the first HTTP attempt: undici is a large load that a WebSocket session never needs.
  const { createHttpDispatcher } = await import('./dispatcher.js')
  return { ...prepared, dispatcher: createHttpDispatcher(target, prepared.proxyUrl, prepared.tls) }
}

/** The `connecting` frame, naming the proxy (password hidden) when the attempt goes through one. */
export function connectingFrame(url: string, attempt: number, proxyUrl?: string): FrameBody {
  return { kind: 'connecting', direction: 'system', url, attempt, ...(proxyUrl ? { proxy: redactProxyUrl(proxyUrl) } : {}) }
}

type PreparedHttp = PreparedConnection & { dispatcher: Dispatcher }

/**
 * The start-up the HTTP techniques with one request target share (polling,
 * long-polling, streaming): resolve the proxy and TLS, then say `connecting` with the
 * proxy. The frame comes once per attempt, whatever happens: without a proxy when
 * preparing fails (the error follows it) or the attempt is closed before it is known.
 */
export class HttpAttemptStart {
  private announced = false

  constructor(
    private readonly spec: ConnectionSpec,
    private readonly attempt: { readonly number: number; readonly net: NetContext },
    private readonly sink: { frame(body: FrameBody): void },
  ) {}

  /**
   * The prepared connection, or the error preparing it; undefined when `ended()` turned
   * true meanwhile (the dispatcher is then let go here and nothing is said).
   */
  async prepare(ended: () => boolean): Promise<{ prepared: PreparedHttp } | { error: unknown } | undefined> {
    let prepared: PreparedHttp
    try {
      prepared = await prepareHttpConnection(this.spec, this.spec.url, this.attempt.net)
    } catch (error) {
      if (ended()) return undefined
      this.announce()
      return { error }
    }
    if (ended()) {
      void prepared.dispatcher.destroy().catch(() => {})
      return undefined
    }
    this.announce(prepared.proxyUrl)
    return { prepared }
  }

  /** The `connecting` frame, unless already said: before anything that ends the attempt early. */
  announce(proxyUrl?: string): void {
    if (this.announced) return
    this.announced = true
    this.sink.frame(connectingFrame(this.spec.url, this.attempt.number, proxyUrl))
  }
}
