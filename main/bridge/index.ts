// Browser mode: the built renderer and the InspectorApi served on 127.0.0.1, so the
// same UI runs in any browser (headless machines, the end-to-end tests).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { WebSocketServer } from 'ws'
import { BRIDGE_API_PATH, BRIDGE_TOKEN_PARAM } from '../contract/index.js'
import type { Engine } from '../engine.js'
import { allowedHosts, createToken, hostAllowed, originAllowed, tokenMatches } from './access.js'
import { serveApiSocket } from './api-socket.js'
import { SECURITY_HEADERS, serveFile } from './static-files.js'

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
  /** Open this to use the app; it carries the token. */
  readonly url: string
  readonly origin: string
  readonly token: string
  readonly port: number
  close(): Promise<void>
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const host = options.host ?? '127.0.0.1'
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR
  if (!existsSync(rendererDir)) throw new Error(`no built renderer in ${rendererDir}: run "npm run build" first`)
  const token = createToken()
  let hosts = new Set<string>()
  const sockets = new Set<Socket>()

  const refuse = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end(text + '\n')
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req, hosts)) return refuse(res, 403, 'unexpected Host header')
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed')
    const path = new URL(req.url ?? '/', 'http://bridge').pathname
    if (path === '/' || path === '/index.html') {
      if (!tokenMatches(req, token)) return refuse(res, 403, 'missing or wrong token: open the URL that `rti serve` printed')
      if (await serveFile(rendererDir, 'index.html', res)) return
    } else if (await serveFile(rendererDir, path, res)) {
      return
    }
    refuse(res, 404, 'not found')
  })

  const api = new WebSocketServer({ noServer: true, maxPayload: options.maxCallBytes ?? 128 * 1024 * 1024 })
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://bridge').pathname
    const problem =
      path !== BRIDGE_API_PATH ? '404 Not Found'
      : !hostAllowed(req, hosts) ? '403 Forbidden'
      : !originAllowed(req, hosts) ? '403 Forbidden'
      : !tokenMatches(req, token) ? '403 Forbidden'
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
  const urlHost = host.includes(':') ? `[${host}]` : host
  const origin = `http://${urlHost}:${port}`

  return {
    url: `${origin}/?${BRIDGE_TOKEN_PARAM}=${token}`,
    origin,
    token,
    port,
    async close() {
      for (const client of api.clients) client.terminate()
      api.close()
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
