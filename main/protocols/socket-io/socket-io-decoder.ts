// Socket.IO packets read from the wire, both ways, one session at a time.
//
// A wire message is an Engine.IO packet (a WebSocket message, or one packet cut from a
// polling body), or a whole polling payload when a plain technique carried it (then
// `decoded` is an array). Engine.IO packets that carry no Socket.IO packet decode as
// `protocol: 'engine.io'`; a message packet decodes as ONE `protocol: 'socket.io'`
// packet, through socket.io-parser's Decoder (wrapped: what it throws becomes a packet
// with `error`, and the Decoder is replaced so the session goes on).
//
// Binary events and acks (`451-["bin",{"_placeholder":true,"num":0}]` then one binary
// message per attachment): frames are recorded in order, so the header cannot wait
// for its attachments. The header frame gets `{type:'BINARY_EVENT', attachments:N,
// pending:true}` WITHOUT `event`; each attachment but the last gets
// `{type:'BINARY_ATTACHMENT', index, of}`; the LAST attachment's frame gets the
// complete packet — `event`, `args` with `{base64, size}` in place of each
// placeholder. So every event is counted once, on the frame that completed it. A text
// packet arriving before the attachments ends the wait with an error packet (and is
// itself decoded); placeholders pointing past the attachments are an error.
//
// ACKs coming in get `ackOf` (the seq of the frame that emitted with that id, learnt
// through `sentAs`) and `rttMs`.
import { Decoder } from 'socket.io-parser'
import type { ConnectionSpec, Decoded, Packet } from '../../contract/index.js'
import type { LazyDecode } from '../../frames/sink.js'
import { errorPacket, parseJson } from '../decode-guard.js'
import type { PacketDecoder, WireMessage } from '../protocol.js'
import { connectErrorMeaning, disconnectMeaning, engineCloseMeaning } from './close-reasons.js'
import { decodeEnginePacket, isV3Payload, RECORD_SEPARATOR, splitPayload, type EioVersion } from './engine-io-codec.js'

const SOCKET_IO_TYPES = ['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT', 'BINARY_ACK'] as const
/** Emits remembered for their ACK; the oldest are forgotten past this. */
const MAX_WAITING_ACKS = 10_000

interface ParsedPacket {
  type: number
  nsp: string
  id?: number
  data?: unknown
}

interface PendingBinary {
  type: 'BINARY_EVENT' | 'BINARY_ACK'
  attachments: number
  received: number
}

/** One direction's parser state: socket.io-parser's Decoder, and a binary packet waiting for its attachments. */
class Side {
  parser!: Decoder
  last: ParsedPacket | undefined
  pending: PendingBinary | undefined

  constructor() {
    this.reset()
  }

  reset(): void {
    this.parser?.destroy()
    this.parser = new Decoder()
    this.parser.on('decoded', (packet: ParsedPacket) => (this.last = packet))
    this.last = undefined
    this.pending = undefined
  }

  take(): ParsedPacket | undefined {
    const packet = this.last
    this.last = undefined
    return packet
  }
}

/** The Engine.IO version of a spec: its URL's or query's `EIO`, else the chosen one. */
export function eioOf(spec: ConnectionSpec): EioVersion {
  let fromUrl: string | null = null
  try {
    fromUrl = new URL(spec.url).searchParams.get('EIO')
  } catch {
    // An unparsable URL never opens; the option decides.
  }
  const fromQuery = spec.query.find((q) => q.name === 'EIO')?.value
  const version = fromQuery ?? fromUrl
  if (version === '3') return 3
  if (version === '4') return 4
  return spec.protocol.socketio.eio
}

export function createSocketIoDecoder(spec: ConnectionSpec): PacketDecoder {
  return new SocketIoDecoder(eioOf(spec))
}

class SocketIoDecoder implements PacketDecoder {
  private readonly sides = { in: new Side(), out: new Side() }
  private readonly emits = new Map<string, { seq: number; time: number }>()

  constructor(private readonly eio: EioVersion) {}

  decodeIn(message: WireMessage): Decoded | undefined {
    return this.decode(message, 'in')
  }

  decodeOut(message: WireMessage): Decoded | undefined {
    return this.decode(message, 'out')
  }

