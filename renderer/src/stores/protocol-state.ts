// What a session's decoded packets say, read incrementally: which protocol they name
// (for "Looks like Socket.IO — reconnect as Socket.IO") and which GraphQL operations
// are running (the composer offers to complete them). Kept per FrameWindow like the
// frame view's state; a cursor remembers how far the window was read, so new frames
// cost O(new) and frames no protocol decoded cost one property read.
import type { Decoded, Frame, Packet, ProtocolChoice } from '@contract'
import { protocolOfDecoded } from '../format/packet-format'
import type { FrameWindow } from './frame-window'

export interface ActiveOperation {
  id: string
  /** The operation's name, or the start of its query. */
  label: string
}

interface ProtocolState {
  cursor: number
  detected: ProtocolChoice | undefined
  operations: Map<string, ActiveOperation>
  /** The same array until an operation starts or ends, so views do not re-render per batch. */
  list: readonly ActiveOperation[]
}

/** A hostile stream could start operations without end; the composer lists this many. */
const MAX_OPERATIONS = 100
const STARTS = new Set(['subscribe', 'start'])
const ENDS = new Set(['complete', 'stop', 'error'])

const states = new WeakMap<FrameWindow, ProtocolState>()

function labelOf(packet: Packet): string {
  const payload = packet.payload as { operationName?: unknown; query?: unknown } | undefined
  if (typeof payload?.operationName === 'string' && payload.operationName !== '') return payload.operationName
  const query = typeof payload?.query === 'string' ? payload.query.replace(/\s+/g, ' ').trim() : ''
  return query.length > 48 ? `${query.slice(0, 48)}…` : query
}

function readPacket(state: ProtocolState, packet: Packet, direction: Frame['direction']): boolean {
  if (packet.error !== undefined || (typeof packet.id !== 'string' && typeof packet.id !== 'number')) return false
  const id = String(packet.id)
  if (direction === 'out' && STARTS.has(packet.type)) {
    if (state.operations.size >= MAX_OPERATIONS) return false
    state.operations.set(id, { id, label: labelOf(packet) })
    return true
  }
  return ENDS.has(packet.type) && state.operations.delete(id)
}

function readDecoded(state: ProtocolState, decoded: Decoded, direction: Frame['direction']): boolean {
  state.detected ??= protocolOfDecoded(decoded)
  if (!Array.isArray(decoded)) return readPacket(state, decoded, direction)
  let changed = false
  for (const packet of decoded) changed = readPacket(state, packet, direction) || changed
  return changed
}

/** Reads the frames that arrived since the last call and returns what the packets say so far. */
export function protocolStateOf(held: FrameWindow): { detected: ProtocolChoice | undefined; operations: readonly ActiveOperation[] } {
  let state = states.get(held)
  if (!state) {
    state = { cursor: 0, detected: undefined, operations: new Map(), list: [] }
    states.set(held, state)
  }
  const base = held.base
  const end = base + held.length
  let changed = false
  for (let position = Math.max(state.cursor, base); position < end; position++) {
    const frame = held.get(position - base)!
    if (frame.kind === 'message' || frame.kind === 'event') {
      if (frame.decoded !== undefined) changed = readDecoded(state, frame.decoded, frame.direction) || changed
    } else if (frame.kind === 'connecting' && state.operations.size > 0) {
      // A new attempt is a new connection: the server forgot the operations of the last one.
      state.operations.clear()
      changed = true
    }
  }
  state.cursor = end
  if (changed) state.list = [...state.operations.values()]
  return { detected: state.detected, operations: state.list }
}
