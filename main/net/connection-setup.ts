// What every attempt needs before it touches the network: the proxy to use (if
// any) and the TLS material, read once per attempt so a fixed file takes effect on
// the next reconnect.
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
