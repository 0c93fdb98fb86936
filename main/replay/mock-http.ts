// The HTTP pieces every mock shares: which recorded headers are served again, the
// answer to a CORS preflight (the allowed origin itself is set by the server from
// mock-access.ts, never `*`), and how a connection is cut the way the recording's was.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { RecordedAnswer } from './mock-script.js'

/**
 * Headers that describe the recorded connection rather than the content: framing,
 * hop-by-hop, the date. The mock frames its own body, so these are not copied.
 */
const NOT_REPLAYED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date', 'upgrade', 'trailer', 'te', 'proxy-connection', 'proxy-authenticate', 'sec-websocket-accept', 'sec-websocket-protocol', 'sec-websocket-extensions'])
/** Recorded chunks and bodies hold decoded bytes for these codings, so the header would lie. */
const DECODED_CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br'])

export function replayedHeaders(answer: RecordedAnswer | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(answer?.headers ?? {})) {
    const key = name.toLowerCase()
    if (NOT_REPLAYED.has(key) || key.startsWith('access-control-')) continue
    if (key === 'content-encoding' && DECODED_CODINGS.has(String(value).trim().toLowerCase())) continue
    out[key] = value
  }
  const exposed = Object.keys(out).filter((k) => !k.startsWith('access-control-'))
  if (exposed.length > 0) out['access-control-expose-headers'] = exposed.join(', ')
  return out
}

/** Preflights are answered here and never use up a recorded answer. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
    'access-control-max-age': '600',
  })
  res.end()
  return true
}

/** A recorded answer served whole: a polling response, or a refusal. */
export function sendAnswer(res: ServerResponse, answer: RecordedAnswer): void {
  const headers = replayedHeaders(answer)
  const bodyless = answer.status === 204 || answer.status === 304 || (answer.status >= 100 && answer.status < 200)
  if (!bodyless) headers['content-length'] = answer.body.length
  res.writeHead(answer.status, answer.statusText, headers)
  res.end(bodyless ? undefined : answer.body)
}

/** Ends the connection as the recording's did: FIN without the body's end, or a TCP reset. */
export function cut(socket: Socket | null | undefined, how: 'fin' | 'reset'): void {
  if (!socket || socket.destroyed) return
  if (how === 'reset') socket.resetAndDestroy()
  else socket.end()
}
