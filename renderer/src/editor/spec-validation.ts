// Checks a draft with the engine's own schema (ConnectionSpecSchema) and files each
// problem under the field it belongs to, so the editor can show it right there.
import { ConnectionSpecSchema, urlProblem, type ConnectionSpecInput } from '@contract'
import { protocolField } from './protocol-draft'
import { draftToInput, type FieldIssues, type SpecDraft } from './spec-draft'

export interface DraftCheck {
  /** What to send (and save) when `valid`. */
  input: ConnectionSpecInput
  issues: FieldIssues
  valid: boolean
}

const count = (value: unknown): string => (typeof value === 'number' || typeof value === 'bigint' ? value.toLocaleString('en-US') : String(value))

interface RawIssue {
  code?: string
  origin?: string
  expected?: string
  received?: string
  minimum?: unknown
  maximum?: unknown
  inclusive?: boolean
}

/**
 * Plain words for zod's generic messages; messages written in the schema itself
 * (e.g. "not a valid header name") take precedence over these.
 */
function friendlyMessage(issue: RawIssue): string | undefined {
  const { code, origin } = issue
  if (code === 'too_small') {
    if (origin === 'string') return issue.minimum === 1 ? 'cannot be empty' : `at least ${count(issue.minimum)} characters`
    if (origin === 'array') return `at least ${count(issue.minimum)} entries`
    return `${issue.inclusive === false ? 'more than' : 'at least'} ${count(issue.minimum)}`
  }
  if (code === 'too_big') {
    if (origin === 'string') return `at most ${count(issue.maximum)} characters`
    if (origin === 'array') return `at most ${count(issue.maximum)} entries`
    return `${issue.inclusive === false ? 'less than' : 'at most'} ${count(issue.maximum)}`
  }
  if (code === 'invalid_type' && issue.expected === 'int') return 'a whole number, please'
  if (code === 'invalid_type' && issue.received === 'NaN') return 'not a number'
  if (code === 'invalid_format') return 'has characters that are not allowed here'
  return undefined
}

/** The editor field an issue path points at. */
function fieldFor(path: readonly PropertyKey[], rowKeys: { headers: number[]; query: number[]; operations: number[] }): string {
  const [head, index, ...rest] = path
  if ((head === 'headers' || head === 'query') && typeof index === 'number') {
    const key = rowKeys[head][index]
    return key === undefined ? head : [head, key, ...rest].join('.')
  }
  if (head === 'protocol') return protocolField(path, rowKeys.operations)
  // One text field holds every subprotocol.
  if (head === 'websocket' && index === 'subprotocols') return 'websocket.subprotocols'
  return path.map(String).join('.')
}

export function checkDraft(draft: SpecDraft): DraftCheck {
  const { input, issues, rowKeys } = draftToInput(draft)
  const result = ConnectionSpecSchema.safeParse(input, { error: (issue) => friendlyMessage(issue as RawIssue) })
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = fieldFor(issue.path, rowKeys)
      let message = issue.message
      if (field === 'websocket.subprotocols') message = `"${String(input.websocket?.subprotocols?.[Number(issue.path[2])] ?? '')}" is ${message}`
      issues[field] ??= message
    }
  }
  // The schema checks the URL only once everything else passes; the user wants to know now.
  if (input.url === '') issues.url = 'enter the endpoint URL'
  else issues.url ??= urlProblem(input.url, input.technique) as string
  if (issues.url === undefined) delete issues.url
  return { input, issues, valid: Object.keys(issues).length === 0 }
}

/** Which part of the editor shows a field: the bar (URL) or one of the editor's tabs. */
export type EditorTab = 'technique' | 'protocol' | 'headers' | 'query' | 'body' | 'auth' | 'network' | 'reconnect'

export function tabOf(field: string): EditorTab | 'bar' {
  const head = field.split('.')[0]
  switch (head) {
    case 'url':
    case 'technique':
      return 'bar'
    case 'headers':
    case 'query':
      return head
    case 'method':
    case 'body':
      return 'body'
    case 'auth':
      return 'auth'
    case 'tls':
    case 'proxy':
      return 'network'
    case 'reconnect':
    case 'limits':
      return 'reconnect'
    case 'protocol':
      return 'protocol'
    default:
      return 'technique'
  }
}

const LABELS: Record<string, string> = {
  url: 'URL',
  body: 'Request body',
  'auth.username': 'User name',
  'auth.password': 'Password',
  'auth.token': 'Bearer token',
  'tls.caFile': 'CA file',
  'tls.certFile': 'Client certificate',
  'tls.keyFile': 'Client key',
  'proxy.url': 'Proxy URL',
  'reconnect.initialDelayMs': 'First delay',
  'reconnect.maxDelayMs': 'Longest delay',
  'reconnect.multiplier': 'Multiplier',
  'reconnect.jitter': 'Jitter',
  'reconnect.maxAttempts': 'Attempts',
  'limits.maxMessageBytes': 'Largest message',
  'record.maxBytes': 'Recording size cap',
  'diagnostics.timestampField': 'Server time field',
  'diagnostics.heartbeatDeadlineMs': 'Silence deadline',
  'websocket.subprotocols': 'Subprotocols',
  'websocket.maxPayload': 'Max payload',
  'websocket.handshakeTimeoutMs': 'Handshake timeout',
  'sse.lastEventId': 'Last-Event-ID',
  'longPolling.cursor.name': 'Cursor name',
  'longPolling.cursor.param': 'Cursor parameter',
  'longPolling.requestTimeoutMs': 'Request timeout',
  'longPolling.minIntervalMs': 'Min interval',
  'longPolling.messagesPath': 'Messages path',
  'polling.intervalMs': 'Interval',
  'polling.jitterMs': 'Jitter',
  'polling.requestTimeoutMs': 'Request timeout',
  'polling.messagesPath': 'Messages path',
  'streaming.delimiter': 'Delimiter',
  'streaming.idleTimeoutMs': 'Idle timeout',
  'protocol.name': 'Protocol',
  'protocol.socketio.namespace': 'Namespace',
  'protocol.socketio.auth': 'Auth payload',
  'protocol.graphql.init': 'Init payload',
}

/** A short name for a field, for the one-line reason beside Connect. */
export function fieldLabel(field: string, draft: SpecDraft): string {
  const [head, key, part] = field.split('.')
  if (head === 'protocol' && key === 'graphql' && part === 'operations') {
    const [, , , rowKey, leaf] = field.split('.')
    const index = draft.protocol.graphql.operations.findIndex((row) => String(row.key) === rowKey)
    return `Operation ${index + 1}${leaf ? ` ${leaf === 'operationName' ? 'name' : leaf}` : ''}`
  }
  if (head === 'headers' || head === 'query') {
    const index = draft[head].findIndex((row) => String(row.key) === key)
    const noun = head === 'headers' ? 'Header' : 'Query parameter'
    return index < 0 ? (head === 'headers' ? 'Headers' : 'Query') : `${noun} ${index + 1}${part ? ` ${part}` : ''}`
  }
  return LABELS[field] ?? field
}
