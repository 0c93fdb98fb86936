// The `rti connect` flags → a ConnectionSpec. Only what was typed goes in, so the
// contract's defaults (and each technique's own) apply to the rest; the contract's
// schema then judges every value (connect-issues.ts tells its complaint in terms of
// the flag that carried it).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { ConnectionSpecSchema, OutgoingMessageSchema, urlProblem, type ConnectionSpecInput, type OutgoingMessage, type ProtocolChoice, type TechniqueName } from '../contract/index.js'
import type { ConnectFlags } from './connect-options.js'
import { describeIssue } from './connect-issues.js'
import { usageError } from './errors.js'

export interface BuiltSpec {
  spec: ConnectionSpecInput
  /** What to send once the session (and its protocol) is ready, in the order typed. */
  outgoing: OutgoingMessage[]
  /** Flags that mean nothing for the chosen technique; said once, not fatal. */
  warnings: string[]
}

/** Flags that only one or two techniques read. */
const ONLY_FOR: Partial<Record<keyof ConnectFlags, readonly TechniqueName[]>> = {
  method: ['sse', 'long-polling', 'polling', 'streaming'],
  body: ['sse', 'long-polling', 'polling', 'streaming'],
  bodyFile: ['sse', 'long-polling', 'polling', 'streaming'],
  send: ['websocket'],
  minInterval: ['long-polling'],
  subprotocol: ['websocket'],
  deflate: ['websocket'],
  maxPayload: ['websocket'],
  handshakeTimeout: ['websocket'],
  lastEventId: ['sse'],
  compare: ['sse'],
  cursor: ['long-polling'],
  cursorParam: ['long-polling'],
  messagesPath: ['long-polling', 'polling'],
  requestTimeout: ['long-polling', 'polling'],
  interval: ['polling'],
  jitter: ['polling'],
  conditional: ['polling'],
  framing: ['streaming'],
  delimiter: ['streaming'],
  idleTimeout: ['streaming'],
}
/** Switches whose flag is the --no- form: given when false. */
const NEGATED = new Set<keyof ConnectFlags>(['compare', 'conditional', 'diagnostics'])

const MAX_BODY_BYTES = 16 * 1024 * 1024

