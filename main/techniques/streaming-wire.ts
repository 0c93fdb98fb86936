// Small pieces of the streaming technique: what goes out with the request, how
// bytes are shown in frames, and the cheap check that flags a line as not JSON.
import { isUtf8 } from 'node:buffer'
import { STATUS_CODES } from 'node:http'
import type { ConnectionSpec } from '../contract/index.js'
import { decodeEvidence, type CodingChoice } from '../net/content-decoding.js'
import type { EvidenceBody, WireHeaders } from '../net/http-evidence.js'
import { requestHeaders } from '../net/request-target.js'

/**
 * The user's headers and auth over what a browser sends with a streaming fetch or
 * XHR. Browsers offer compression and intermediaries compress (and then often
 * buffer) only for clients that do, so the inspector offers it too; an explicit
 * `Accept-Encoding: identity` turns it off.
 */
export function streamingRequestHeaders(spec: ConnectionSpec): Record<string, string> {
  const headers: Record<string, string> = { Accept: '*/*', 'Accept-Encoding': 'gzip, deflate, br' }
  for (const [name, value] of Object.entries(requestHeaders(spec))) {
    const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase())
    if (existing) delete headers[existing]
    headers[name] = value
  }
  return headers
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d])
const DIGIT_OR_MINUS = /[-0-9]/
const CLOSERS: Record<string, string> = { '{': '}', '[': ']', '"': '"' }
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d

/**
 * Whether a line could be one JSON text, judged by its first and last characters
 * only: parsing every line would halve the rate of a fast stream, and a stream
 * that is not JSON at all shows on its first line anyway.
 */
export function looksLikeJson(line: Buffer): boolean {
  // The common case, an object with nothing around it, without any allocation.
  if (line[0] === OPEN_BRACE && line[line.length - 1] === CLOSE_BRACE && line.length >= 2) return true
  let start = 0
  let end = line.length
  while (start < end && WHITESPACE.has(line[start]!)) start++
  while (end > start && WHITESPACE.has(line[end - 1]!)) end--
  if (start === end) return false
  const first = String.fromCharCode(line[start]!)
  const last = String.fromCharCode(line[end - 1]!)
  if (CLOSERS[first]) return end - start >= 2 && last === CLOSERS[first]
  if (DIGIT_OR_MINUS.test(first)) return /[0-9]/.test(last)
  const word = line.toString('latin1', start, end)
  return word === 'true' || word === 'false' || word === 'null'
}

/** A short quote of a message for an error text. */
export function preview(bytes: Buffer, max = 60): string {
  const text = bytes.subarray(0, max).toString('utf8')
  return JSON.stringify(bytes.length > max ? `${text}…` : text)
}

/** A refusal's evidence body, decoded when the server compressed it and it decodes. */
export function decodedEvidence(evidence: EvidenceBody, coding: CodingChoice, limit: number): EvidenceBody {
  if (coding.kind !== 'decode' || (evidence.body === undefined && evidence.bodyBase64 === undefined)) return evidence
  // Valid UTF-8 round-trips exactly, so the bytes as they came are recoverable either way.
  const raw = evidence.bodyBase64 !== undefined ? Buffer.from(evidence.bodyBase64, 'base64') : Buffer.from(evidence.body!, 'utf8')
  const decoded = decodeEvidence(coding.coding, raw, 1024 * 1024)
  if (!decoded) return evidence
  const shown = decoded.subarray(0, limit)
  const truncated = evidence.bodyTruncated === true || shown.length < decoded.length
  const text = isUtf8(shown) ? { body: shown.toString('utf8') } : { bodyBase64: shown.toString('base64') }
  return { ...text, ...(truncated ? { bodyTruncated: true } : {}) }
}

/** `the server answered 302 Found`, with where a redirect points (not followed). */
export function statusText(status: number, headers: WireHeaders): string {
  const base = `the server answered ${status} ${STATUS_CODES[status] ?? ''}`.trim()
  const location = Object.entries(headers).find(([name]) => name.toLowerCase() === 'location')?.[1]
  if (status >= 300 && status < 400 && location !== undefined) return `${base} to ${String(location)} (redirects are not followed; use that URL instead)`
  return base
}
