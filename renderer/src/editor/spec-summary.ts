// A one-line account of the options that differ from the defaults ("2 headers · bearer
// · proxy"), shown beside the Options toggle so a closed editor hides nothing.
import { PROTOCOL_SHORT } from './protocol-draft'
import type { SpecDraft } from './spec-draft'
import { draftToInput, hasRequestBody } from './spec-draft'

const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`

export function summarizeDraft(draft: SpecDraft): string[] {
  const { input } = draftToInput(draft)
  const parts: string[] = []
  if (input.protocol?.name) parts.push(PROTOCOL_SHORT[input.protocol.name])
  if (input.headers?.length) parts.push(plural(input.headers.length, 'header'))
  if (input.query?.length) parts.push(plural(input.query.length, 'query param'))
  if (hasRequestBody(draft.technique) && input.method) parts.push(input.body ? `${input.method} + body` : input.method)
  if (input.auth) parts.push(input.auth.type)
  if (input.tls?.insecure) parts.push('TLS unverified')
  if (input.tls?.caFile || input.tls?.certFile) parts.push(input.tls.certFile ? 'client cert' : 'custom CA')
  if (input.proxy) parts.push(input.proxy.mode === 'url' ? 'proxy' : input.proxy.mode === 'none' ? 'no proxy' : 'system proxy')
  const r = input.reconnect
  if (r?.enabled === false) parts.push('no reconnect')
  else if (r?.enabled === true) parts.push('reconnect')
  else if (r && Object.keys(r).length) parts.push('backoff')
  if (input.limits) parts.push('size limit')
  if (input.record?.enabled === false) parts.push('not recorded')
  else if (input.record?.maxBytes) parts.push('recording capped')
  if (input.diagnostics?.enabled === false) parts.push('no diagnostics')
  if (input.websocket?.subprotocols?.length) parts.push(input.websocket.subprotocols.join(', '))
  if (input.websocket?.perMessageDeflate) parts.push('deflate')
  if (input.websocket?.maxPayload !== undefined || input.websocket?.handshakeTimeoutMs !== undefined) parts.push('ws limits')
  if (input.sse?.lastEventId) parts.push('Last-Event-ID')
  if (input.sse?.compareWithEventSource === false) parts.push('no reference')
  if (input.longPolling?.cursor) parts.push(`cursor from ${input.longPolling.cursor.from}`)
  if (input.longPolling?.messagesPath || input.polling?.messagesPath) parts.push('messages path')
  if (input.longPolling?.requestTimeoutMs !== undefined || input.polling?.requestTimeoutMs !== undefined) parts.push('timeout')
  if (input.polling?.intervalMs !== undefined) parts.push(`every ${input.polling.intervalMs} ms`)
  if (input.polling?.jitterMs !== undefined) parts.push('jitter')
  if (input.polling?.conditional === false) parts.push('unconditional')
  if (input.streaming?.framing) parts.push(`${input.streaming.framing} framing`)
  if (input.streaming?.idleTimeoutMs !== undefined) parts.push('idle timeout')
  return parts
}
