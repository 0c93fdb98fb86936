import { mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { Frame, Packet } from '@contract'
import FrameDetail from '../../renderer/src/components/FrameDetail.vue'
import { compileFilter, NO_FILTER, type FilterCriteria } from '../../renderer/src/stores/frame-filter'
import { protocolStateOf } from '../../renderer/src/stores/protocol-state'
import { mountList, rowSeqs, unmountAll, unmountLater, windowOf } from './frame-list-harness'

const T0 = Date.UTC(2025, 0, 2, 13, 3, 27, 118)

type Extra = { decoded?: Packet | Packet[]; auto?: true; direction?: 'in' | 'out' }
const msg = (seq: number, data: string, extra: Extra = {}): Frame => ({ seq, time: T0 + seq, direction: extra.direction ?? 'in', kind: 'message', data, size: data.length, ...extra }) as Frame
const raw = (seq: number, data: string): Frame => msg(seq, data)

/** A Socket.IO session over WebSocket as the engine hands it over: decoded packets beside the raw text. */
const socketIoFrames: Frame[] = [
  msg(1, '0{"sid":"abc","pingInterval":25000,"pingTimeout":20000}', { decoded: { protocol: 'engine.io', type: 'open', data: { sid: 'abc' } } }),
  msg(2, '40', { direction: 'out', auto: true, decoded: { protocol: 'socket.io', type: 'CONNECT', namespace: '/' } }),
  msg(3, '42["tick",{"n":1}]', { decoded: { protocol: 'socket.io', type: 'EVENT', namespace: '/', event: 'tick', args: [{ n: 1 }] } }),
  msg(4, '423["chat","hi"]', { direction: 'out', decoded: { protocol: 'socket.io', type: 'EVENT', namespace: '/', event: 'chat', args: ['hi'], ackId: 3 } }),
  msg(5, '433["ok"]', { decoded: { protocol: 'socket.io', type: 'ACK', namespace: '/', ackId: 3, args: ['ok'], ackOf: 4, rttMs: 12.4 } }),
  msg(6, '2', { decoded: { protocol: 'engine.io', type: 'ping' } }),
  msg(7, '3', { direction: 'out', auto: true, decoded: { protocol: 'engine.io', type: 'pong' } }),
  msg(8, '4{bad', { decoded: { protocol: 'socket.io', type: 'EVENT', error: 'the packet is not valid JSON' } }),
  raw(9, 'plain text nobody decoded'),
]

afterEach(unmountAll)

const rowBySeq = (list: VueWrapper, seq: number) => list.get(`[data-testid=frame-row][data-seq="${seq}"]`)
const previewOf = (list: VueWrapper, seq: number) => rowBySeq(list, seq).get('.preview').text()
const passes = (patch: Partial<FilterCriteria>, frame: Frame) => compileFilter({ ...NO_FILTER, ...patch }).test!(frame)

describe('frame list: decoded packets', () => {
  it('reads each decoded frame as its packet, with the ACK round-trip time, and leaves raw frames as they came', () => {
    const list = mountList(windowOf(socketIoFrames))
    expect(previewOf(list, 3)).toBe('event tick {"n":1}')
    expect(previewOf(list, 4)).toBe('emit chat ["hi"] (ack #3)')
    expect(previewOf(list, 5)).toBe('ack #3 ["ok"] 12 ms')
    expect(previewOf(list, 6)).toBe('engine.io ping')
    expect(previewOf(list, 9)).toBe('plain text nobody decoded')
  })

  it('marks frames the protocol sent on its own as auto, dimmed, and only those', () => {
    const list = mountList(windowOf(socketIoFrames))
    const autoRows = list.findAll('[data-testid=frame-row].auto').map((r) => Number(r.attributes('data-seq')))
    expect(autoRows).toEqual([2, 7])
    expect(rowBySeq(list, 7).get('[data-testid=auto-tag]').text()).toBe('auto')
    expect(rowBySeq(list, 4).find('[data-testid=auto-tag]').exists()).toBe(false)
  })

  it('marks a packet that did not decode, with its error in words', () => {
    const list = mountList(windowOf(socketIoFrames))
    const row = rowBySeq(list, 8)
    expect(row.classes()).toContain('decode-error')
    expect(row.get('[data-testid=decode-error-tag]').attributes('title')).toBe('Did not decode: the packet is not valid JSON')
    expect(row.get('.preview').text()).toContain('socket.io EVENT: the packet is not valid JSON')
    expect(list.findAll('[data-testid=decode-error-tag]')).toHaveLength(1)
  })

  it('joins the packets of one wire message on one line', () => {
    const both = msg(1, '2\x1e42["tick",1]', {
      decoded: [
        { protocol: 'engine.io', type: 'ping' },
        { protocol: 'socket.io', type: 'EVENT', namespace: '/', event: 'tick', args: [1] },
      ],
    })
    const list = mountList(windowOf([both]))
    expect(previewOf(list, 1)).toBe('engine.io ping · event tick 1')
  })

  it('offers the packets seen in a Packet menu and shows only the frames with that packet', async () => {
    const list = mountList(windowOf(socketIoFrames))
    const menu = list.get('[data-testid=frame-packet]')
    const options = menu.findAll('option').map((o) => o.text())
    expect(options).toEqual(expect.arrayContaining(['All packets', 'event tick', 'event chat', 'ACK packets', 'ping packets']))
    await menu.setValue('event:chat')
    expect(rowSeqs(list)).toEqual([4])
    await menu.setValue('type:ACK')
    expect(rowSeqs(list)).toEqual([5])
  })

  it('has no Packet menu when nothing was decoded', () => {
    const list = mountList(windowOf([raw(1, 'a'), raw(2, 'b')]))
    expect(list.find('[data-testid=frame-packet]').exists()).toBe(false)
  })
})

describe('filter on packets', () => {
  it('finds a decoded frame by what its line says: the event name, the packet type, the ack', () => {
    const ack = socketIoFrames[4]!
    expect(passes({ text: 'ack #3' }, ack)).toBe(true)
    expect(passes({ text: 'tick' }, socketIoFrames[2]!)).toBe(true)
    expect(passes({ text: 'ping' }, socketIoFrames[5]!)).toBe(true)
    expect(passes({ text: 'ack #3' }, raw(1, 'no ack here'))).toBe(false)
  })

  it('picks GraphQL frames by operation id and by type', () => {
    const next = msg(1, '{"id":"1","type":"next","payload":{"data":{"tick":1}}}', { decoded: { protocol: 'graphql-transport-ws', type: 'next', id: '1', payload: { data: { tick: 1 } } } })
    const other = msg(2, '{"id":"2","type":"next"}', { decoded: { protocol: 'graphql-transport-ws', type: 'next', id: '2' } })
    expect(passes({ packet: 'id:1' }, next)).toBe(true)
    expect(passes({ packet: 'id:1' }, other)).toBe(false)
    expect(passes({ packet: 'type:next' }, other)).toBe(true)
    expect(passes({ text: '#1' }, next)).toBe(true)
  })

  it('rejects frames nobody decoded without reading their payload', () => {
    const frame = raw(1, 'x')
    Object.defineProperty(frame, 'data', {
      get() {
        throw new Error('the payload was read')
      },
    })
    expect(passes({ packet: 'type:EVENT' }, frame)).toBe(false)
  })
})

describe('detail pane: Packet view', () => {
  function mountDetail(frame: Frame) {
    return unmountLater(mount(FrameDetail, { props: { frame } }))
  }
  const fieldsOf = (detail: VueWrapper) =>
    Object.fromEntries(detail.get('[data-testid=detail-fields]').findAll('[data-testid=field]').map((f) => [f.get('dt').text(), f.get('dd').text()]))

  it('opens on the packet as a tree, keeps Raw and Hex beside it, and says the ACK round trip', async () => {
    const detail = mountDetail(socketIoFrames[4]!)
    expect(detail.findAll('[role=tab]').map((t) => t.text())).toEqual(['Packet', 'Raw', 'Hex', 'Timing'])
    expect(detail.get('[data-testid=packet-summary]').text()).toBe('ack #3 ["ok"] 12 ms')
    expect(detail.get('[data-testid=packet-view] [data-testid=json-tree]').text()).toContain('rttMs')
    expect(fieldsOf(detail)).toMatchObject({ Protocol: 'socket.io', 'Round trip': '12.4 ms (emit to ACK)' })
    await detail.get('[data-testid=tab-raw]').trigger('click')
    expect(detail.get('[data-testid=view-raw]').text()).toBe('433["ok"]')
  })

  it('says why a packet did not decode, and the raw payload is still there', () => {
    const detail = mountDetail(socketIoFrames[7]!)
    expect(detail.get('[data-testid=packet-error]').text()).toContain('the packet is not valid JSON')
    expect(fieldsOf(detail)['Decode error']).toBe('the packet is not valid JSON')
    expect(detail.find('[data-testid=tab-raw]').exists()).toBe(true)
  })

  it('says who sent an auto frame', () => {
    const detail = mountDetail(socketIoFrames[6]!)
    expect(fieldsOf(detail)['Sent by']).toContain('the protocol, on its own')
    expect(detail.text()).not.toContain('decoded')
  })
})

describe('protocol state read from the packets', () => {
  it('names the protocol the packets speak, and follows GraphQL operations from subscribe to complete', () => {
    const gql = (seq: number, direction: 'in' | 'out', type: string, id?: string, payload?: unknown) =>
      msg(seq, JSON.stringify({ type, id, payload }), { direction, decoded: { protocol: 'graphql-transport-ws', type, ...(id ? { id } : {}), ...(payload ? { payload } : {}) } })
    const held = windowOf([gql(1, 'out', 'connection_init'), gql(2, 'in', 'connection_ack'), gql(3, 'out', 'subscribe', '1', { query: 'subscription OnTick { tick }', operationName: 'OnTick' }), gql(4, 'out', 'subscribe', '2', { query: 'subscription { greetings }' })])
    const state = protocolStateOf(held)
    expect(state.detected).toBe('graphql-transport-ws')
    expect(state.operations).toEqual([
      { id: '1', label: 'OnTick' },
      { id: '2', label: 'subscription { greetings }' },
    ])
    held.append([gql(5, 'in', 'next', '1', { data: { tick: 1 } }), gql(6, 'in', 'complete', '1')], 0, 6)
    const after = protocolStateOf(held)
    expect(after.operations).toEqual([{ id: '2', label: 'subscription { greetings }' }])
    // Unchanged state keeps the same array, so views do not re-render per batch.
    expect(protocolStateOf(held).operations).toBe(after.operations)
  })

  it('takes Engine.IO packets for Socket.IO', () => {
    expect(protocolStateOf(windowOf([socketIoFrames[0]!])).detected).toBe('socket.io')
    expect(protocolStateOf(windowOf([raw(1, '0{"sid":"x"}')])).detected).toBeUndefined()
  })
})
