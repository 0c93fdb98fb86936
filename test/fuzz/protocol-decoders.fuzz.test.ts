// The protocol decoders (Socket.IO over WebSocket and over polling, GraphQL over
// WebSocket in both protocols, GraphQL over SSE) fed random and mutated messages, in
// and out, one decoder a session: nothing escapes `decodeIn`/`decodeOut`, every
// answer is a valid packet (or none), what they answer stays proportionate to what
// they were given, and messages made by socket.io-parser's own encoder (the oracle)
// decode to the packets that were encoded.
import fc from 'fast-check'
import { Encoder, PacketType } from 'socket.io-parser'
import { describe, expect, it } from 'vitest'
import { ConnectionSpecSchema, DecodedSchema, type ProtocolName } from '../../main/contract/index.js'
import { protocolModule } from '../../main/protocols/index.js'
import type { PacketDecoder } from '../../main/protocols/protocol.js'
import { fuzz, tokenBytes } from './fuzz.js'

const SPECS: Record<string, { technique: 'websocket' | 'long-polling' | 'sse'; url: string; name: ProtocolName; tokens: string[] }> = {
  'socket.io (websocket)': { technique: 'websocket', url: 'ws://127.0.0.1:1/socket.io/?EIO=4&transport=websocket', name: 'socket.io', tokens: ['0', '1', '2', '3', '4', '40', '41', '42', '43', '44', '45', '46', '451-', '4999-', '/chat,', '["tick",{"n":1}]', '{"sid":"x"}', '{"_placeholder":true,"num":0}', 'b', '12', '-', ',', '[', ']', '"', 'probe'] },
  'socket.io (polling)': { technique: 'long-polling', url: 'http://127.0.0.1:1/socket.io/?EIO=4&transport=polling', name: 'socket.io', tokens: ['\u001e', '0{"sid":"a","upgrades":[],"pingInterval":25000,"pingTimeout":20000}', '2', '3', '42["a"]', '451-["b",{"_placeholder":true,"num":0}]', 'bAQI=', 'b', '6', '40', '4', '1'] },
  'graphql-transport-ws': { technique: 'websocket', url: 'ws://127.0.0.1:1/graphql', name: 'graphql-transport-ws', tokens: ['{"type":"connection_ack"}', '{"type":"next","id":"1","payload":{"data":{}}}', '{"type":"subscribe","id":"1","payload":{"query":"subscription{a}"}}', '{"type":"complete","id":"1"}', '{"type":"error","id":"1","payload":[]}', '{"type":"ping"}', '{', '}', '"type"', ':', '"id"', 'null', '[]'] },
  'graphql-ws': { technique: 'websocket', url: 'ws://127.0.0.1:1/graphql', name: 'graphql-ws', tokens: ['{"type":"connection_ack"}', '{"type":"ka"}', '{"type":"start","id":"1","payload":{"query":"subscription{a}"}}', '{"type":"data","id":"1","payload":{"data":{}}}', '{"type":"stop","id":"1"}', '{"type":"complete","id":"1"}', '{', '}', '"payload"', 'null'] },
  'graphql-sse': { technique: 'sse', url: 'http://127.0.0.1:1/graphql/stream', name: 'graphql-sse', tokens: ['{"data":{"a":1}}', '{"errors":[{"message":"x"}]}', '{"id":"1","payload":{"data":{}}}', '{', '}', '"id"', 'null', '[]', ''] },
}

const decoderFor = (key: string): PacketDecoder => {
  const { technique, url, name } = SPECS[key]!
  return protocolModule(name).createDecoder(ConnectionSpecSchema.parse({ technique, url, protocol: { name } }))
}

describe('protocol decoders under fuzzing', () => {
  for (const key of Object.keys(SPECS)) {
    it(`${key}: never throws, answers valid packets in proportion to what it was given`, () => {
      const message = fc.record({
        data: tokenBytes(SPECS[key]!.tokens, 12),
        binary: fc.boolean(),
        out: fc.boolean(),
        event: fc.constantFrom(undefined, 'next', 'complete', 'message', ''),
      })
      fuzz(
        `${key} decoder, random and mutated sessions`,
        fc.array(message, { minLength: 1, maxLength: 25 }),
        (messages) => {
          // One decoder for the whole sequence: its state (pending attachments, operations) is fuzzed too.
          const decoder = decoderFor(key)
          messages.forEach(({ data, binary, out, event }, i) => {
            const wire = { data, binary, time: 1000 + i, ...(event !== undefined ? { event } : {}) }
            const decoded = out ? decoder.decodeOut(wire) : decoder.decodeIn(wire)
            if (decoded === undefined) return
            expect(DecodedSchema.safeParse(decoded).success).toBe(true)
            expect(JSON.stringify(decoded).length).toBeLessThanOrEqual(20 * data.length + 2000)
          })
        },
        600,
      )
    })
  }

  it('socket.io: packets made by socket.io-parser decode to what was encoded', () => {
    const arg = fc.jsonValue({ maxDepth: 2 })
    const packet = fc.record({
      type: fc.constantFrom(PacketType.EVENT, PacketType.ACK),
      nsp: fc.constantFrom('/', '/chat', '/a-b'),
      event: fc.string({ minLength: 1, maxLength: 10 }),
      args: fc.array(arg, { maxLength: 4 }),
      id: fc.option(fc.nat({ max: 10_000 }), { nil: undefined }),
    })
    fuzz(
      'socket.io decoder against socket.io-parser, valid packets',
      fc.array(packet, { minLength: 1, maxLength: 6 }),
      (packets) => {
        const decoder = decoderFor('socket.io (websocket)')
        const encoder = new Encoder()
        packets.forEach((p, i) => {
          // An ACK carries an id; an event's data starts with its name.
          const id = p.type === PacketType.ACK ? (p.id ?? 0) : p.id
          const data = p.type === PacketType.EVENT ? [p.event, ...p.args] : p.args
          const [text] = encoder.encode({ type: p.type, nsp: p.nsp, data, ...(id !== undefined ? { id } : {}) }) as string[]
          const decoded = decoder.decodeIn({ data: Buffer.from('4' + text), binary: false, time: i })
          const expected = JSON.parse(JSON.stringify(data)) as unknown[]
          expect(decoded).toMatchObject({
            protocol: 'socket.io',
            type: p.type === PacketType.EVENT ? 'EVENT' : 'ACK',
            namespace: p.nsp,
            ...(p.type === PacketType.EVENT ? { event: p.event, args: expected.slice(1) } : { args: expected }),
            ...(id !== undefined ? { ackId: id } : {}),
          })
          expect(decoded).not.toHaveProperty('error')
        })
      },
      400,
    )
  })
})
