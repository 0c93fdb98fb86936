// The browser-mode transport: one WebSocket to the bridge on the page's own origin,
// calls correlated by id. Calls made before the socket opens wait for it; calls
// pending when it closes are answered with E_BRIDGE_DISCONNECTED, so no caller hangs.
import {
  fail,
  type ApiMethod,
  type BridgeClientMessage,
  type BridgeServerMessage,
  type FrameBatch,
  type Result,
} from '@contract'
import { apiOverTransport, type ApiClient } from './client'

/** The part of the DOM WebSocket this client uses; tests pass a fake. */
export interface BridgeSocket {
  readonly readyState: number
  send(data: string): void
  close(): void
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: { data?: unknown }) => void): void
}

const OPEN = 1
const DISCONNECTED = 'E_BRIDGE_DISCONNECTED'

export function createBridgeClient(url: string, createSocket: (url: string) => BridgeSocket = (u) => new WebSocket(u)): ApiClient {
  const socket = createSocket(url)
  let nextId = 1
  let closed = false
  const pending = new Map<number, (result: Result<unknown>) => void>()
  const queued: string[] = []
  const frameListeners = new Set<(batch: FrameBatch) => void>()
  const lostListeners = new Set<(reason: string) => void>()

  socket.addEventListener('open', () => {
    for (const message of queued.splice(0)) socket.send(message)
  })
  socket.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return
    let message: BridgeServerMessage
    try {
      message = JSON.parse(event.data) as BridgeServerMessage
    } catch {
      return
    }
    if (message.type === 'result') {
      const resolve = pending.get(message.id)
      pending.delete(message.id)
      resolve?.(message.result)
    } else if (message.type === 'frames') {
      for (const listener of frameListeners) listener(message.batch)
    }
  })
  // 'error' is always followed by 'close'; one handler settles everything.
  socket.addEventListener('close', () => {
    if (closed) return
    closed = true
    queued.length = 0
    const answer = fail(DISCONNECTED, 'lost the connection to the inspector engine')
    for (const resolve of pending.values()) resolve(answer)
    pending.clear()
    for (const listener of lostListeners) listener('the connection to the inspector engine closed')
  })

  function call<T>(method: ApiMethod, argument?: unknown): Promise<Result<T>> {
    if (closed) return Promise.resolve(fail(DISCONNECTED, 'not connected to the inspector engine'))
    const id = nextId++
    const message: BridgeClientMessage = argument === undefined ? { type: 'call', id, method } : { type: 'call', id, method, argument }
    const text = JSON.stringify(message)
    return new Promise((resolve) => {
      pending.set(id, resolve as (result: Result<unknown>) => void)
      if (socket.readyState === OPEN) socket.send(text)
      else queued.push(text)
    })
  }

  const api = apiOverTransport(call, (listener) => {
    frameListeners.add(listener)
    return () => frameListeners.delete(listener)
  })
  return {
    ...api,
    onTransportLost(listener) {
      lostListeners.add(listener)
      return () => lostListeners.delete(listener)
    },
  }
}

/** ws(s)://<this host>/api?token=<the page's token> */
export function bridgeUrlFor(location: Pick<Location, 'protocol' | 'host' | 'search'>, path: string, tokenParam: string): string {
  const token = new URLSearchParams(location.search).get(tokenParam) ?? ''
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${location.host}${path}?${tokenParam}=${encodeURIComponent(token)}`
}
