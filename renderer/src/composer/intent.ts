// What the composer's Emit and Subscribe modes send: intents the session's protocol
// turns into wire messages (docs/architecture.md, "Protocols"). Checked as typed, with
// the same words as the raw JSON mode, so nothing is refused after the round trip.
import type { OutgoingMessageInput } from '@contract'
import { jsonProblem } from './payload'

export type Intent = { ok: true; message: OutgoingMessageInput } | { ok: false; problem: string }

/** Events socket.io-client refuses to emit: the library uses these names itself. */
const RESERVED_EVENTS = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'])

/** An emit of `event` with `args` (a JSON array as text; blank is no arguments), asking for an ACK when `ack`. */
export function emitIntent(event: string, args: string, ack: boolean): Intent {
  const name = event.trim()
  if (name === '') return { ok: false, problem: 'type the event name' }
  if (RESERVED_EVENTS.has(name)) return { ok: false, problem: `"${name}" is a reserved event name in Socket.IO` }
  const text = args.trim() === '' ? '[]' : args
  const problem = jsonProblem(text)
  if (problem) return { ok: false, problem: `arguments: ${problem}` }
  if (!Array.isArray(JSON.parse(text))) return { ok: false, problem: 'the arguments are a JSON array, e.g. ["hi", {"room": 1}]' }
  return { ok: true, message: { type: 'emit', event: name, args: text, ack } }
}

/** A GraphQL operation to subscribe; variables (a JSON object as text) and the operation name may be blank. */
export function subscribeIntent(query: string, variables: string, operationName: string): Intent {
  if (query.trim() === '') return { ok: false, problem: 'type the query, e.g. subscription { tick }' }
  if (variables.trim() !== '') {
    const problem = jsonProblem(variables)
    if (problem) return { ok: false, problem: `variables: ${problem}` }
    const value: unknown = JSON.parse(variables)
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, problem: 'the variables are a JSON object, e.g. {"room": 1}' }
  }
  return { ok: true, message: { type: 'subscribe', query, variables: variables.trim() === '' ? '' : variables, operationName: operationName.trim() } }
}