  /**
   * A plain EVENT coming in (`42…`, no binary packet waiting for attachments) reads
   * alike whenever it is read and the driver has nothing to do with it: the session
   * decodes it only where it is shown or recorded.
   */
  lazyIn(data: Buffer, binary: boolean): LazyDecode | undefined {
    if (binary || data.length < 3 || data[0] !== 0x34 || data[1] !== 0x32 || this.sides.in.pending) return undefined
    return decodeEventLazily
  }

  sentAs(decoded: Decoded, seq: number, time: number): void {
    for (const packet of Array.isArray(decoded) ? decoded : [decoded]) {
      if (packet.protocol !== 'socket.io' || (packet.type !== 'EVENT' && packet.type !== 'BINARY_EVENT') || typeof packet.ackId !== 'number') continue
      if (this.emits.size >= MAX_WAITING_ACKS) this.emits.delete(this.emits.keys().next().value!)
      this.emits.set(ackKey(String(packet.namespace), packet.ackId), { seq, time })
    }
  }

  private decode(message: WireMessage, direction: 'in' | 'out'): Decoded {
    if (message.binary) return asDecoded(this.engine(message.data, this.eio, direction, message.time))
    const text = message.data.toString('utf8')
    // A whole polling body (a plain technique carried it): one packet per part.
    if (text.includes(RECORD_SEPARATOR)) return asDecoded(splitPayload(text, 4).packets.flatMap((part) => this.engine(part, 4, direction, message.time)))
    if (isV3Payload(text)) return asDecoded(splitPayload(text, 3).packets.flatMap((part) => this.engine(part, 3, direction, message.time)))
    return asDecoded(this.engine(text, this.eio, direction, message.time))
  }

  private engine(data: string | Buffer, eio: EioVersion, direction: 'in' | 'out', time: number): Packet[] {
    const packet = decodeEnginePacket(data, eio)
    if ('error' in packet) return [errorPacket('engine.io', packet.error)]
    const { type } = packet
    if (type === 'message') {
      if (packet.data === undefined || packet.data === '') return [{ protocol: 'engine.io', type: 'message', data: '' }]
      return typeof packet.data === 'string' ? this.socketIo(packet.data, direction, time) : [this.attachment(packet.data, direction, time)]
    }
    if (type === 'open') return [openPacket(packet.data)]
    const payload = typeof packet.data === 'string' ? packet.data : packet.data !== undefined ? { base64: packet.data.toString('base64'), size: packet.data.length } : undefined
    return [{ protocol: 'engine.io', type, ...(payload !== undefined ? { data: payload } : {}), ...(type === 'close' ? { meaning: engineCloseMeaning(direction) } : {}) }]
  }

  private socketIo(text: string, direction: 'in' | 'out', time: number): Packet[] {
    const side = this.sides[direction]
    const out: Packet[] = []
    if (side.pending) {
      const { type, attachments, received } = side.pending
      out.push(errorPacket('socket.io', `the ${type} announced ${attachments} binary attachment${attachments === 1 ? '' : 's'} but a text packet came after ${received}; it is dropped`))
      side.reset()
    }
    try {
      side.parser.add(text)
    } catch (error) {
      side.reset()
      out.push(errorPacket('socket.io', `not a Socket.IO packet: ${(error as Error).message}`))
      return out
    }
    const parsed = side.take()
    if (parsed) {
      out.push(this.toPacket(parsed, direction, time, false))
      return out
    }
    // A binary event or ack: its attachments follow.
    const header = /^([56])(\d+)-(?:(\/[^,]*),)?(\d*)/.exec(text)
    const type = header?.[1] === '6' ? 'BINARY_ACK' : 'BINARY_EVENT'
    const attachments = Number(header?.[2] ?? 0)
    side.pending = { type, attachments, received: 0 }
    const ackId = header?.[4] ? Number(header[4]) : undefined
    out.push({ protocol: 'socket.io', type, namespace: header?.[3] ?? '/', attachments, pending: true, ...(ackId !== undefined ? { ackId } : {}) })
    return out
  }

