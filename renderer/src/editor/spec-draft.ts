// The connection editor's form state: a ConnectionSpec as a person types it. Numbers
// stay text until checked (so "12x" can be explained instead of becoming NaN), an
// empty field means "the default" (shown as the placeholder), and header/query rows
// carry a key so a list can be edited without inputs swapping places.
import { ConnectionSpecSchema, type ConnectionSpec, type ConnectionSpecInput, type PlaygroundEndpoint, type TechniqueName } from '@contract'
import { addProtocolBlock, protocolDraftFromSpec, type ProtocolDraft } from './protocol-draft'

export type HttpMethod = ConnectionSpec['method']
export type AuthType = ConnectionSpec['auth']['type']
export type ProxyMode = ConnectionSpec['proxy']['mode']
export type CursorFrom = ConnectionSpec['longPolling']['cursor']['from']
export type Framing = ConnectionSpec['streaming']['framing']
/** `auto`: the technique's nature decides (SSE and the polls reconnect, the others do not). */
export type ReconnectChoice = 'auto' | 'on' | 'off'

export interface KeyValueRow {
  key: number
  name: string
  value: string
}

export interface SpecDraft {
  technique: TechniqueName
  url: string
  headers: KeyValueRow[]
  query: KeyValueRow[]
  method: HttpMethod
  body: string
  auth: { type: AuthType; username: string; password: string; token: string }
  tls: { caFile: string; certFile: string; keyFile: string; insecure: boolean }
  proxy: { mode: ProxyMode; url: string }
  reconnect: { enabled: ReconnectChoice; initialDelayMs: string; maxDelayMs: string; multiplier: string; jitter: string; maxAttempts: string }
  limits: { maxMessageBytes: string }
  /** Recording is on unless switched off; maxBytes caps the file. */
  record: { enabled: boolean; maxBytes: string }
  /** The passive detectors: on unless switched off; where the payload's send time is; a silence deadline. */
  diagnostics: { enabled: boolean; timestampField: string; heartbeatDeadlineMs: string }
  websocket: { subprotocols: string; perMessageDeflate: boolean; maxPayload: string; handshakeTimeoutMs: string }
  sse: { lastEventId: string; compareWithEventSource: boolean }
  longPolling: { cursor: { from: CursorFrom; name: string; param: string }; requestTimeoutMs: string; messagesPath: string; minIntervalMs: string }
  polling: { intervalMs: string; jitterMs: string; conditional: boolean; requestTimeoutMs: string; messagesPath: string }
  streaming: { framing: Framing; delimiter: string; idleTimeoutMs: string }
  /** The protocol on top of the technique (editor-side in protocol-draft.ts). */
  protocol: ProtocolDraft
}

/** Every default, as the engine itself would fill them in. */
export const SPEC_DEFAULTS: ConnectionSpec = ConnectionSpecSchema.parse({ technique: 'websocket', url: 'ws://localhost/' })

/** Request method and body are for the HTTP techniques; a WebSocket handshake is always GET. */
export const hasRequestBody = (technique: TechniqueName): boolean => technique !== 'websocket'

let nextRowKey = 1
export function newRow(name = '', value = ''): KeyValueRow {
  return { key: nextRowKey++, name, value }
}

/** An empty text for a value equal to its default, so the field shows the default as its placeholder. */
function text(value: number | string | undefined, fallback: number | string | undefined): string {
  return value === undefined || value === fallback ? '' : String(value)
}

export function emptyDraft(technique: TechniqueName = 'websocket', url = ''): SpecDraft {
  return draftFromSpec({ ...SPEC_DEFAULTS, technique, url })
}

/**
 * The form for one of the playground's endpoints. A stream's `format` query says how
 * it is framed (its description says so too), and a protocol example names its
 * protocol, so the example works as picked.
 */
