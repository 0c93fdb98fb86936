// HTTP answers are evidence: headers as they came on the wire (original case, repeats
// kept) and a bounded copy of the body, as text when it is text.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http'

export type WireHeaders = Record<string, string | string[]>

/** Headers from Node's `rawHeaders` list, keeping the server's spelling and repeats. */
export function headersFromRaw(rawHeaders: readonly string[]): WireHeaders {
  const headers: WireHeaders = {}
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!
    const value = rawHeaders[i + 1]!
    const existing = headers[name]
    if (existing === undefined) headers[name] = value
    else headers[name] = Array.isArray(existing) ? [...existing, value] : [existing, value]
  }
  return headers
}

/** Headers of a request we are about to send, as plain strings. */
export function headersFromOutgoing(headers: OutgoingHttpHeaders): WireHeaders {
  const result: WireHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    result[name] = Array.isArray(value) ? value.map(String) : String(value)
  }
  return result
}

export interface EvidenceBody {
  body?: string
  bodyBase64?: string
  bodyTruncated?: boolean
}

export const EVIDENCE_BODY_LIMIT = 64 * 1024

/** Read at most `limit` bytes of a response body, then stop reading. Never rejects. */
export function readEvidenceBody(res: IncomingMessage, limit = EVIDENCE_BODY_LIMIT, timeoutMs = 5000): Promise<EvidenceBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let truncated = false
    let settled = false
    const finish = () => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      res.removeListener('data', onData)
      resolve({ ...encodeBody(Buffer.concat(chunks)), ...(truncated ? { bodyTruncated: true } : {}) })
    }
    const onData = (chunk: Buffer) => {
      const room = limit - size
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room))
        size = limit
        truncated = true
        res.destroy()
        finish()
        return
      }
      chunks.push(chunk)
      size += chunk.length
    }
    // A peer that never finishes its error page must not hold the session open.
    const timer = setTimeout(() => {
      truncated = true
      res.destroy()
      finish()
    }, timeoutMs)
    res.on('data', onData)
    res.once('end', finish)
    res.once('close', finish)
    res.once('error', finish)
  })
}

export function encodeBody(bytes: Buffer): EvidenceBody {
  if (bytes.length === 0) return {}
  const text = new TextDecoder('utf-8', { fatal: true })
  try {
    return { body: text.decode(bytes) }
  } catch {
    return { bodyBase64: bytes.toString('base64') }
  }
}
