// How the InspectorApi travels. Two transports, one shape of message: the renderer's
// client builds the same calls for either, and both servers answer with Results.
import type { ApiMethod, FrameBatch, Result } from './api.js'

/** Browser mode: a WebSocket at BRIDGE_API_PATH?token=… on the page's own origin. */
export const BRIDGE_API_PATH = '/api'
export const BRIDGE_TOKEN_PARAM = 'token'

export type BridgeClientMessage = { type: 'call'; id: number; method: ApiMethod; argument?: unknown }
export type BridgeServerMessage = { type: 'result'; id: number; result: Result<unknown> } | { type: 'frames'; batch: FrameBatch }

/** Electron: one invoke channel per API method, and one push channel for batches. */
export const IPC_CHANNEL_PREFIX = 'rti:'
export const IPC_FRAMES_CHANNEL = 'rti:frames'
export const ipcChannelFor = (method: ApiMethod): string => `${IPC_CHANNEL_PREFIX}${method}`

/** What the preload script exposes on `window.rti` — nothing more. */
export interface PreloadApi {
  invoke(method: ApiMethod, argument?: unknown): Promise<Result<unknown>>
  onFrames(listener: (batch: FrameBatch) => void): () => void
  /**
   * The file system path of a file the user dropped or picked (Electron's
   * webUtils.getPathForFile), so a recording opens in place; absent in a browser.
   */
  pathForFile?(file: File): string
  /**
   * Recordings the desktop app was asked to open (File › Open Recording…, a file
   * opened with the app); absent in a browser. Returns a function that stops listening.
   */
  onOpenRecording?(listener: (path: string) => void): () => void
}
/** Main → renderer: open this recording file (a path). */
export const IPC_OPEN_RECORDING_CHANNEL = 'rti:open-recording'
export const PRELOAD_GLOBAL = 'rti'