export function draftForEndpoint(endpoint: PlaygroundEndpoint): SpecDraft {
  const draft = emptyDraft(endpoint.technique, endpoint.url)
  // A protocol example is driven by its protocol, so it can emit and subscribe as picked.
  if (endpoint.protocol) draft.protocol.name = endpoint.protocol
  // A long-poll example follows its cursor: asked again from it, the feed holds instead of answering at once.
  if (endpoint.longPolling) {
    draft.longPolling.cursor = { ...endpoint.longPolling.cursor }
    draft.longPolling.messagesPath = endpoint.longPolling.messagesPath
  }
  if (endpoint.technique !== 'streaming') return draft
  const format = URL.canParse(endpoint.url) ? new URL(endpoint.url).searchParams.get('format') : null
  if (format === 'script') draft.streaming.framing = 'script'
  if (format === 'delimiter') {
    draft.streaming.framing = 'delimiter'
    draft.streaming.delimiter = '\\x1e'
  }
  return draft
}

/** The form for a spec (a saved connection's, which has every default filled in). */
export function draftFromSpec(spec: ConnectionSpec): SpecDraft {
  const d = SPEC_DEFAULTS
  const auth = spec.auth
  return {
    technique: spec.technique,
    url: spec.url,
    headers: spec.headers.map((h) => newRow(h.name, h.value)),
    query: spec.query.map((q) => newRow(q.name, q.value)),
    method: spec.method,
    body: spec.body ?? '',
    auth: {
      type: auth.type,
      username: auth.type === 'basic' ? auth.username : '',
      password: auth.type === 'basic' ? auth.password : '',
      token: auth.type === 'bearer' ? auth.token : '',
    },
    tls: { caFile: spec.tls.caFile ?? '', certFile: spec.tls.certFile ?? '', keyFile: spec.tls.keyFile ?? '', insecure: spec.tls.insecure },
    proxy: { mode: spec.proxy.mode, url: spec.proxy.url ?? '' },
    reconnect: {
      enabled: spec.reconnect.enabled === undefined ? 'auto' : spec.reconnect.enabled ? 'on' : 'off',
      initialDelayMs: text(spec.reconnect.initialDelayMs, undefined),
      maxDelayMs: text(spec.reconnect.maxDelayMs, d.reconnect.maxDelayMs),
      multiplier: text(spec.reconnect.multiplier, d.reconnect.multiplier),
      jitter: text(spec.reconnect.jitter, d.reconnect.jitter),
      maxAttempts: text(spec.reconnect.maxAttempts, d.reconnect.maxAttempts),
    },
    limits: { maxMessageBytes: text(spec.limits.maxMessageBytes, d.limits.maxMessageBytes) },
    record: { enabled: spec.record?.enabled ?? true, maxBytes: text(spec.record?.maxBytes, undefined) },
    diagnostics: {
      enabled: spec.diagnostics?.enabled ?? true,
      timestampField: spec.diagnostics?.timestampField ?? '',
      heartbeatDeadlineMs: spec.diagnostics?.heartbeatDeadlineMs ? String(spec.diagnostics.heartbeatDeadlineMs) : '',
    },
    websocket: {
      subprotocols: spec.websocket.subprotocols.join(', '),
      perMessageDeflate: spec.websocket.perMessageDeflate,
      maxPayload: text(spec.websocket.maxPayload, d.websocket.maxPayload),
      handshakeTimeoutMs: text(spec.websocket.handshakeTimeoutMs, d.websocket.handshakeTimeoutMs),
    },
    sse: { lastEventId: spec.sse.lastEventId ?? '', compareWithEventSource: spec.sse.compareWithEventSource },
    longPolling: {
      cursor: {
        from: spec.longPolling.cursor.from,
        name: spec.longPolling.cursor.name,
        param: text(spec.longPolling.cursor.param, d.longPolling.cursor.param),
      },
      requestTimeoutMs: text(spec.longPolling.requestTimeoutMs, d.longPolling.requestTimeoutMs),
      messagesPath: spec.longPolling.messagesPath,
      minIntervalMs: text(spec.longPolling.minIntervalMs, d.longPolling.minIntervalMs),
    },
    polling: {
      intervalMs: text(spec.polling.intervalMs, d.polling.intervalMs),
      jitterMs: text(spec.polling.jitterMs, d.polling.jitterMs),
      conditional: spec.polling.conditional,
      requestTimeoutMs: text(spec.polling.requestTimeoutMs, d.polling.requestTimeoutMs),
      messagesPath: spec.polling.messagesPath,
    },
    streaming: {
      framing: spec.streaming.framing,
      delimiter: text(spec.streaming.delimiter, d.streaming.delimiter),
      idleTimeoutMs: text(spec.streaming.idleTimeoutMs, d.streaming.idleTimeoutMs),
    },
    protocol: protocolDraftFromSpec(spec.protocol),
  }
}

