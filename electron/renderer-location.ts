// Where the window's page comes from, and the one test for "is this our page?".
// IPC trusts a sender only when its frame shows exactly this page, so a frame that
// navigated elsewhere (or an injected iframe from another origin) cannot call the engine.
// Plain Node: no 'electron' import, so it is testable anywhere.
import { pathToFileURL } from 'node:url'

export type RendererLocation = { kind: 'url'; url: string } | { kind: 'file'; path: string }

/**
 * The dev server URL (electron-vite sets ELECTRON_RENDERER_URL under `electron-vite dev`)
 * wins when given; otherwise the built index.html. Callers must not pass an env-supplied
 * URL in a packaged app, or an environment variable could point the trusted window anywhere.
 */
export function rendererLocation(devServerUrl: string | undefined, indexHtmlPath: string): RendererLocation {
  return devServerUrl ? { kind: 'url', url: devServerUrl } : { kind: 'file', path: indexHtmlPath }
}

/** A predicate over a frame URL: true only for the renderer page itself. */
export function isRendererUrl(location: RendererLocation): (url: string | undefined) => boolean {
  if (location.kind === 'url') {
    const origin = new URL(location.url).origin
    // An opaque origin ('null') would match every other opaque origin: trust nothing then.
    return (url) => origin !== 'null' && parse(url)?.origin === origin
  }
  // file:// URLs have an opaque origin, so compare the exact file (hash/query are the app's own routing).
  const page = pathToFileURL(location.path)
  return (url) => {
    const parsed = parse(url)
    return parsed?.protocol === 'file:' && parsed.host === page.host && parsed.pathname === page.pathname
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
