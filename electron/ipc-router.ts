// Serves the InspectorApi over Electron IPC: one invoke channel per API method, and
// batches pushed to the calling window. Every call is checked for its sender, then
// validated by the contract's dispatcher, and always answered with a Result.
//
// Structural types stand in for Electron's (ipcMain, the invoke event, webContents) so
// this module never loads 'electron' and runs under plain Node with stand-ins in tests.
import {
  API_METHOD_NAMES,
  dispatchApiCall,
  fail,
  IPC_FRAMES_CHANNEL,
  ipcChannelFor,
  type ApiMethod,
  type FrameBatch,
  type InspectorApi,
  type Result,
} from '../main/contract/index.js'

/** The part of a webContents the router uses. */
export interface WebContentsLike {
  readonly id: number
  send(channel: string, ...args: unknown[]): void
  isDestroyed(): boolean
  once(event: 'destroyed', listener: () => void): unknown
  removeListener(event: 'destroyed', listener: () => void): unknown
}

/** The part of an `IpcMainInvokeEvent` the router uses. */
export interface InvokeEventLike {
  readonly sender: WebContentsLike
  /** Null when the frame navigated away or was destroyed before the call arrived. */
  readonly senderFrame: { readonly url: string } | null
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void
  removeHandler(channel: string): void
}

export type ClientApi = InspectorApi & { dispose(): void }

export interface IpcRouterOptions {
  /** A fresh API for one window (the engine's `createClient('ipc')`). */
  createClient: () => ClientApi
  /** True only for the app's own renderer page; see renderer-location.ts. */
  isTrustedSender: (frameUrl: string | undefined) => boolean
}

interface Connection {
  client: ClientApi
  stopFrames: () => void
  onDestroyed: () => void
}

/** Registers one handler per API method; the returned function removes them and disposes every client. */
export function registerIpcRouter(ipcMain: IpcMainLike, options: IpcRouterOptions): () => void {
  const connections = new Map<number, { contents: WebContentsLike; connection: Connection }>()

  // One client per window, so each window has its own subscriptions; created on the
  // window's first call and dropped with the window, leaving nothing subscribed.
  const connectionFor = (contents: WebContentsLike): Connection => {
    const existing = connections.get(contents.id)
    if (existing) return existing.connection
    const client = options.createClient()
    const stopFrames = client.onFrames((batch: FrameBatch) => {
      if (!contents.isDestroyed()) contents.send(IPC_FRAMES_CHANNEL, batch)
    })
    const onDestroyed = () => drop(contents.id)
    const connection = { client, stopFrames, onDestroyed }
    connections.set(contents.id, { contents, connection })
    contents.once('destroyed', onDestroyed)
    return connection
  }

  const drop = (id: number) => {
    const entry = connections.get(id)
    if (!entry) return
    connections.delete(id)
    entry.contents.removeListener('destroyed', entry.connection.onDestroyed)
    entry.connection.stopFrames()
    entry.connection.client.dispose()
  }

  const handle = async (method: ApiMethod, event: InvokeEventLike, argument: unknown): Promise<Result<unknown>> => {
    const frameUrl = event.senderFrame?.url
    if (!options.isTrustedSender(frameUrl)) {
      return fail('E_IPC_UNTRUSTED_SENDER', `${method}: refused a call from ${JSON.stringify(String(frameUrl ?? 'a detached frame').slice(0, 200))}`)
    }
    try {
      return await dispatchApiCall(connectionFor(event.sender).client, method, argument)
    } catch (error) {
      // dispatchApiCall never throws; creating the client might. Still answer with a Result.
      return fail('E_INTERNAL', error instanceof Error ? error.message : String(error))
    }
  }

  for (const method of API_METHOD_NAMES) {
    // Only the first argument is the call's argument; anything extra is ignored, not passed on.
    ipcMain.handle(ipcChannelFor(method), (event, argument) => handle(method, event, argument))
  }

  return () => {
    for (const method of API_METHOD_NAMES) ipcMain.removeHandler(ipcChannelFor(method))
    for (const id of [...connections.keys()]) drop(id)
  }
}