/** Field keys (dot paths, header/query rows by their row key) to messages. */
export type FieldIssues = Record<string, string>

export interface DraftInput {
  /** The spec as the schema takes it: only what differs from the defaults, only the chosen technique's block. */
  input: ConnectionSpecInput
  /** Problems found before the schema sees anything (text that is not a number). */
  issues: FieldIssues
  /** For each header/query entry in `input`, the key of the row it came from (empty rows are left out). */
  rowKeys: { headers: number[]; query: number[]; operations: number[] }
}

/** A number typed as text: blank is "the default" (undefined); anything else must be a finite number. */
function readNumber(value: string, field: string, issues: FieldIssues): number | undefined {
  const trimmed = value.trim()
  if (trimmed === '') return undefined
  const parsed = Number(trimmed)
  if (!Number.isFinite(parsed)) {
    issues[field] = `"${trimmed.slice(0, 40)}" is not a number`
    return undefined
  }
  return parsed
}

/** Sets `key` on `target` only when the value is given, so absent fields keep their defaults. */
function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value
}

const nonEmpty = (value: string): string | undefined => (value === '' ? undefined : value)
const hasKeys = (value: object): boolean => Object.keys(value).length > 0

function rows(list: KeyValueRow[], keys: number[]): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = []
  for (const row of list) {
    // A row left entirely blank (just added) is not a header yet, and not an error either.
    if (row.name === '' && row.value === '') continue
    out.push({ name: row.name, value: row.value })
    keys.push(row.key)
  }
  return out
}

/** The spec input the draft stands for, minimal: the engine fills in every default itself. */
export function draftToInput(draft: SpecDraft): DraftInput {
  const issues: FieldIssues = {}
  const rowKeys = { headers: [] as number[], query: [] as number[], operations: [] as number[] }
  const input: ConnectionSpecInput = { technique: draft.technique, url: draft.url.trim() }
  const n = (value: string, field: string) => readNumber(value, field, issues)

  const headers = rows(draft.headers, rowKeys.headers)
  if (headers.length) input.headers = headers
  const query = rows(draft.query, rowKeys.query)
  if (query.length) input.query = query

  if (hasRequestBody(draft.technique) && draft.method !== 'GET') {
    input.method = draft.method
    put(input, 'body', nonEmpty(draft.body))
  }

  const auth = draft.auth
  if (auth.type === 'basic') input.auth = { type: 'basic', username: auth.username, password: auth.password }
  else if (auth.type === 'bearer') input.auth = { type: 'bearer', token: auth.token.trim() }

  const tls: NonNullable<ConnectionSpecInput['tls']> = {}
  put(tls, 'caFile', nonEmpty(draft.tls.caFile.trim()))
  put(tls, 'certFile', nonEmpty(draft.tls.certFile.trim()))
  put(tls, 'keyFile', nonEmpty(draft.tls.keyFile.trim()))
  if (draft.tls.insecure) tls.insecure = true
  if (hasKeys(tls)) input.tls = tls

  if (draft.proxy.mode === 'url') input.proxy = { mode: 'url', url: draft.proxy.url.trim() }
  else if (draft.proxy.mode !== SPEC_DEFAULTS.proxy.mode) input.proxy = { mode: draft.proxy.mode }

  const r = draft.reconnect
  const reconnect: NonNullable<ConnectionSpecInput['reconnect']> = {}
  if (r.enabled !== 'auto') reconnect.enabled = r.enabled === 'on'
  put(reconnect, 'initialDelayMs', n(r.initialDelayMs, 'reconnect.initialDelayMs'))
  put(reconnect, 'maxDelayMs', n(r.maxDelayMs, 'reconnect.maxDelayMs'))
  put(reconnect, 'multiplier', n(r.multiplier, 'reconnect.multiplier'))
  put(reconnect, 'jitter', n(r.jitter, 'reconnect.jitter'))
  put(reconnect, 'maxAttempts', n(r.maxAttempts, 'reconnect.maxAttempts'))
  if (hasKeys(reconnect)) input.reconnect = reconnect

  const maxMessageBytes = n(draft.limits.maxMessageBytes, 'limits.maxMessageBytes')
  if (maxMessageBytes !== undefined) input.limits = { maxMessageBytes }

  const record: NonNullable<ConnectionSpecInput['record']> = {}
  if (!draft.record.enabled) record.enabled = false
  put(record, 'maxBytes', n(draft.record.maxBytes, 'record.maxBytes'))
  if (hasKeys(record)) input.record = record

  const diagnostics: NonNullable<ConnectionSpecInput['diagnostics']> = {}
  if (!draft.diagnostics.enabled) diagnostics.enabled = false
  put(diagnostics, 'timestampField', nonEmpty(draft.diagnostics.timestampField.trim()))
  put(diagnostics, 'heartbeatDeadlineMs', n(draft.diagnostics.heartbeatDeadlineMs, 'diagnostics.heartbeatDeadlineMs') || undefined)
  if (hasKeys(diagnostics)) input.diagnostics = diagnostics

  addTechniqueBlock(draft, input, n)
  rowKeys.operations = addProtocolBlock(draft.protocol, draft.technique, input, issues)
  return { input, issues, rowKeys }
}

