// Where the window's page comes from, and the one test for "is this our page?".
// IPC trusts a sender only when its frame shows exactly this page, so a frame that
// navigated elsewhere (or an injected iframe from another origin) cannot call the engine.
// Plain Node: no 'electron' import, so it is testable anywhere.
//
// The built renderer is served from the app's own scheme (app-protocol.ts), not from
// file://: a file:// page gets privileges a web page never has (fetching other local
// files, universal access for file:// frames), and every file:// URL shares one opaque
// origin. app://renderer is a secure, standard origin of its own.

export const APP_SCHEME = 'app'
export const APP_HOST = 'renderer'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`

export type RendererLocation = { kind: 'url'; url: string } | { kind: 'app'; url: string; dir: string }

/**
 * The dev server URL (electron-vite sets ELECTRON_RENDERER_URL under `electron-vite dev`)
 * wins when given; otherwise the built renderer in `rendererDir`, served at
 * app://renderer/. Callers must not pass an env-supplied URL in a packaged app, or an
 * environment variable could point the trusted window anywhere.
 */
export function rendererLocation(devServerUrl: string | undefined, rendererDir: string): RendererLocation {
  return devServerUrl ? { kind: 'url', url: devServerUrl } : { kind: 'app', url: APP_INDEX_URL, dir: rendererDir }
}

/** A predicate over a frame URL: true only for the renderer page itself. */
export function isRendererUrl(location: RendererLocation): (url: string | undefined) => boolean {
  if (location.kind === 'url') {
    const origin = new URL(location.url).origin
    // An opaque origin ('null') would match every other opaque origin: trust nothing then.
    return (url) => origin !== 'null' && parse(url)?.origin === origin
  }
  // Node gives non-special schemes an opaque origin, so compare the parts (hash and
  // query are the app's own routing). The page is index.html, also reached as '/'.
  return (url) => {
    const parsed = parse(url)
    return parsed?.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && !parsed.username && !parsed.password && (parsed.pathname === '/index.html' || parsed.pathname === '/')
  }
}

function parse(url: string | undefined): URL | undefined {
  if (!url) return undefined
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}
