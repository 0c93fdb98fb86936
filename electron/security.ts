// The app's security policy (docs/architecture.md, "Security"), in one place: a strict CSP, no navigation away
// from the app, no new windows, no webviews, no permissions. Applied to every
// webContents as it is created, so no window can be made without it.
import { app, session, type WebContents } from 'electron'

// The renderer reaches the engine only over IPC, so it needs no network access of its
// own ('self' covers the dev server and its HMR socket in `electron-vite dev`).
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Call once, when the app is ready and before any window loads. */
export function applySecurityPolicy(): void {
  const ses = session.defaultSession
  ses.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders = withoutHeader(details.responseHeaders ?? {}, 'content-security-policy')
    callback({ responseHeaders: { ...responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
  // Nothing here needs the camera, notifications, geolocation, …: refuse all, ask and check alike.
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))
}

function hardenWebContents(contents: WebContents): void {
  // A page that navigates elsewhere would keep the preload bridge; only reloads of the same URL are let through.
  contents.on('will-navigate', (event, url) => {
    if (url !== contents.getURL()) event.preventDefault()
  })
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** Header names are case-insensitive: drop every spelling so ours is the only policy. */
function withoutHeader(headers: Record<string, string[]>, name: string): Record<string, string[]> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name))
}