/** The connection spec from the flags, or a usage error naming the flag that is wrong. */
export function buildSpec(url: string, flags: ConnectFlags): BuiltSpec {
  const technique = techniqueFor(url, flags.technique, flags.protocol)
  const problem = explainUrlProblem(url, technique)
  if (problem) throw usageError(problem)

  const ms = (flag: string, text: string | undefined) => numberFlag(flag, text)
  const longPolling = technique === 'long-polling'
  const timeouts = { requestTimeoutMs: ms('--request-timeout', flags.requestTimeout), messagesPath: flags.messagesPath }
  const spec = prune({
    technique,
    url,
    headers: (flags.header ?? []).map(parseHeader),
    query: (flags.query ?? []).map(parseQuery),
    method: flags.method?.toUpperCase(),
    body: flags.bodyFile !== undefined ? readBodyFile(flags.bodyFile) : flags.body,
    auth: flags.user !== undefined ? parseUser(flags.user) : flags.bearer !== undefined ? { type: 'bearer', token: flags.bearer } : undefined,
    tls: {
      caFile: readable('--ca', flags.ca),
      certFile: readable('--cert', flags.cert),
      keyFile: readable('--key', flags.key),
      insecure: flags.insecure,
    },
    proxy: flags.systemProxy ? { mode: 'system' } : flags.proxy === false ? { mode: 'none' } : flags.proxy !== undefined ? { mode: 'url', url: flags.proxy } : undefined,
    reconnect: {
      enabled: flags.reconnect,
      initialDelayMs: ms('--reconnect-delay', flags.reconnectDelay),
      maxDelayMs: ms('--reconnect-max-delay', flags.reconnectMaxDelay),
      multiplier: ms('--reconnect-multiplier', flags.reconnectMultiplier),
      jitter: ms('--reconnect-jitter', flags.reconnectJitter),
      maxAttempts: ms('--reconnect-attempts', flags.reconnectAttempts),
    },
    limits: { maxMessageBytes: ms('--max-message-bytes', flags.maxMessageBytes) },
    websocket: {
      subprotocols: flags.subprotocol,
      perMessageDeflate: flags.deflate,
      maxPayload: ms('--max-payload', flags.maxPayload),
      handshakeTimeoutMs: ms('--handshake-timeout', flags.handshakeTimeout),
    },
    sse: { lastEventId: flags.lastEventId, compareWithEventSource: flags.compare === false ? false : undefined },
    longPolling: { cursor: parseCursor(flags.cursor, flags.cursorParam), minIntervalMs: ms('--min-interval', flags.minInterval), ...(longPolling ? timeouts : {}) },
    polling: {
      intervalMs: ms('--interval', flags.interval),
      jitterMs: ms('--jitter', flags.jitter),
      conditional: flags.conditional === false ? false : undefined,
      ...(longPolling ? {} : timeouts),
    },
    streaming: { framing: flags.framing, delimiter: flags.delimiter, idleTimeoutMs: ms('--idle-timeout', flags.idleTimeout) },
    protocol: {
      name: flags.protocol,
      socketio: { namespace: flags.namespace, auth: flags.auth, eio: flags.eio === undefined ? undefined : flags.eio === '3' ? 3 : flags.eio === '4' ? 4 : badEio(flags.eio), upgrade: flags.upgrade === false ? false : undefined },
      graphql: { init: flags.init, operations: subscriptions(flags), singleConnection: flags.singleConnection },
    },
    diagnostics: {
      enabled: flags.diagnostics === false ? false : undefined,
      timestampField: flags.timestampField,
      heartbeatDeadlineMs: ms('--heartbeat-deadline', flags.heartbeatDeadline),
    },
  }) as ConnectionSpecInput
  if (flags.cert !== undefined && flags.key === undefined) throw usageError('--cert needs --key (the client private key) too')
  if (flags.key !== undefined && flags.cert === undefined) throw usageError('--key needs --cert (the client certificate) too')

  const parsed = ConnectionSpecSchema.safeParse(spec)
  if (!parsed.success) throw usageError(describeIssue(parsed.error.issues[0]!, flags, spec))
  return { spec, outgoing: outgoingOf(flags), warnings: [...unusedFlags(flags, technique), ...protocolWarnings(flags)] }
}

function badEio(value: string): never {
  throw usageError(`--eio must be 3 or 4 (got ${JSON.stringify(shorten(value))})`)
}

/** --subscribe (with its --variables and --operation-name) are the GraphQL operations of the spec, subscribed once acknowledged. */
function subscriptions(flags: ConnectFlags) {
  const operations = (flags.outgoing ?? []).filter((item) => item.type === 'subscribe')
  if (operations.length === 0) return undefined
  return operations.map((item) => ({ query: item.query, variables: item.variables, operationName: item.operationName }))
}

/** --send and --emit in the order typed, each checked now rather than after connecting. */
function outgoingOf(flags: ConnectFlags): OutgoingMessage[] {
  const typed = flags.outgoing ?? (flags.send ?? []).map((data) => ({ type: 'text' as const, data }))
  const out: OutgoingMessage[] = []
  for (const item of typed) {
    if (item.type === 'subscribe') continue
    const parsed = OutgoingMessageSchema.safeParse(item)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      const flag = item.type === 'emit' ? `--emit ${item.event}${issue.path[0] === 'args' ? ' --args' : ''}` : '--send'
      throw usageError(`${flag}: ${issue.message}`)
    }
    out.push(parsed.data)
  }
  return out
}

