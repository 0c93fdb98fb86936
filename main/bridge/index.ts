// Browser mode: the built renderer and the InspectorApi served on 127.0.0.1, so the
// same UI runs in any browser (headless machines, the end-to-end tests). Who may use
// it is decided in access.ts: the printed URL's token, traded for a session cookie.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { WebSocketServer } from 'ws'
import { BRIDGE_API_PATH, BRIDGE_TOKEN_PARAM } from '../contract/index.js'
import type { Engine } from '../engine.js'
import { allowedHosts, BridgeCredentials, carriesToken, hostAllowed, originAllowed } from './access.js'
import { serveApiSocket } from './api-socket.js'
import { resolveFile } from './renderer-files.js'
import { isPage, SECURITY_HEADERS, serveFile } from './static-files.js'

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../out/renderer/', import.meta.url))

export interface BridgeOptions {
  engine: Engine
  host?: string
  port?: number
  rendererDir?: string
  /** Largest call a tab may send, in bytes. */
  maxCallBytes?: number
}

export interface Bridge {
  /** Open this to use the app; it carries the current token. */
  readonly url: string
  readonly origin: string
  readonly token: string
  readonly port: number
  /**
   * A new token (and URL): the old URL stops working, every tab is disconnected and
   * must be opened again with the new URL. Returns the new URL.
   */
  rotateToken(): string
  close(): Promise<void>
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const host = options.host ?? '127.0.0.1'
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR
  if (!existsSync(rendererDir)) throw new Error(`no built renderer in ${rendererDir}: run "npm run build" first`)
  const credentials = new BridgeCredentials()
  let hosts = new Set<string>()
  const sockets = new Set<Socket>()
  const indexFile = join(rendererDir, 'index.html')

  const refuse = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end(text + '\n')
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req, hosts)) return refuse(res, 403, 'unexpected Host header')
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed')
    const path = new URL(req.url ?? '/', 'http://bridge').pathname
    const file = path === '/' ? indexFile : resolveFile(rendererDir, path)
    if (file && isPage(file)) {
      if (credentials.tokenMatches(req)) {
        // Trade the token for a session. A browser opening the URL is sent on to the
        // bare one: the redirect replaces the history entry, so the page's address
        // never holds the token. Other callers (scripts) get the page at once.
        const cookie = credentials.hasSession(req) ? {} : { 'Set-Cookie': credentials.startSession() }
        if (isNavigation(req)) {
          res.writeHead(303, { ...SECURITY_HEADERS, ...cookie, Location: '/', 'Cache-Control': 'no-store', 'Content-Length': 0 }).end()
          return
        }
        for (const [name, value] of Object.entries(cookie)) res.setHeader(name, value)
      } else if (carriesToken(req) || !credentials.hasSession(req)) return refuse(res, 403, 'missing or wrong token: open the URL that `rti serve` printed last (and let the browser keep cookies for it)')
    }
    if (file && (await serveFile(file, res))) return
    refuse(res, 404, 'not found')
  })

  const api = new WebSocketServer({ noServer: true, maxPayload: options.maxCallBytes ?? 128 * 1024 * 1024 })
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://bridge').pathname
    const problem =
      path !== BRIDGE_API_PATH ? '404 Not Found'
      : !hostAllowed(req, hosts) ? '403 Forbidden'
      : !originAllowed(req, hosts) ? '403 Forbidden'
      : !(credentials.tokenMatches(req) || credentials.hasSession(req)) ? '403 Forbidden'
      : undefined
    if (problem) {
      socket.end(`HTTP/1.1 ${problem}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    api.handleUpgrade(req, socket, head, (ws) => serveApiSocket(ws, options.engine.createClient('bridge')))
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  hosts = allowedHosts(host, port)
  credentials.listenOn(port)
  const urlHost = host.includes(':') ? `[${host}]` : host
  const origin = `http://${urlHost}:${port}`

  const urlOf = (token: string) => `${origin}/?${BRIDGE_TOKEN_PARAM}=${token}`

  return {
    get url() {
      return urlOf(credentials.token)
    },
    origin,
    get token() {
      return credentials.token
    },
    port,
    rotateToken() {
      credentials.rotate()
      for (const client of api.clients) client.close(1008, 'the token was rotated: open the new URL')
      return urlOf(credentials.token)
    },
    async close() {
      for (const client of api.clients) client.terminate()
      api.close()
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A browser loading a page into a tab (Fetch Metadata), as opposed to a script's request. */
function isNavigation(req: IncomingMessage): boolean {
  return req.headers['sec-fetch-mode'] === 'navigate' || req.headers['sec-fetch-dest'] === 'document'
}
