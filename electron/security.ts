// The app's security policy (docs/architecture.md, "Security"), in one place: a strict CSP, no navigation away
// from the app, no redirects elsewhere, no new windows, no webviews, no permissions.
// Applied to every webContents as it is created, so no window can be made without it.
//
// Structural types stand in for Electron's session, app and webContents, so this module
// never loads 'electron' and runs under plain Node with stand-ins in tests.

// The page's policy is the one the bridge serves the renderer with.
import { CONTENT_SECURITY_POLICY } from '../main/bridge/renderer-files.js'

export { CONTENT_SECURITY_POLICY }

type Headers = Record<string, string | string[]>

/** The part of a Session the policy uses. */
export interface SessionLike {
  webRequest: {
    onHeadersReceived(listener: (details: { responseHeaders?: Headers }, callback: (response: { responseHeaders?: Headers }) => void) => void): void
  }
  setPermissionRequestHandler(handler: (contents: unknown, permission: unknown, callback: (granted: boolean) => void) => void): void
  setPermissionCheckHandler(handler: () => boolean): void
}

/** The part of a navigation or redirect event the guards use. */
export interface NavigationEventLike {
  preventDefault(): void
  /** Electron ≥ 25 puts the target on the event; older versions pass it as the next argument. */
  readonly url?: string
}

/** The part of a webContents the guards use. */
export interface GuardedContentsLike {
  getURL(): string
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEventLike, url: string) => void): unknown
  on(event: 'will-attach-webview', listener: (event: NavigationEventLike) => void): unknown
  setWindowOpenHandler(handler: () => { action: 'deny' }): void
}

export interface AppLike {
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedContentsLike) => void): unknown
}

export interface PolicyOptions {
  /** True only for the renderer's own page (renderer-location.ts). */
  isRendererUrl(url: string | undefined): boolean
}

/** Call once, when the app is ready and before any window loads. */
export function applySecurityPolicy(ses: SessionLike, app: AppLike, options: PolicyOptions): void {
  // Pages from the dev server (http) get the policy as a header; the app's own scheme
  // sets it on every response itself (app-protocol.ts), and index.html carries it too.
  ses.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders = withoutHeader(details.responseHeaders ?? {}, 'content-security-policy')
    callback({ responseHeaders: { ...responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
  // Nothing here needs the camera, notifications, geolocation, …: refuse all, ask and check alike.
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, options))
}

export function hardenWebContents(contents: GuardedContentsLike, options: PolicyOptions): void {
  // A page that navigates elsewhere would keep the preload bridge; only reloads of the same URL are let through.
  contents.on('will-navigate', (event, url) => {
    if ((event.url ?? url) !== contents.getURL()) event.preventDefault()
  })
  // A navigation that was let through must not be bent elsewhere by a redirect either.
  contents.on('will-redirect', (event, url) => {
    if (!options.isRendererUrl(event.url ?? url)) event.preventDefault()
  })
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** Header names are case-insensitive: drop every spelling so ours is the only policy. */
function withoutHeader(headers: Headers, name: string): Headers {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name))
}