/** Protocol flags given without the protocol that reads them. */
function protocolWarnings(flags: ConnectFlags): string[] {
  const protocol = flags.protocol
  const socketIo = protocol === 'socket.io'
  const graphql = protocol === 'graphql-transport-ws' || protocol === 'graphql-ws' || protocol === 'graphql-sse'
  const warnings: string[] = []
  const given = (list: [string, unknown][], ok: boolean, needs: string) => {
    for (const [flag, value] of list) if (value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0) && !ok) warnings.push(`${flag} is for ${needs}; ignored without it`)
  }
  const emits = (flags.outgoing ?? []).filter((item) => item.type === 'emit')
  const subscribes = (flags.outgoing ?? []).filter((item) => item.type === 'subscribe')
  given([['--namespace', flags.namespace], ['--auth', flags.auth], ['--eio', flags.eio], ['--no-upgrade', flags.upgrade === false ? true : undefined]], socketIo, '--protocol socket.io')
  given([['--init', flags.init]], graphql, '--protocol graphql-transport-ws, graphql-ws or graphql-sse')
  given([['--single-connection', flags.singleConnection]], protocol === 'graphql-sse', '--protocol graphql-sse')
  if (emits.length > 0 && !socketIo) throw usageError('--emit needs --protocol socket.io (it is a Socket.IO event)')
  if (subscribes.length > 0 && !graphql) throw usageError('--subscribe needs a GraphQL protocol: --protocol graphql-transport-ws, graphql-ws or graphql-sse')
  return warnings
}

/**
 * -t when given; websocket for ws(s):// URLs; http(s):// URLs need to say which,
 * unless a protocol implies it (Socket.IO starts with polling, graphql-sse is SSE).
 */
export function techniqueFor(url: string, given: TechniqueName | undefined, protocol?: ProtocolChoice): TechniqueName {
  if (given) return given
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase()
  const http = scheme === 'http' || scheme === 'https'
  if (protocol === 'socket.io') return http ? 'long-polling' : 'websocket'
  if (protocol === 'graphql-sse') return 'sse'
  if ((protocol === 'graphql-transport-ws' || protocol === 'graphql-ws') && http) {
    throw usageError(`--protocol ${protocol} runs over WebSocket: connect to "${shorten(`${scheme === 'https' ? 'wss' : 'ws'}${url.slice(scheme!.length)}`)}"`)
  }
  if (scheme === 'http' || scheme === 'https') {
    const ws = `${scheme === 'https' ? 'wss' : 'ws'}${url.slice(scheme.length)}`
    throw usageError(`${JSON.stringify(shorten(url))} needs a technique: add -t sse|long-polling|polling|streaming (or connect to "${shorten(ws)}" for a WebSocket)`)
  }
  return 'websocket'
}

function unusedFlags(flags: ConnectFlags, technique: TechniqueName): string[] {
  const warnings: string[] = []
  for (const [key, techniques] of Object.entries(ONLY_FOR) as [keyof ConnectFlags, readonly TechniqueName[]][]) {
    const value = flags[key]
    const given = NEGATED.has(key) ? value === false : value !== undefined && !(Array.isArray(value) && value.length === 0)
    // A protocol sends through whatever technique it runs on (Engine.IO polling POSTs).
    if (key === 'send' && flags.protocol !== undefined && flags.protocol !== 'auto' && flags.protocol !== 'none') continue
    if (given && !techniques.includes(technique)) warnings.push(`${flagName(key)} is for ${techniques.join(' and ')}; ignored with -t ${technique}`)
  }
  return warnings
}

const flagName = (key: string) => `--${NEGATED.has(key as keyof ConnectFlags) ? 'no-' : ''}${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`

/** A number as typed, or a usage error; the schema judges its range. */
function numberFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim())) throw usageError(`${flag} must be a number (got ${JSON.stringify(shorten(text))})`)
  return Number(text)
}

