// What the preload script exposes on `window.rti`: an allow-listed invoke and a frames
// subscription, nothing else. The page never gets ipcRenderer itself, nor the Electron
// event object (it carries `sender`, i.e. ipcRenderer, across the isolation boundary).
// Takes an ipcRenderer-like object so it runs under plain Node with a stand-in.
import { fail, isApiMethod, type FrameBatch, type Result } from '../main/contract/api.js'
import { IPC_FRAMES_CHANNEL, IPC_OPEN_RECORDING_CHANNEL, ipcChannelFor, type PreloadApi } from '../main/contract/transport.js'

type IpcListener = (event: unknown, ...args: unknown[]) => void

/** The part of Electron's `ipcRenderer` the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: IpcListener): unknown
  removeListener(channel: string, listener: IpcListener): unknown
}

/** `pathForFile`: Electron's webUtils.getPathForFile, passed in so this file runs without Electron. */
export function createPreloadApi(ipcRenderer: IpcRendererLike, pathForFile?: (file: File) => string): PreloadApi {
  return {
    ...(pathForFile ? { pathForFile: (file: File) => pathForFile(file) } : {}),
    async invoke(method: unknown, argument?: unknown): Promise<Result<unknown>> {
      // The page chooses `method`: never let it pick an arbitrary channel.
      if (!isApiMethod(method)) return fail('E_IPC_UNKNOWN_CHANNEL', `no API method ${JSON.stringify(String(method).slice(0, 64))}`)
      try {
        // No argument means none on the wire, so `z.undefined()` methods validate.
        const args = argument === undefined ? [] : [argument]
        return (await ipcRenderer.invoke(ipcChannelFor(method), ...args)) as Result<unknown>
      } catch (error) {
        // Cloning failures or a main process without handlers: still a Result, never a throw.
        return fail('E_IPC_FAILED', error instanceof Error ? error.message : String(error))
      }
    },
    onOpenRecording(listener: (path: string) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('onOpenRecording needs a listener function')
      const forward: IpcListener = (_event, path) => {
        if (typeof path === 'string') listener(path)
      }
      ipcRenderer.on(IPC_OPEN_RECORDING_CHANNEL, forward)
      return () => {
        ipcRenderer.removeListener(IPC_OPEN_RECORDING_CHANNEL, forward)
      }
    },
    onFrames(listener: (batch: FrameBatch) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('onFrames needs a listener function')
      const forward: IpcListener = (_event, batch) => listener(batch as FrameBatch)
      ipcRenderer.on(IPC_FRAMES_CHANNEL, forward)
      return () => {
        ipcRenderer.removeListener(IPC_FRAMES_CHANNEL, forward)
      }
    },
  }
}
