// What both servers of the built renderer share — the bridge over HTTP
// (static-files.ts) and the desktop app's own scheme (electron/app-protocol.ts): which
// file a URL path names without ever climbing out of the build folder, each file's
// content type, and the page's security policy. Pure (node:path only), so the desktop
// app imports it as it is.
import { extname, join, normalize, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

/** The Content-Type a built file is served with. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The file a URL path names inside `root`, decoded and normalised the way it will be
 * read (so `/%69ndex.html` and `/%2findex.html` are index.html); undefined when it
 * cannot be decoded or climbs out of `root`.
 */
export function resolveFile(root: string, urlPath: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const file = normalize(join(root, decoded))
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : undefined
}

/**
 * What the page may load and reach: only its own origin. In the browser that is the
 * bridge and its WebSocket; in the desktop app the renderer reaches the engine over
 * IPC and needs no network of its own ('self' covers the dev server and its HMR
 * socket in `electron-vite dev`).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')
