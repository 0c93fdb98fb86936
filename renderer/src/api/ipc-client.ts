// The desktop transport: the preload script's `window.rti` forwards each call to
// the engine over Electron IPC and pushes batches back.
import type { PreloadApi, Result } from '@contract'
import { apiOverTransport, type ApiClient } from './client'

export function createIpcClient(preload: PreloadApi): ApiClient {
  // One typed wrapper instead of a cast per method: the engine answers every call
  // with a Result whose value type is fixed by the method.
  const call = <T>(method: Parameters<PreloadApi['invoke']>[0], argument?: unknown) =>
    preload.invoke(method, argument) as Promise<Result<T>>

  const api = apiOverTransport(call, (listener) => preload.onFrames(listener))
  return { ...api, onTransportLost: () => () => {} }
}
