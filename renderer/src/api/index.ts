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
  return createBridgeClient(bridgeUrlFor(window.location, BRIDGE_API_PATH, BRIDGE_TOKEN_PARAM))
}
