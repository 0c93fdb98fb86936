// Serves the built renderer. Only files inside the build folder, never a path that
// climbs out of it; whether a file is a page (behind the token) is decided on the
// path as it will be read, never on the URL as written.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
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

export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  // The token is in the first URL opened: never send it onwards in a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
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

/** A page (not an asset): only served to a caller with the token or its session. */
export function isPage(file: string): boolean {
  return /\.html?$/i.test(file)
}

/** What the page may load and reach: itself, and the bridge's WebSocket on its own origin. */
export const PAGE_SECURITY_POLICY = [
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

/** Serves a file `resolveFile` found; false when it is not a file. */
export async function serveFile(file: string, res: ServerResponse): Promise<boolean> {
  const info = await stat(file).catch(() => undefined)
  if (!info?.isFile()) return false
  const page = isPage(file)
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    ...(page ? { 'Content-Security-Policy': PAGE_SECURITY_POLICY } : {}),
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    // Built assets carry a content hash in their names; pages do not.
    'Cache-Control': page ? 'no-store' : 'public, max-age=31536000, immutable',
  })
  createReadStream(file).pipe(res)
  return true
}
