// The contract's complaint about a spec, told in terms of the `rti connect` flag that
// carried the value: `--reconnect-jitter must be between 0 and 1 (got 2)`.
import { ConnectionSpecSchema, type ConnectionSpecInput } from '../contract/index.js'
import type { ConnectFlags } from './connect-options.js'

/** The flag behind each leaf of the spec, for messages (a test keeps it complete). */
export const SPEC_FLAGS: Record<string, string> = {
  url: 'the URL',
  headers: '--header',
  query: '--query',
  method: '--method',
  body: '--body',
  'auth.type': '--user',
  'auth.username': '--user',
  'auth.password': '--user',
  'auth.token': '--bearer',
  'tls.caFile': '--ca',
  'tls.certFile': '--cert',
  'tls.keyFile': '--key',
  'tls.insecure': '--insecure',
  'proxy.mode': '--proxy',
  'proxy.url': '--proxy',
  'reconnect.enabled': '--reconnect',
  'reconnect.initialDelayMs': '--reconnect-delay',
  'reconnect.maxDelayMs': '--reconnect-max-delay',
  'reconnect.multiplier': '--reconnect-multiplier',
  'reconnect.jitter': '--reconnect-jitter',
  'reconnect.maxAttempts': '--reconnect-attempts',
  'limits.maxMessageBytes': '--max-message-bytes',
  'websocket.subprotocols': '--subprotocol',
  'websocket.perMessageDeflate': '--deflate',
  'websocket.maxPayload': '--max-payload',
  'websocket.handshakeTimeoutMs': '--handshake-timeout',
  'sse.lastEventId': '--last-event-id',
  'sse.compareWithEventSource': '--no-compare',
  'diagnostics.enabled': '--no-diagnostics',
  'diagnostics.timestampField': '--timestamp-field',
  'diagnostics.heartbeatDeadlineMs': '--heartbeat-deadline',
  'longPolling.cursor.from': '--cursor',
  'longPolling.cursor.name': '--cursor',
  'longPolling.cursor.param': '--cursor-param',
  'longPolling.requestTimeoutMs': '--request-timeout',
  'longPolling.messagesPath': '--messages-path',
  'longPolling.minIntervalMs': '--min-interval',
  'protocol.name': '--protocol',
  'protocol.socketio.namespace': '--namespace',
  'protocol.socketio.auth': '--auth',
  'protocol.socketio.eio': '--eio',
  'protocol.socketio.upgrade': '--no-upgrade',
  'protocol.graphql.init': '--init',
  'protocol.graphql.operations': '--subscribe',
  'protocol.graphql.singleConnection': '--single-connection',
  'polling.intervalMs': '--interval',
  'polling.jitterMs': '--jitter',
  'polling.conditional': '--no-conditional',
  'polling.requestTimeoutMs': '--request-timeout',
  'polling.messagesPath': '--messages-path',
  'streaming.framing': '--framing',
  'streaming.delimiter': '--delimiter',
  'streaming.idleTimeoutMs': '--idle-timeout',
}

/** One zod issue, told in terms of the flag that carried the value. */
export function describeIssue(issue: ZodIssueLike, flags: ConnectFlags, spec: ConnectionSpecInput): string {
  const path = issue.path.filter((p) => typeof p === 'string').join('.')
  const flag = flagFor(issue.path, flags)
  const value = valueAt(spec, issue.path)
  const got = typeof value === 'number' || typeof value === 'string' ? ` (got ${JSON.stringify(typeof value === 'string' ? shorten(value) : value)})` : ''
  switch (issue.code) {
    case 'too_small':
    case 'too_big': {
      if (issue.origin === 'number' || issue.origin === 'int') {
        const { min, max } = numberBounds(path)
        if (min !== undefined && max !== undefined) return `${flag} must be between ${min} and ${max}${got}`
        return issue.code === 'too_small' ? `${flag} must be at least ${issue.minimum}${got}` : `${flag} must be at most ${issue.maximum}${got}`
      }
      if (issue.origin === 'array') return `${flag} is given too many times (at most ${issue.maximum})`
      if (issue.code === 'too_small') return `${flag} cannot be empty`
      return `${flag} is too long (at most ${issue.maximum} characters)`
    }
    case 'invalid_type':
      if (issue.expected === 'int') return `${flag} must be a whole number${got}`
      return `${flag}: ${issue.message}`
    case 'invalid_value':
      return `${flag} must be one of ${(issue.values ?? []).join(', ')}${got}`
    case 'invalid_format':
      if (issue.message.startsWith('Invalid')) return `${flag} cannot contain line breaks or NUL characters`
      return `${flag}: ${issue.message}`
    default:
      return `${flag}: ${issue.message}`
  }
}

interface ZodIssueLike {
  code: string
  path: PropertyKey[]
  message: string
  origin?: string
  minimum?: unknown
  maximum?: unknown
  expected?: string
  values?: unknown[]
}

function valueAt(spec: unknown, path: PropertyKey[]): unknown {
  let value = spec
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined
  return value
}

function flagFor(path: PropertyKey[], flags: ConnectFlags): string {
  const [top, second, third] = path
  if (top === 'headers' && typeof second === 'number') return `--header ${JSON.stringify(flags.header?.[second])}`
  if (top === 'query' && typeof second === 'number') return `--query ${JSON.stringify(flags.query?.[second])}`
  if (top === 'websocket' && second === 'subprotocols' && typeof third === 'number') return `--subprotocol ${JSON.stringify(flags.subprotocol?.[third])}`
  if (top === 'body' && flags.bodyFile !== undefined) return '--body-file'
  const key = path.filter((p) => typeof p === 'string').join('.')
  return SPEC_FLAGS[key] ?? (key || 'connection')
}

interface SchemaNode {
  _zod: { def: { type: string; shape?: Record<string, SchemaNode>; innerType?: SchemaNode } }
  minValue?: number | null
  maxValue?: number | null
}

/** A number field's bounds, read from the contract's schema so they are said as it says them. */
function numberBounds(path: string): { min?: number; max?: number } {
  let node: SchemaNode | undefined = ConnectionSpecSchema as unknown as SchemaNode
  for (const key of path.split('.')) {
    node = unwrap(node)?._zod.def.shape?.[key]
    if (!node) return {}
  }
  node = unwrap(node)
  return { ...(typeof node?.minValue === 'number' ? { min: node.minValue } : {}), ...(typeof node?.maxValue === 'number' ? { max: node.maxValue } : {}) }
}

function unwrap(node: SchemaNode | undefined): SchemaNode | undefined {
  while (node && ['default', 'prefault', 'optional', 'nullable'].includes(node._zod.def.type)) node = node._zod.def.innerType
  return node
}

const shorten = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text)
