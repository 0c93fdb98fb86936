// Serves the built renderer. Only files inside the build folder, never a path that
// climbs out of it; whether a file is a page (behind the token) is decided on the
// path as it will be read, never on the URL as written.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { contentTypeOf, CONTENT_SECURITY_POLICY } from './renderer-files.js'

export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  // The token is in the first URL opened: never send it onwards in a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
}

/** A page (not an asset): only served to a caller with the token or its session. */
export function isPage(file: string): boolean {
  return /\.html?$/i.test(file)
}

/** Serves a file `resolveFile` found; false when it is not a file. */
export async function serveFile(file: string, res: ServerResponse): Promise<boolean> {
  const info = await stat(file).catch(() => undefined)
  if (!info?.isFile()) return false
  const page = isPage(file)
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    ...(page ? { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } : {}),
    'Content-Type': contentTypeOf(file),
    'Content-Length': info.size,
    // Built assets carry a content hash in their names; pages do not.
    'Cache-Control': page ? 'no-store' : 'public, max-age=31536000, immutable',
  })
  createReadStream(file).pipe(res)
  return true
}
