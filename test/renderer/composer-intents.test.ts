import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok, OutgoingMessageSchema, type OutgoingMessageInput, type ProtocolChoice, type Result } from '@contract'
import Composer from '../../renderer/src/components/Composer.vue'
import type { ActiveOperation } from '../../renderer/src/stores/protocol-state'

enableAutoUnmount(afterEach)

type Send = (message: OutgoingMessageInput) => Promise<Result<void> | undefined>

function mountComposer(props: { protocol?: ProtocolChoice; operations?: ActiveOperation[]; rawModes?: boolean; enabled?: boolean } = {}) {
  const send = vi.fn<Send>(async () => ok(undefined))
  const composer = mount(Composer, { props: { enabled: props.enabled ?? true, send, sessionId: 's1', ...props }, attachTo: document.body })
  return { composer, send }
}

const sent = (send: ReturnType<typeof vi.fn>) => send.mock.calls.map((call) => call[0] as OutgoingMessageInput)
const modes = (composer: ReturnType<typeof mountComposer>['composer']) => composer.findAll('[role=radio]').map((b) => b.text())

beforeEach(() => setActivePinia(createPinia()))

describe('Composer: Emit on a Socket.IO session', () => {
  it('opens on Emit, first of the modes, with the raw ones still there', () => {
    const { composer } = mountComposer({ protocol: 'socket.io' })
    expect(modes(composer)).toEqual(['Emit', 'Text', 'JSON', 'Hex', 'Base64'])
    expect(composer.get('[data-testid=encoding-emit]').attributes('aria-checked')).toBe('true')
    expect(composer.find('[data-testid=emit-form]').exists()).toBe(true)
    expect(composer.find('[data-testid=composer]').exists()).toBe(false)
  })

  it('emits the event with its JSON arguments and the ack wish, as an intent the engine accepts', async () => {
    const { composer, send } = mountComposer({ protocol: 'socket.io' })
    await composer.get('[data-testid=emit-event]').setValue('chat')
    await composer.get('[data-testid=emit-args]').setValue('["hi", {"room": 1}]')
    await composer.get('[data-testid=emit-ack]').setValue(true)
    await composer.get('[data-testid=emit-send]').trigger('click')
    await flushPromises()
    await composer.get('[data-testid=emit-args]').trigger('keydown', { key: 'Enter', ctrlKey: true })
    await flushPromises()
    const messages = sent(send)
    expect(messages).toEqual([
      { type: 'emit', event: 'chat', args: '["hi", {"room": 1}]', ack: true },
      { type: 'emit', event: 'chat', args: '["hi", {"room": 1}]', ack: true },
    ])
    expect(OutgoingMessageSchema.safeParse(messages[0]).success).toBe(true)
  })

  it('sends no arguments as an empty array', async () => {
    const { composer, send } = mountComposer({ protocol: 'socket.io' })
    await composer.get('[data-testid=emit-event]').setValue('ping me')
    await composer.get('[data-testid=emit-event]').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(sent(send)).toEqual([{ type: 'emit', event: 'ping me', args: '[]', ack: false }])
  })

  it('checks the arguments as they are typed: JSON, and an array', async () => {
    const { composer, send } = mountComposer({ protocol: 'socket.io' })
    await composer.get('[data-testid=emit-event]').setValue('chat')
    await composer.get('[data-testid=emit-args]').setValue('["hi",]')
    expect(composer.get('[data-testid=emit-problem]').text()).toBe('arguments: line 1, column 7: expected a value')
    expect(composer.get('[data-testid=emit-send]').attributes('disabled')).toBeDefined()
    await composer.get('[data-testid=emit-args]').setValue('{"text": "hi"}')
    expect(composer.get('[data-testid=emit-problem]').text()).toBe('the arguments are a JSON array, e.g. ["hi", {"room": 1}]')
    await composer.get('[data-testid=emit-event]').setValue('disconnect')
    await composer.get('[data-testid=emit-args]').setValue('[]')
    expect(composer.get('[data-testid=emit-problem]').text()).toBe('"disconnect" is a reserved event name in Socket.IO')
    await composer.get('[data-testid=emit-send]').trigger('click')
    expect(send).not.toHaveBeenCalled()
  })

  it('does not scold an empty event name before a send is tried', async () => {
    const { composer } = mountComposer({ protocol: 'socket.io' })
    expect(composer.find('[data-testid=emit-problem]').exists()).toBe(false)
    await composer.get('[data-testid=emit-event]').trigger('keydown', { key: 'Enter' })
    expect(composer.get('[data-testid=emit-problem]').text()).toBe('type the event name')
  })

  it('switches to a raw mode and back', async () => {
    const { composer, send } = mountComposer({ protocol: 'socket.io' })
    await composer.get('[data-testid=encoding-text]').trigger('click')
    await composer.get('[data-testid=composer]').setValue('42["raw",1]')
    await composer.get('[data-testid=send]').trigger('click')
    await flushPromises()
    expect(sent(send)).toEqual([{ type: 'text', data: '42["raw",1]' }])
    await composer.get('[data-testid=encoding-emit]').trigger('click')
    expect(composer.find('[data-testid=emit-form]').exists()).toBe(true)
  })

  it('over polling offers Emit alone (no raw WebSocket modes, no ping or close)', () => {
    const { composer } = mountComposer({ protocol: 'socket.io', rawModes: false })
    expect(composer.findAll('[role=radio]')).toHaveLength(0)
    expect(composer.find('[data-testid=emit-form]').exists()).toBe(true)
    expect(composer.text()).not.toContain('Ping')
  })

  it('has no Emit on a session without a driven protocol', () => {
    for (const protocol of [undefined, 'auto', 'none'] as const) {
      const { composer } = mountComposer(protocol ? { protocol } : {})
      expect(modes(composer)).toEqual(['Text', 'JSON', 'Hex', 'Base64'])
    }
  })
})