  private attachment(bytes: Buffer, direction: 'in' | 'out', time: number): Packet {
    const side = this.sides[direction]
    const pending = side.pending
    if (!pending) return errorPacket('socket.io', `${bytes.length} bytes of binary data, but no BINARY_EVENT or BINARY_ACK waits for attachments`)
    pending.received++
    try {
      side.parser.add(bytes)
    } catch (error) {
      side.reset()
      const reason = (error as Error).message === 'illegal attachments' ? `its placeholders point at attachments that are not there (${pending.attachments} announced)` : (error as Error).message
      return errorPacket('socket.io', `the ${pending.type} cannot be put together: ${reason}`)
    }
    const parsed = side.take()
    if (!parsed) return { protocol: 'socket.io', type: 'BINARY_ATTACHMENT', index: pending.received, of: pending.attachments, size: bytes.length }
    side.pending = undefined
    return { ...this.toPacket(parsed, direction, time, true), attachments: pending.attachments }
  }

  private toPacket(parsed: ParsedPacket, direction: 'in' | 'out', time: number, binary: boolean): Packet {
    let type: string = SOCKET_IO_TYPES[parsed.type] ?? String(parsed.type)
    if (binary) type = type === 'ACK' ? 'BINARY_ACK' : 'BINARY_EVENT'
    // v3 carries a namespace's auth as its query (`40/admin?token=x,`).
    const query = parsed.nsp.indexOf('?')
    const namespace = query < 0 ? parsed.nsp : parsed.nsp.slice(0, query)
    const packet: Packet = { protocol: 'socket.io', type, namespace }
    const ackId = parsed.id
    const data = binary ? withAttachments(parsed.data) : parsed.data
    switch (type) {
      case 'EVENT':
      case 'BINARY_EVENT': {
        // An event without its [name, ...args] array (a bare `42`) is reported, never read from.
        if (!Array.isArray(data)) {
          packet.error = 'the event has no [name, ...args] payload'
          break
        }
        const list = data as unknown[]
        packet.event = list[0]
        packet.args = list.slice(1)
        if (ackId !== undefined) packet.ackId = ackId
        break
      }
      case 'ACK':
      case 'BINARY_ACK': {
        packet.args = data
        if (ackId !== undefined) packet.ackId = ackId
        const emitted = direction === 'in' && ackId !== undefined ? this.emits.get(ackKey(namespace, ackId)) : undefined
        if (emitted) {
          this.emits.delete(ackKey(namespace, ackId!))
          packet.ackOf = emitted.seq
          packet.rttMs = Math.max(0, time - emitted.time)
        }
        break
      }
      case 'CONNECT':
        if (data !== undefined) packet.data = data
        else if (query >= 0) packet.data = Object.fromEntries(new URLSearchParams(parsed.nsp.slice(query + 1)))
        break
      case 'CONNECT_ERROR':
        packet.data = data
        packet.meaning = connectErrorMeaning(data)
        break
      case 'DISCONNECT':
        packet.meaning = disconnectMeaning(direction)
        break
    }
    return packet
  }
}

function openPacket(data: string | Buffer | undefined): Packet {
  const parsed = typeof data === 'string' ? parseJson(data) : undefined
  const value = parsed?.value as Record<string, unknown> | undefined
  if (!value || typeof value !== 'object' || typeof value.sid !== 'string') return errorPacket('engine.io', 'an Engine.IO open packet must hold a JSON object with a "sid"', 'open')
  const packet: Packet = { protocol: 'engine.io', type: 'open', sid: value.sid }
  for (const field of ['upgrades', 'pingInterval', 'pingTimeout', 'maxPayload'] as const) if (value[field] !== undefined) packet[field] = value[field]
  return packet
}

/** Buffers put in place of the placeholders, as JSON can carry them. */
function withAttachments(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { base64: value.toString('base64'), size: value.length }
  if (value instanceof ArrayBuffer) return { base64: Buffer.from(value).toString('base64'), size: value.byteLength }
  if (Array.isArray(value)) return value.map(withAttachments)
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withAttachments(inner)]))
  return value
}

/** Decodes lazily handed EVENT messages; EVENTs leave its state as it was, so one serves every session. */
const eventDecoder = new SocketIoDecoder(4)
const decodeEventLazily: LazyDecode = (data) => eventDecoder.decodeIn({ data, binary: false, time: 0 })

const ackKey = (namespace: string, id: number) => `${namespace}#${id}`
/** One packet as itself, several as a list. */
const asDecoded = (packets: Packet[]): Decoded => (packets.length === 1 ? packets[0]! : packets)
