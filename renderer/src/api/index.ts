// Picks the transport once at start-up: the preload's IPC inside the desktop app,
// the bridge WebSocket in a browser. Nothing above this file knows which it got.
import { BRIDGE_API_PATH, BRIDGE_TOKEN_PARAM, PRELOAD_GLOBAL, type PreloadApi } from '@contract'
import { bridgeUrlFor, createBridgeClient } from './bridge-client'
import type { ApiClient } from './client'
import { createIpcClient } from './ipc-client'

export type { ApiClient } from './client'

export function createApiClient(): ApiClient {
  const preload = (window as unknown as Record<string, PreloadApi | undefined>)[PRELOAD_GLOBAL]
  if (preload) return createIpcClient(preload)
  const client = createBridgeClient(bridgeUrlFor(window.location, BRIDGE_API_PATH, BRIDGE_TOKEN_PARAM))
  // The bridge traded the token for a session cookie; a browser it could not redirect
  // (no Fetch Metadata) still shows the token: take it out of the address bar and history entry.
  const params = new URLSearchParams(window.location.search)
  if (params.has(BRIDGE_TOKEN_PARAM)) {
    params.delete(BRIDGE_TOKEN_PARAM)
    const query = params.toString()
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`)
  }
  return client
}
