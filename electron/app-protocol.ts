// The app's own scheme (app://renderer/…): serves the built renderer instead of
// file://, so the page is an ordinary secure origin without file:// privileges, and
// every answer carries the CSP as a header. Only files inside the renderer build are
// served; a path that climbs out, any other host and any method but GET are refused.
// Plain Node (Request/Response are global): testable without Electron.
import { readFile } from 'node:fs/promises'
import { normalize, sep } from 'node:path'
import { contentTypeOf, CONTENT_SECURITY_POLICY, resolveFile } from '../main/bridge/renderer-files.js'
import { APP_HOST } from './renderer-location.js'

/**
 * What the scheme may do (protocol.registerSchemesAsPrivileged, before the app is
 * ready): a standard, secure origin whose module scripts load with fetch semantics.
 * No service workers, no CORS from other origins, no bypassing the CSP.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, codeCache: true } as const

const BASE_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
}

/** The handler for protocol.handle(APP_SCHEME, …). */
export function appProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = normalize(rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep)
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'method not allowed')
    const file = fileFor(request.url, root)
    if (!file) return answer(404, 'not found')
    let body: Buffer
    try {
      body = await readFile(file)
    } catch {
      return answer(404, 'not found')
    }
    const headers = { ...BASE_HEADERS, 'Content-Type': contentTypeOf(file) }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers })
  }
}

/** The file a URL names inside `root` (decoded and normalised as it will be read), or undefined. */
export function fileFor(url: string, root: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.host !== APP_HOST) return undefined
  // A pathname always starts with '/', so only '/' itself decodes to '/'.
  const path = parsed.pathname === '/' || parsed.pathname === '' ? '/index.html' : parsed.pathname
  const file = resolveFile(root, path)
  return file !== root ? file : undefined
}

function answer(status: number, text: string): Response {
  return new Response(text + '\n', { status, headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } })
}