/** "Name: value" → a header; the value may be empty, the name may not. */
export function parseHeader(text: string): { name: string; value: string } {
  const colon = text.indexOf(':')
  const name = colon > 0 ? text.slice(0, colon).trim() : ''
  if (!name) throw usageError(`--header ${JSON.stringify(text)} is not of the form "Name: value"`)
  return { name, value: text.slice(colon + 1).trim() }
}

function parseQuery(text: string): { name: string; value: string } {
  const equals = text.indexOf('=')
  if (equals <= 0) throw usageError(`--query ${JSON.stringify(shorten(text))} is not of the form name=value`)
  return { name: text.slice(0, equals), value: text.slice(equals + 1) }
}

function parseUser(text: string): ConnectionSpecInput['auth'] {
  const colon = text.indexOf(':')
  if (colon < 0) throw usageError('--user must be user:password (an empty password is "user:")')
  return { type: 'basic', username: text.slice(0, colon), password: text.slice(colon + 1) }
}

function parseCursor(text: string | undefined, param: string | undefined) {
  if (text === undefined) return param !== undefined ? { param } : undefined
  const match = /^(header|json|query):(.+)$/.exec(text.trim())
  if (text.trim() === 'none') return { from: 'none' as const, param }
  if (!match) throw usageError(`--cursor must be header:NAME, json:PATH, query:HEADER or none (got ${JSON.stringify(shorten(text))})`)
  return { from: match[1] as 'header' | 'json' | 'query', name: match[2], param }
}

/** A file rti will need to read: said now, not after a connection attempt. */
function readable(flag: string, path: string | undefined): string | undefined {
  if (path === undefined) return undefined
  try {
    closeSync(openSync(path, 'r'))
  } catch (error) {
    throw usageError(`${flag} ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  return path
}

/** The body, read with a bound even from a pipe or a device that reports no size. */
function readBodyFile(path: string): string {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    throw usageError(`--body-file ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  try {
    if (fstatSync(fd).isDirectory()) throw usageError(`--body-file ${path} is a directory`)
    const buffer = Buffer.alloc(Math.min(MAX_BODY_BYTES + 1, Math.max(fstatSync(fd).size + 1, 64 * 1024)))
    let length = 0
    for (;;) {
      if (length === buffer.length) break
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) break
      length += n
    }
    if (length > MAX_BODY_BYTES) throw usageError(`--body-file ${path} is larger than 16 MiB, the most a request body can be`)
    return buffer.toString('utf8', 0, length)
  } finally {
    closeSync(fd)
  }
}

/** Why `url` cannot be used, with a guess at what was meant; undefined when it can. */
export function explainUrlProblem(url: string, technique: TechniqueName): string | undefined {
  const problem = urlProblem(url, technique)
  if (!problem) return undefined
  const shown = JSON.stringify(shorten(url))
  const schemes = technique === 'websocket' ? 'ws:// or wss://' : 'http:// or https://'
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase()
  if (!scheme) return `${shown} is not a valid URL for ${technique} (needs ${schemes}; did you mean "${technique === 'websocket' ? 'ws' : 'http'}://${url}"?)`
  const wanted = technique === 'websocket' ? { http: 'ws', https: 'wss' }[scheme] : { ws: 'http', wss: 'https' }[scheme]
  if (wanted) return `${shown} is not a valid URL for ${technique} (needs ${schemes}; did you mean "${wanted}${url.slice(scheme.length)}"?)`
  if (problem.startsWith('"')) return problem
  if (problem.includes(' needs a ')) return `${shown} is not a valid URL for ${technique} (needs ${schemes})`
  return `${shown}: ${problem}`
}

const shorten = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text)

/** Drops undefined fields and emptied blocks, so the schema's defaults fill them. */
function prune(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const inner = prune(item as Record<string, unknown>)
      if (Object.keys(inner).length > 0) out[key] = inner
    } else out[key] = item
  }
  return out
}
