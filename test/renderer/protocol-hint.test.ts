import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConnectionSpecSchema, ok, type ConnectionSpecInput, type Frame, type FrameBatch, type Packet, type SessionInfo } from '@contract'
import type { ApiClient } from '../../renderer/src/api'
import ProtocolHint from '../../renderer/src/components/ProtocolHint.vue'
import { useSessionsStore } from '../../renderer/src/stores/sessions'

enableAutoUnmount(afterEach)

const stats = { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 }

/** An engine stand-in with what the hint uses: open, close, subscribe, and batches pushed by the test. */
function fakeApi() {
  let deliver: (batch: FrameBatch) => void = () => {}
  let next = 1
  const opened: ConnectionSpecInput[] = []
  const client = {
    getEnvironment: vi.fn(async () => ok({ version: '9.9.9', transport: 'bridge' as const })),
    listSessions: vi.fn(async () => ok([])),
    openSession: vi.fn(async (input: ConnectionSpecInput) => {
      opened.push(input)
      const info: SessionInfo = { id: `s${next++}`, spec: ConnectionSpecSchema.parse(input), state: 'connecting', startedAt: 1000, stats }
      return ok(info)
    }),
    closeSession: vi.fn(async () => ok(undefined)),
    subscribe: vi.fn(async () => ok(undefined)),
    unsubscribe: vi.fn(async () => ok(undefined)),
    listConnections: vi.fn(async () => ok([])),
    onFrames: (listener: (batch: FrameBatch) => void) => {
      deliver = listener
      return () => {}
    },
    onTransportLost: () => () => {},
  }
  return { client: client as unknown as ApiClient, opened, closeSession: client.closeSession, push: (b: FrameBatch) => deliver(b) }
}

const frame = (seq: number, data: string, decoded?: Packet): Frame => ({ seq, time: 1000 + seq, direction: 'in', kind: 'message', data, size: data.length, ...(decoded ? { decoded } : {}) })
const batch = (sessionId: string, frames: Frame[]): FrameBatch => ({ sessionId, frames, skipped: 0, lastSeq: frames.at(-1)!.seq, state: 'open', stats })

beforeEach(() => setActivePinia(createPinia()))

async function openWith(frames: Frame[], protocol?: ConnectionSpecInput['protocol']) {
  const spec = ConnectionSpecSchema.parse({ technique: 'websocket', url: 'ws://127.0.0.1:1/socket.io/?EIO=4&transport=websocket', name: 'Chat', ...(protocol ? { protocol } : {}) })
  const api = fakeApi()
  const store = useSessionsStore()
  await store.init(api.client)
  await store.connect({ technique: 'websocket', url: spec.url, name: 'Chat', ...(protocol ? { protocol } : {}) })
  api.push(batch('s1', frames))
  await vi.waitFor(() => expect(store.activeWindow?.length).toBe(frames.length))
  const hint = mount(ProtocolHint, { props: { session: store.active! } })
  await flushPromises()
  return { api, store, hint }
}

describe('"Looks like Socket.IO — reconnect as Socket.IO"', () => {
  it('offers the protocol the packets name, and reopens the connection with it chosen', async () => {
    const { api, hint } = await openWith([frame(1, '0{"sid":"x"}', { protocol: 'engine.io', type: 'open' })])
    expect(hint.get('[data-testid=protocol-hint]').text()).toContain('Looks like Socket.IO')
    await hint.get('[data-testid=reconnect-as]').trigger('click')
    await flushPromises()
    expect(api.closeSession).toHaveBeenCalledWith('s1')
    expect(api.opened.at(-1)).toMatchObject({ technique: 'websocket', url: 'ws://127.0.0.1:1/socket.io/?EIO=4&transport=websocket', name: 'Chat', protocol: { name: 'socket.io' } })
  })

  it('names the GraphQL protocol it saw', async () => {
    const { hint } = await openWith([frame(1, '{"type":"connection_ack"}', { protocol: 'graphql-ws', type: 'connection_ack' })])
    expect(hint.get('[data-testid=protocol-hint]').attributes('data-protocol')).toBe('graphql-ws')
    expect(hint.get('[data-testid=reconnect-as]').text()).toBe('Reconnect as GraphQL legacy')
  })

  it('says nothing for raw frames, nor when the protocol was chosen already', async () => {
    const raw = await openWith([frame(1, 'hello')])
    expect(raw.hint.find('[data-testid=protocol-hint]').exists()).toBe(false)
    setActivePinia(createPinia())
    const chosen = await openWith([frame(1, '0{"sid":"x"}', { protocol: 'engine.io', type: 'open' })], { name: 'socket.io' })
    expect(chosen.hint.find('[data-testid=protocol-hint]').exists()).toBe(false)
  })
})