describe('Composer: Subscribe on a GraphQL session', () => {
  it('subscribes with the query, variables and operation name', async () => {
    const { composer, send } = mountComposer({ protocol: 'graphql-transport-ws' })
    expect(modes(composer)[0]).toBe('Subscribe')
    await composer.get('[data-testid=subscribe-query]').setValue('subscription OnChat($room: Int) { chat(room: $room) }')
    await composer.get('[data-testid=subscribe-variables]').setValue('{"room": 1}')
    await composer.get('[data-testid=subscribe-operation-name]').setValue('OnChat')
    await composer.get('[data-testid=subscribe-send]').trigger('click')
    await flushPromises()
    expect(sent(send)).toEqual([{ type: 'subscribe', query: 'subscription OnChat($room: Int) { chat(room: $room) }', variables: '{"room": 1}', operationName: 'OnChat' }])
    expect(OutgoingMessageSchema.safeParse(sent(send)[0]).success).toBe(true)
  })

  it('checks the variables as they are typed', async () => {
    const { composer, send } = mountComposer({ protocol: 'graphql-ws' })
    await composer.get('[data-testid=subscribe-query]').setValue('subscription { tick }')
    await composer.get('[data-testid=subscribe-variables]').setValue('[1]')
    expect(composer.get('[data-testid=subscribe-problem]').text()).toBe('the variables are a JSON object, e.g. {"room": 1}')
    await composer.get('[data-testid=subscribe-query]').trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(send).not.toHaveBeenCalled()
  })

  it('lists the running operations and completes the one asked', async () => {
    const operations = [
      { id: '1', label: 'OnTick' },
      { id: '2', label: 'subscription { greetings }' },
    ]
    const { composer, send } = mountComposer({ protocol: 'graphql-transport-ws', operations })
    const items = composer.findAll('[data-testid=active-operation]')
    expect(items.map((i) => i.get('.op-label').text())).toEqual(['#1 OnTick', '#2 subscription { greetings }'])
    await items[1]!.get('[data-testid=complete-operation]').trigger('click')
    await flushPromises()
    expect(sent(send)).toEqual([{ type: 'complete', id: '2' }])
  })

  it('graphql-sse gets Subscribe too', () => {
    const { composer } = mountComposer({ protocol: 'graphql-sse', rawModes: false })
    expect(composer.find('[data-testid=subscribe-form]').exists()).toBe(true)
  })

  it('shows the engine’s refusal', async () => {
    const send = vi.fn<Send>(async () => ({ ok: false, error: { code: 'E_PROTOCOL_NOT_READY', message: 'the server has not acknowledged the connection' } }))
    const composer = mount(Composer, { props: { enabled: true, send, sessionId: 's1', protocol: 'graphql-transport-ws' as const }, attachTo: document.body })
    await composer.get('[data-testid=subscribe-query]').setValue('subscription { tick }')
    await composer.get('[data-testid=subscribe-send]').trigger('click')
    await flushPromises()
    expect(composer.get('[data-testid=send-error]').text()).toBe('the server has not acknowledged the connection (E_PROTOCOL_NOT_READY)')
  })
})