type ReadNumber = (value: string, field: string) => number | undefined

function addTechniqueBlock(draft: SpecDraft, input: ConnectionSpecInput, n: ReadNumber): void {
  switch (draft.technique) {
    case 'websocket': {
      const w = draft.websocket
      const block: NonNullable<ConnectionSpecInput['websocket']> = {}
      const subprotocols = w.subprotocols.split(',').map((s) => s.trim()).filter(Boolean)
      if (subprotocols.length) block.subprotocols = subprotocols
      if (w.perMessageDeflate) block.perMessageDeflate = true
      put(block, 'maxPayload', n(w.maxPayload, 'websocket.maxPayload'))
      put(block, 'handshakeTimeoutMs', n(w.handshakeTimeoutMs, 'websocket.handshakeTimeoutMs'))
      if (hasKeys(block)) input.websocket = block
      return
    }
    case 'sse': {
      const block: NonNullable<ConnectionSpecInput['sse']> = {}
      put(block, 'lastEventId', nonEmpty(draft.sse.lastEventId))
      if (!draft.sse.compareWithEventSource) block.compareWithEventSource = false
      if (hasKeys(block)) input.sse = block
      return
    }
    case 'long-polling': {
      const l = draft.longPolling
      const block: NonNullable<ConnectionSpecInput['longPolling']> = {}
      if (l.cursor.from !== 'none') {
        const cursor: NonNullable<typeof block.cursor> = { from: l.cursor.from, name: l.cursor.name.trim() }
        put(cursor, 'param', nonEmpty(l.cursor.param.trim()))
        block.cursor = cursor
      }
      put(block, 'requestTimeoutMs', n(l.requestTimeoutMs, 'longPolling.requestTimeoutMs'))
      put(block, 'messagesPath', nonEmpty(l.messagesPath.trim()))
      put(block, 'minIntervalMs', n(l.minIntervalMs, 'longPolling.minIntervalMs'))
      if (hasKeys(block)) input.longPolling = block
      return
    }
    case 'polling': {
      const p = draft.polling
      const block: NonNullable<ConnectionSpecInput['polling']> = {}
      put(block, 'intervalMs', n(p.intervalMs, 'polling.intervalMs'))
      put(block, 'jitterMs', n(p.jitterMs, 'polling.jitterMs'))
      if (!p.conditional) block.conditional = false
      put(block, 'requestTimeoutMs', n(p.requestTimeoutMs, 'polling.requestTimeoutMs'))
      put(block, 'messagesPath', nonEmpty(p.messagesPath.trim()))
      if (hasKeys(block)) input.polling = block
      return
    }
    case 'streaming': {
      const s = draft.streaming
      const block: NonNullable<ConnectionSpecInput['streaming']> = {}
      if (s.framing !== SPEC_DEFAULTS.streaming.framing) block.framing = s.framing
      if (s.framing === 'delimiter') put(block, 'delimiter', nonEmpty(s.delimiter))
      put(block, 'idleTimeoutMs', n(s.idleTimeoutMs, 'streaming.idleTimeoutMs'))
      if (hasKeys(block)) input.streaming = block
      return
    }
  }
}
