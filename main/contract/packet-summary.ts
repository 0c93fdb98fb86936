// One line for a decoded packet, in the protocol's own words — the same in the CLI's
// human output and the app's frame list: `event tick {"n":1}`, `emit chat ["hi"]
// (ack #3)`, `ack #3 ["ok"] 4 ms`, `next #1 {"data":…}`. Pure: no Node, no DOM.
import type { Packet } from './protocol.js'

const PREVIEW = 400

function json(value: unknown): string {
  if (value === undefined) return ''
  let text: string
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))
  } catch {
    text = String(value)
  }
  return text.length > PREVIEW ? `${text.slice(0, PREVIEW)}…` : text
}

const join = (...parts: (string | undefined | false)[]) => parts.filter((part) => part !== undefined && part !== false && part !== '').join(' ')

/** `direction`: 'out' reads as what we did (emit), 'in' as what came (event). */
export function packetSummary(packet: Packet, direction: 'in' | 'out' | 'system'): string {
  if (packet.error !== undefined) return `${packet.protocol} ${packet.type}: ${packet.error}`
  const p = packet as Packet & Record<string, unknown>
  const type = String(p.type)
  if (p.protocol === 'socket.io') {
    const ns = typeof p.namespace === 'string' && p.namespace !== '/' ? p.namespace : undefined
    // A binary packet's header and its attachments but the last: the last one's frame holds the whole packet.
    if (p.pending === true) return join(type === 'BINARY_ACK' ? 'binary ack' : 'binary event', ns, p.ackId !== undefined ? `#${String(p.ackId)}` : undefined, `(${String(p.attachments)} attachment(s) follow)`)
    if (type === 'BINARY_ATTACHMENT') return `attachment ${String(p.index)}/${String(p.of)} (${String(p.size)} bytes)`
    if (type === 'EVENT' || type === 'BINARY_EVENT') {
      const ack = p.ackId !== undefined ? `(ack #${String(p.ackId)})` : undefined
      // What we emit reads as the arguments typed (a JSON array); what comes reads as its payload, argument by argument.
      const args = direction === 'out' || !Array.isArray(p.args) ? json(p.args) : (p.args as unknown[]).map(json).join(' ')
      return join(direction === 'out' ? 'emit' : 'event', ns, String(p.event ?? ''), args, ack)
    }
    if (type === 'ACK' || type === 'BINARY_ACK') return join('ack', ns, `#${String(p.ackId ?? '?')}`, json(p.args), typeof p.rttMs === 'number' ? `${Math.round(p.rttMs)} ms` : undefined)
    if (type === 'CONNECT') return join('connect', ns ?? '/', json(p.data))
    if (type === 'CONNECT_ERROR') return join('connect_error', ns ?? '/', json(p.data), typeof p.meaning === 'string' ? `— ${p.meaning}` : undefined)
    if (type === 'DISCONNECT') return join('disconnect', ns ?? '/')
    return join(type.toLowerCase(), ns, json(p.data))
  }
  if (p.protocol === 'engine.io') {
    // The open packet's figures are what the session runs on: its sid and its heartbeat.
    if (type === 'open') {
      const figures = ['sid', 'pingInterval', 'pingTimeout', 'upgrades'].filter((key) => p[key] !== undefined).map((key) => `${key}=${Array.isArray(p[key]) ? (p[key] as unknown[]).join(',') : String(p[key])}`)
      return join('engine.io open', ...figures)
    }
    return join('engine.io', type, p.data !== undefined ? json(p.data) : undefined)
  }
  // GraphQL and the protocols to come: type, operation id, payload.
  const id = p.id !== undefined ? `#${String(p.id)}` : undefined
  return join(type, id, json(p.payload), typeof p.meaning === 'string' ? `— ${p.meaning}` : undefined)
}
