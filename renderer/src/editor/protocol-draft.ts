// The editor's Protocol section as a person types it: which protocol the session
// speaks on top of its technique (docs/architecture.md, "Protocols") and that
// protocol's options. JSON payloads stay text and are checked here, so a bad one is
// explained with its line and column beside its field. Operation rows carry a key so
// a list can be edited without inputs swapping places.
import type { ConnectionSpec, ConnectionSpecInput, ProtocolChoice, TechniqueName } from '@contract'
import { jsonProblem } from '../composer/payload'

export interface OperationRow {
  key: number
  query: string
  variables: string
  operationName: string
}

export interface ProtocolDraft {
  name: ProtocolChoice
  socketio: { namespace: string; auth: string; eio: 3 | 4; upgrade: boolean }
  graphql: { init: string; operations: OperationRow[]; singleConnection: boolean }
}

export const PROTOCOL_LABELS: Record<ProtocolChoice, string> = {
  auto: 'Auto — decode what is certain',
  none: 'None — raw frames only',
  'socket.io': 'Socket.IO',
  'graphql-transport-ws': 'GraphQL over WebSocket (graphql-transport-ws)',
  'graphql-ws': 'GraphQL legacy (graphql-ws, subscriptions-transport-ws)',
  'graphql-sse': 'GraphQL over SSE (graphql-sse)',
}

/** Short names, for tabs, summaries and banners. */
export const PROTOCOL_SHORT: Record<ProtocolChoice, string> = {
  auto: 'Auto',
  none: 'None',
  'socket.io': 'Socket.IO',
  'graphql-transport-ws': 'GraphQL WS',
  'graphql-ws': 'GraphQL legacy',
  'graphql-sse': 'GraphQL SSE',
}

export const isGraphQl = (name: ProtocolChoice): boolean => name === 'graphql-transport-ws' || name === 'graphql-ws' || name === 'graphql-sse'
/** A protocol the session drives (sends for the user): auto and none only watch. */
export const isDriven = (name: ProtocolChoice | undefined): boolean => name !== undefined && name !== 'auto' && name !== 'none'

let nextOperationKey = 1
export function newOperation(query = '', variables = '', operationName = ''): OperationRow {
  return { key: nextOperationKey++, query, variables, operationName }
}

export function protocolDraftFromSpec(protocol: ConnectionSpec['protocol'] | undefined): ProtocolDraft {
  const s = protocol?.socketio
  const g = protocol?.graphql
  return {
    name: protocol?.name ?? 'auto',
    socketio: { namespace: s?.namespace && s.namespace !== '/' ? s.namespace : '', auth: s?.auth ?? '', eio: s?.eio ?? 4, upgrade: s?.upgrade ?? true },
    graphql: {
      init: g?.init ?? '',
      operations: (g?.operations ?? []).map((op) => newOperation(op.query, op.variables, op.operationName)),
      singleConnection: g?.singleConnection ?? false,
    },
  }
}

/**
 * The technique a protocol runs on, and the URL with the scheme it needs: Socket.IO
 * keeps a ws:// URL on WebSocket and starts an http:// one with polling (then
 * upgrades, like socket.io-client); the GraphQL WebSocket protocols need ws://,
 * graphql-sse needs http://. Undefined for auto and none, which run on anything.
 */
export function techniqueForProtocol(name: ProtocolChoice, url: string): { technique: TechniqueName; url: string } | undefined {
  const trimmed = url.trim()
  const scheme = /^[a-z]+:/i.exec(trimmed)?.[0].toLowerCase()
  const web = scheme === 'ws:' || scheme === 'wss:'
  if (name === 'socket.io') return { technique: web ? 'websocket' : 'long-polling', url: trimmed }
  if (name === 'graphql-transport-ws' || name === 'graphql-ws') return { technique: 'websocket', url: swapScheme(trimmed, { 'http:': 'ws:', 'https:': 'wss:' }) }
  if (name === 'graphql-sse') return { technique: 'sse', url: swapScheme(trimmed, { 'ws:': 'http:', 'wss:': 'https:' }) }
  return undefined
}

function swapScheme(url: string, swap: Record<string, string>): string {
  const scheme = /^[a-z]+:/i.exec(url)?.[0].toLowerCase()
  return scheme && swap[scheme] ? swap[scheme] + url.slice(scheme.length) : url
}

