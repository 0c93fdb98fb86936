// A CONNECT tunnel through an HTTP(S) proxy, written on node:http so that a refusal
// keeps the proxy's whole answer (status, headers, body) as evidence: the agents on
// npm replay it as if the origin had said it, or throw it away.
import http from 'node:http'
import https from 'node:https'
import { isIPv6, type Socket } from 'node:net'
import type { ConnectionOptions } from 'node:tls'
import { encodeBody, EVIDENCE_BODY_LIMIT, headersFromRaw, type EvidenceBody } from './http-evidence.js'
import { ProxyRefusedError, ProxyUnreachableError, refusalMessage } from './proxy-errors.js'

export interface TunnelRequest {
  proxyUrl: string
  host: string
  port: number
  /** TLS settings for an https:// proxy itself (its certificate, not the origin's). */
  proxyTls?: ConnectionOptions
  /** Longest wait for the proxy to connect and answer. */
  timeoutMs?: number
  signal?: AbortSignal
}

/** Opens the tunnel; rejects with ProxyUnreachableError, ProxyRefusedError or an AbortError. */
export function openTunnel(request: TunnelRequest): Promise<Socket> {
  const proxy = new URL(request.proxyUrl)
  const secureProxy = proxy.protocol === 'https:'
  const authority = `${isIPv6(request.host) ? `[${request.host}]` : request.host}:${request.port}`
  const headers: Record<string, string> = { Host: authority }
  const authorization = proxyAuthorization(proxy)
  if (authorization) headers['Proxy-Authorization'] = authorization
  const startedAt = performance.now()
  const timeoutMs = request.timeoutMs ?? 15_000

  return new Promise((resolve, reject) => {
    let reached = false
    const req = (secureProxy ? https : http).request({
      method: 'CONNECT',
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port || (secureProxy ? 443 : 80),
      path: authority,
      headers,
      agent: false,
      timeout: timeoutMs,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(secureProxy ? request.proxyTls : {}),
    })
    req.once('socket', (socket) => socket.once('connect', () => (reached = true)))
    req.once('timeout', () => {
      const what = reached ? `the proxy did not answer the CONNECT within ${timeoutMs} ms` : `no connection within ${timeoutMs} ms`
      req.destroy(reached ? Object.assign(new Error(what), { code: 'E_TIMEOUT' }) : new ProxyUnreachableError(request.proxyUrl, new Error(what)))
    })
    req.once('error', (error) => {
      const aborted = (error as Error).name === 'AbortError' || (error as { code?: string }).code === 'E_TIMEOUT'
      reject(aborted || error instanceof ProxyUnreachableError ? error : new ProxyUnreachableError(request.proxyUrl, error))
    })
    req.once('connect', (res, socket, head) => {
      req.setTimeout(0)
      if (res.statusCode === 200) {
        socket.setTimeout(0)
        if (head.length > 0) socket.unshift(head)
        resolve(socket)
        return
      }
      // Node stops parsing at the head of a CONNECT answer: the body is read raw.
      const length = Number(res.headers['content-length'])
      void readRawBody(socket, head, Number.isFinite(length) ? length : undefined).then((body) => {
        const answer = {
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: headersFromRaw(res.rawHeaders),
          httpVersion: res.httpVersion,
          durationMs: performance.now() - startedAt,
          ...body,
        }
        reject(new ProxyRefusedError(refusalMessage(request.proxyUrl, authority, answer), answer))
      })
    })
    req.end()
  })
}

/** `Proxy-Authorization` from the credentials in a proxy URL, if any. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username && !proxy.password) return undefined
  return `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
}

/** The refusal's body: up to its Content-Length, the end of the connection, or the evidence cap. */
function readRawBody(socket: Socket, head: Buffer, contentLength: number | undefined, idleMs = 2000): Promise<EvidenceBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const enough = Math.min(contentLength ?? Infinity, EVIDENCE_BODY_LIMIT)
    const finish = () => {
      if (done) return
      done = true
      socket.removeListener('data', onData)
      socket.destroy()
      const kept = Buffer.concat(chunks).subarray(0, enough)
      const truncated = kept.length < (contentLength ?? size)
      resolve({ ...encodeBody(kept), ...(truncated ? { bodyTruncated: true } : {}) })
    }
    const onData = (chunk: Buffer) => {
      chunks.push(chunk)
      size += chunk.length
      if (size >= enough) finish()
    }
    onData(head)
    if (done) return
    // A proxy that keeps the connection open without a length must not hold us.
    socket.setTimeout(idleMs, finish)
    socket.on('data', onData)
    socket.once('end', finish)
    socket.once('close', finish)
    socket.once('error', finish)
  })
}
