// What the GraphQL protocols share about operations: the request payload built from
// what the user typed (variables as JSON text), and the book of operations a session
// has open — which ids are active, which completed — so diagnostics learn when
// nothing is due from the server (every operation completed: silence is no drop).
import type { GraphQlOperation } from '../../contract/index.js'

/** A GraphQL request's payload: `{query, variables?, operationName?}`. */
export interface OperationPayload {
  query: string
  variables?: Record<string, unknown>
  operationName?: string
  extensions?: Record<string, unknown>
}

/** The payload of an operation or subscribe intent; variables that are not a JSON object are an error. */
export function operationPayload(operation: Pick<GraphQlOperation, 'query'> & Partial<Pick<GraphQlOperation, 'variables' | 'operationName'>>): { ok: true; payload: OperationPayload } | { ok: false; message: string } {
  const payload: OperationPayload = { query: operation.query }
  const variables = operation.variables?.trim() ?? ''
  if (variables !== '') {
    let value: unknown
    try {
      value = JSON.parse(variables)
    } catch {
      return { ok: false, message: 'the variables are not valid JSON' }
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'the variables must be a JSON object' }
    payload.variables = value as Record<string, unknown>
  }
  if (operation.operationName) payload.operationName = operation.operationName
  return { ok: true, payload }
}

/** The connection_init payload typed by the user: a JSON object, or nothing. */
export function initPayload(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return undefined
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

export type OperationState = 'active' | 'done' | 'stopped'

/**
 * The operations of one connection by id. `done`: the server completed it (or ended
 * it with an error); `stopped`: the client completed it, so a late result that was
 * already on its way is no protocol error.
 */
export class OperationBook {
  private readonly states = new Map<string, OperationState>()
  private nextId = 1

  /** The next unused id: "1", "2", … */
  allocate(): string {
    while (this.states.has(String(this.nextId))) this.nextId++
    return String(this.nextId++)
  }

  start(id: string): void {
    this.states.set(id, 'active')
  }

  state(id: string): OperationState | undefined {
    return this.states.get(id)
  }

  /** The server ended it. */
  finish(id: string): void {
    if (this.states.has(id)) this.states.set(id, 'done')
  }

  /** The client ended it. */
  stop(id: string): void {
    if (this.states.get(id) === 'active') this.states.set(id, 'stopped')
  }

  get active(): number {
    let count = 0
    for (const state of this.states.values()) if (state === 'active') count++
    return count
  }

  get size(): number {
    return this.states.size
  }

  clear(): void {
    this.states.clear()
    this.nextId = 1
  }
}

/** Why a message for `id` does not fit the operations known (undefined when it fits). */
export function unknownOperation(book: OperationBook, id: unknown, type: string): string | undefined {
  if (typeof id !== 'string' || id === '') return `a ${type} message needs an operation id`
  const state = book.state(id)
  if (state === undefined) return `no operation with id ${JSON.stringify(id)} was subscribed`
  if (state === 'done') return `operation ${JSON.stringify(id)} had already completed`
  return undefined
}