/** The techniques each protocol can run on (what the engine accepts). */
const TECHNIQUES_OF: Partial<Record<ProtocolChoice, readonly TechniqueName[]>> = {
  'socket.io': ['websocket', 'long-polling'],
  'graphql-transport-ws': ['websocket'],
  'graphql-ws': ['websocket'],
  'graphql-sse': ['sse'],
}

export function protocolTechniqueProblem(name: ProtocolChoice, technique: TechniqueName): string | undefined {
  const allowed = TECHNIQUES_OF[name]
  if (!allowed || allowed.includes(technique)) return undefined
  return `${PROTOCOL_SHORT[name]} runs over ${allowed.join(' or ')}, not ${technique}`
}

type Issues = Record<string, string>

/** Text that must be a JSON object when given (auth, init payload, variables). */
function checkObject(text: string, field: string, issues: Issues): void {
  if (text.trim() === '') return
  const problem = jsonProblem(text)
  if (problem) {
    issues[field] = `not JSON: ${problem}`
    return
  }
  const value: unknown = JSON.parse(text)
  if (value === null || typeof value !== 'object' || Array.isArray(value)) issues[field] = 'must be a JSON object, e.g. {"token": "…"}'
}

/**
 * Adds `protocol` to the spec input when it differs from the default (auto), with only
 * the chosen protocol's options; problems found before the schema go to `issues`.
 * Returns the keys of the operation rows sent, in order, so the schema's problems
 * (by index) can be filed under their row.
 */
export function addProtocolBlock(draft: ProtocolDraft, technique: TechniqueName, input: ConnectionSpecInput, issues: Issues): number[] {
  const keys: number[] = []
  if (draft.name === 'auto') return keys
  const block: NonNullable<ConnectionSpecInput['protocol']> = { name: draft.name }
  const mismatch = protocolTechniqueProblem(draft.name, technique)
  if (mismatch) issues['protocol.name'] = mismatch
  if (draft.name === 'socket.io') {
    const s = draft.socketio
    const socketio: NonNullable<typeof block.socketio> = {}
    const namespace = s.namespace.trim()
    if (namespace !== '' && namespace !== '/') socketio.namespace = namespace
    if (s.auth.trim() !== '') socketio.auth = s.auth
    checkObject(s.auth, 'protocol.socketio.auth', issues)
    if (s.eio !== 4) socketio.eio = s.eio
    if (!s.upgrade) socketio.upgrade = false
    if (Object.keys(socketio).length) block.socketio = socketio
  } else if (isGraphQl(draft.name)) {
    const g = draft.graphql
    const graphql: NonNullable<typeof block.graphql> = {}
    if (g.init.trim() !== '') graphql.init = g.init
    checkObject(g.init, 'protocol.graphql.init', issues)
    const operations: { query: string; variables?: string; operationName?: string }[] = []
    for (const row of g.operations) {
      // A row left blank (just added) is not an operation yet, and not an error either.
      if (row.query.trim() === '' && row.variables.trim() === '' && row.operationName.trim() === '') continue
      const op: (typeof operations)[number] = { query: row.query }
      if (row.variables.trim() !== '') op.variables = row.variables
      if (row.operationName.trim() !== '') op.operationName = row.operationName.trim()
      checkObject(row.variables, `protocol.graphql.operations.${row.key}.variables`, issues)
      operations.push(op)
      keys.push(row.key)
    }
    if (operations.length) graphql.operations = operations
    if (draft.name === 'graphql-sse' && g.singleConnection) graphql.singleConnection = true
    if (Object.keys(graphql).length) block.graphql = graphql
  }
  input.protocol = block
  return keys
}

/** The editor field a schema issue under `protocol` belongs to (operations by their row key). */
export function protocolField(path: readonly PropertyKey[], operationKeys: number[]): string {
  const [, group, list, index, ...rest] = path
  if (group === 'graphql' && list === 'operations' && typeof index === 'number') {
    const key = operationKeys[index]
    return key === undefined ? 'protocol.graphql.operations' : ['protocol.graphql.operations', key, ...rest].join('.')
  }
  return path.map(String).join('.')
}
