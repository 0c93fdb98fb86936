// Plain-object stand-ins for the bits of Electron the IPC code and the security policy touch. They record
// what happened so tests can assert on it; the Electron binary is never involved.
import type { InvokeEventLike, IpcMainLike, WebContentsLike } from '../../electron/ipc-router.js'
import type { IpcRendererLike } from '../../electron/preload-api.js'
import type { AppLike, GuardedContentsLike, NavigationEventLike, SessionLike } from '../../electron/security.js'

type Handler = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>()
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`) // Electron throws too
    this.handlers.set(channel, listener)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
  /** What ipcRenderer.invoke would do: find the channel's handler or fail like Electron. */
  invoke(event: InvokeEventLike, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel)
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`))
    return handler(event, ...args)
  }
}

let nextId = 1
export class FakeWebContents implements WebContentsLike {
  readonly id = nextId++
  readonly sent: { channel: string; args: unknown[] }[] = []
  private destroyed = false
  private readonly destroyedListeners = new Set<() => void>()
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed') // as Electron does
    this.sent.push({ channel, args })
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  once(_event: 'destroyed', listener: () => void): this {
    this.destroyedListeners.add(listener)
    return this
  }
  removeListener(_event: 'destroyed', listener: () => void): this {
    this.destroyedListeners.delete(listener)
    return this
  }
  get listenerCount(): number {
    return this.destroyedListeners.size
  }
  destroy(): void {
    this.destroyed = true
    const listeners = [...this.destroyedListeners]
    this.destroyedListeners.clear()
    for (const listener of listeners) listener()
  }
}

export const eventFrom = (sender: WebContentsLike, url: string | null): InvokeEventLike => ({ sender, senderFrame: url === null ? null : { url } })

type Listener = (event: unknown, ...args: unknown[]) => void
export class FakeIpcRenderer implements IpcRendererLike {
  readonly invoked: { channel: string; args: unknown[] }[] = []
  readonly listeners = new Map<string, Set<Listener>>()
  reply: (channel: string, args: unknown[]) => Promise<unknown> = async () => ({ ok: true, value: null })
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args })
    return this.reply(channel, args)
  }
  on(channel: string, listener: Listener): this {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set())
    this.listeners.get(channel)!.add(listener)
    return this
  }
  removeListener(channel: string, listener: Listener): this {
    this.listeners.get(channel)?.delete(listener)
    return this
  }
  /** What the main process's webContents.send looks like from here: an event, then the payload. */
  emit(channel: string, ...args: unknown[]): void {
    const event = { sender: this, ports: [] }
    for (const listener of this.listeners.get(channel) ?? []) listener(event, ...args)
  }
}

// Stand-ins for the session, app and webContents events the security policy touches.

type HeadersListener = Parameters<SessionLike['webRequest']['onHeadersReceived']>[0]
type PermissionHandler = Parameters<SessionLike['setPermissionRequestHandler']>[0]

export class FakeSession implements SessionLike {
  headersListener: HeadersListener | undefined
  permissionRequest: PermissionHandler | undefined
  permissionCheck: (() => boolean) | undefined
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      this.headersListener = listener
    },
  }
  setPermissionRequestHandler(handler: PermissionHandler): void {
    this.permissionRequest = handler
  }
  setPermissionCheckHandler(handler: () => boolean): void {
    this.permissionCheck = handler
  }
  /** What the network layer would do with a response's headers. */
  receive(responseHeaders: Record<string, string | string[]>): Record<string, string | string[]> | undefined {
    let out: Record<string, string | string[]> | undefined
    this.headersListener!({ responseHeaders }, (response) => (out = response.responseHeaders))
    return out
  }
}

export class FakeApp implements AppLike {
  private readonly created = new Set<(event: unknown, contents: GuardedContentsLike) => void>()
  on(_event: 'web-contents-created', listener: (event: unknown, contents: GuardedContentsLike) => void): this {
    this.created.add(listener)
    return this
  }
  createWebContents(url: string): FakeGuardedContents {
    const contents = new FakeGuardedContents(url)
    for (const listener of this.created) listener({}, contents)
    return contents
  }
}

type GuardListener = (event: NavigationEventLike, url: string) => void
export class FakeGuardedContents implements GuardedContentsLike {
  readonly listeners = new Map<string, Set<GuardListener>>()
  windowOpenHandler: (() => { action: 'deny' }) | undefined
  constructor(private url: string) {}
  getURL(): string {
    return this.url
  }
  on(event: string, listener: GuardListener): this {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set())
    this.listeners.get(event)!.add(listener)
    return this
  }
  setWindowOpenHandler(handler: () => { action: 'deny' }): void {
    this.windowOpenHandler = handler
  }
  /**
   * Emits an event as Electron would (the target both on the event, as Electron ≥ 25
   * does, and as the deprecated argument); true when a listener prevented it.
   */
  emit(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', url = ''): boolean {
    let prevented = false
    const details: NavigationEventLike = { url, preventDefault: () => (prevented = true) }
    for (const listener of this.listeners.get(event) ?? []) listener(details, url)
    return prevented
  }
}
