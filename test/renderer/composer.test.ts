import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fail, ok, type OutgoingMessageInput, type Result } from '@contract'
import Composer from '../../renderer/src/components/Composer.vue'

enableAutoUnmount(afterEach)

type Send = (message: OutgoingMessageInput) => Promise<Result<void> | undefined>

function mountComposer(options: { enabled?: boolean; send?: Send; sessionId?: string } = {}) {
  const send = vi.fn(options.send ?? (async () => ok(undefined)))
  const composer = mount(Composer, {
    props: { enabled: options.enabled ?? true, send, sessionId: options.sessionId ?? 's1' },
    attachTo: document.body,
  })
  const field = () => composer.get<HTMLTextAreaElement>('[data-testid=composer]')
  const sendButton = () => composer.get('[data-testid=send]')
  return { composer, send, field, sendButton }
}

/** Each history row as "<encoding> <preview>". */
const historyRows = (composer: ReturnType<typeof mountComposer>['composer']) =>
  composer.findAll('[data-testid=history-item]').map((item) => `${item.get('.encoding').text()} ${item.get('.preview').text()}`)
const sentMessages = (send: ReturnType<typeof vi.fn>) => send.mock.calls.map((call) => call[0])

describe('Composer: text', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('sends the text on Ctrl+Enter and on the Send button, and keeps it for the next send', async () => {
    const { send, field, sendButton } = mountComposer()
    await field().setValue('hello')
    await field().trigger('keydown', { key: 'Enter', ctrlKey: true })
    await flushPromises()
    await sendButton().trigger('click')
    await flushPromises()
    expect(sentMessages(send)).toEqual([
      { type: 'text', data: 'hello' },
      { type: 'text', data: 'hello' },
    ])
    expect(field().element.value).toBe('hello')
  })

  it('sends on Cmd+Enter too, but a plain Enter is a new line', async () => {
    const { send, field } = mountComposer()
    await field().setValue('x')
    await field().trigger('keydown', { key: 'Enter' })
    expect(send).not.toHaveBeenCalled()
    await field().trigger('keydown', { key: 'Enter', metaKey: true })
    expect(send).toHaveBeenCalledWith({ type: 'text', data: 'x' })
  })

  it('shows the size of the text in UTF-8 bytes', async () => {
    const { composer, field } = mountComposer()
    await field().setValue('héllo €')
    expect(composer.get('[data-testid=payload-size]').text()).toBe('10 bytes')
  })

  it('is disabled and sends nothing when the session is not open', async () => {
    const { composer, send, field, sendButton } = mountComposer({ enabled: false })
    expect(field().attributes('disabled')).toBeDefined()
    expect(sendButton().attributes('disabled')).toBeDefined()
    expect(composer.get('[data-testid=ping]').attributes('disabled')).toBeDefined()
    expect(composer.get('[data-testid=close]').attributes('disabled')).toBeDefined()
    await field().trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(send).not.toHaveBeenCalled()
  })

  it('shows why a send failed, next to the composer', async () => {
    const { composer, sendButton } = mountComposer({ send: async () => fail('E_NOT_OPEN', 'the WebSocket is not open') })
    await sendButton().trigger('click')
    await flushPromises()
    expect(composer.get('[data-testid=send-error]').text()).toBe('the WebSocket is not open (E_NOT_OPEN)')
  })
})

describe('Composer: JSON', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('sends valid JSON exactly as typed', async () => {
    const { composer, send, field, sendButton } = mountComposer()
    await composer.get('[data-testid=encoding-json]').trigger('click')
    await field().setValue('{"a": 1,  "b":[true]}')
    expect(composer.find('[data-testid=payload-problem]').exists()).toBe(false)
    await sendButton().trigger('click')
    await flushPromises()
    expect(sentMessages(send)).toEqual([{ type: 'text', data: '{"a": 1,  "b":[true]}' }])
  })

  it('shows where invalid JSON goes wrong and disables Send', async () => {
    const { composer, send, field, sendButton } = mountComposer()
    await composer.get('[data-testid=encoding-json]').trigger('click')
    await field().setValue('{\n  "a": 1,\n  "b": }')
    expect(composer.get('[data-testid=payload-problem]').text()).toBe('line 3, column 8: expected a value')
    expect(sendButton().attributes('disabled')).toBeDefined()
    expect(sendButton().attributes('title')).toContain('line 3, column 8')
    expect(composer.get('[data-testid=format]').attributes('disabled')).toBeDefined()
    await field().trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(send).not.toHaveBeenCalled()
  })

  it('names single quotes and trailing commas, which JSON does not allow', async () => {
    const { composer, field } = mountComposer()
    await composer.get('[data-testid=encoding-json]').trigger('click')
    await field().setValue("{'a': 1}")
    expect(composer.get('[data-testid=payload-problem]').text()).toMatch(/^line 1, column 2: /)
    await field().setValue('[1, 2,]')
    expect(composer.get('[data-testid=payload-problem]').text()).toBe('line 1, column 7: expected a value')
  })

  it('Format pretty-prints without changing a single token, big numbers included', async () => {
    const { composer, field } = mountComposer()
    await composer.get('[data-testid=encoding-json]').trigger('click')
    await field().setValue('{"id":12345678901234567890,"tags":["a","b"],"n":1.50}')
    await composer.get('[data-testid=format]').trigger('click')
    expect(field().element.value).toBe('{\n  "id": 12345678901234567890,\n  "tags": [\n    "a",\n    "b"\n  ],\n  "n": 1.50\n}')
  })

  it('arrow keys move through the encodings', async () => {
    const { composer } = mountComposer()
    await composer.get('[data-testid=encoding-text]').trigger('keydown', { key: 'ArrowRight' })
    expect(composer.get('[data-testid=encoding-json]').attributes('aria-checked')).toBe('true')
    await composer.get('[data-testid=encoding-json]').trigger('keydown', { key: 'ArrowLeft' })
    await composer.get('[data-testid=encoding-text]').trigger('keydown', { key: 'ArrowLeft' })
    expect(composer.get('[data-testid=encoding-base64]').attributes('aria-checked')).toBe('true')
  })

  it('offers Format only for JSON', async () => {
    const { composer } = mountComposer()
    expect(composer.find('[data-testid=format]').exists()).toBe(false)
    await composer.get('[data-testid=encoding-json]').trigger('click')
    expect(composer.find('[data-testid=format]').exists()).toBe(true)
    expect(composer.get('[data-testid=encoding-json]').attributes('aria-checked')).toBe('true')
  })
})

describe('Composer: binary', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('sends hex, with spaces and new lines, as base64 of the same bytes', async () => {
    const { composer, send, field, sendButton } = mountComposer()
    await composer.get('[data-testid=encoding-hex]').trigger('click')
    await field().setValue('48 65 6c\n6C 6f 00 ff')
    expect(composer.get('[data-testid=payload-size]').text()).toBe('7 bytes binary')
    await sendButton().trigger('click')
    await flushPromises()
    expect(sentMessages(send)).toEqual([{ type: 'binary', base64: 'SGVsbG8A/w==' }])
  })

  it('refuses an odd number of hex digits, saying so', async () => {
    const { composer, field, sendButton } = mountComposer()
    await composer.get('[data-testid=encoding-hex]').trigger('click')
    await field().setValue('48 65 6')
    expect(composer.get('[data-testid=payload-problem]').text()).toBe('odd number of hex digits (5): each byte takes two')
    expect(sendButton().attributes('disabled')).toBeDefined()
    expect(composer.find('[data-testid=payload-size]').exists()).toBe(false)
  })

  it('refuses characters that are not hex digits, naming the first', async () => {
    const { composer, field, sendButton } = mountComposer()
    await composer.get('[data-testid=encoding-hex]').trigger('click')
    await field().setValue('48 6g')
    expect(composer.get('[data-testid=payload-problem]').text()).toContain('"g" is not a hex digit')
    expect(sendButton().attributes('disabled')).toBeDefined()
  })

  it('sends base64 as it is, whitespace removed, and counts the decoded bytes', async () => {
    const { composer, send, field, sendButton } = mountComposer()
    await composer.get('[data-testid=encoding-base64]').trigger('click')
    await field().setValue('SGVs\nbG8=')
    expect(composer.get('[data-testid=payload-size]').text()).toBe('5 bytes binary')
    await sendButton().trigger('click')
    await flushPromises()
    expect(sentMessages(send)).toEqual([{ type: 'binary', base64: 'SGVsbG8=' }])
  })

  it('refuses malformed base64 with the reason', async () => {
    const { composer, field, sendButton } = mountComposer()
    await composer.get('[data-testid=encoding-base64]').trigger('click')
    await field().setValue('SGVsbG8*')
    expect(composer.get('[data-testid=payload-problem]').text()).toContain('"*" is not a base64 character')
    await field().setValue('SG=Vs')
    expect(composer.get('[data-testid=payload-problem]').text()).toContain('padding only goes at the end')
    await field().setValue('SGVsb')
    expect(composer.get('[data-testid=payload-problem]').text()).toContain('not a whole number of bytes')
    expect(sendButton().attributes('disabled')).toBeDefined()
    await field().setValue('SGVsbA')
    expect(composer.get('[data-testid=payload-size]').text()).toBe('4 bytes binary')
  })
})

describe('Composer: history', () => {
  beforeEach(() => setActivePinia(createPinia()))

  async function sendAll(tools: ReturnType<typeof mountComposer>, entries: [string, string][]) {
    for (const [encoding, body] of entries) {
      await tools.composer.get(`[data-testid=encoding-${encoding}]`).trigger('click')
      await tools.field().setValue(body)
      await tools.field().trigger('keydown', { key: 'Enter', ctrlKey: true })
      await flushPromises()
    }
  }
  const checkedEncoding = (composer: ReturnType<typeof mountComposer>['composer']) =>
    composer.get('[role=radio][aria-checked=true]').attributes('data-testid')

  it('walks back and forth with Alt+↑/Alt+↓, restoring each encoding and then the draft', async () => {
    const tools = mountComposer()
    await sendAll(tools, [
      ['text', 'first'],
      ['hex', '01 02'],
      ['json', '{"third":3}'],
    ])
    await tools.composer.get('[data-testid=encoding-text]').trigger('click')
    await tools.field().setValue('draft')
    const key = (key: string) => tools.field().trigger('keydown', { key, altKey: true })

    await key('ArrowUp')
    expect(tools.field().element.value).toBe('{"third":3}')
    expect(checkedEncoding(tools.composer)).toBe('encoding-json')
    await key('ArrowUp')
    expect(tools.field().element.value).toBe('01 02')
    expect(checkedEncoding(tools.composer)).toBe('encoding-hex')
    await key('ArrowUp')
    await key('ArrowUp') // past the oldest: stays there
    expect(tools.field().element.value).toBe('first')
    await key('ArrowDown')
    await key('ArrowDown')
    expect(tools.field().element.value).toBe('{"third":3}')
    await key('ArrowDown')
    expect(tools.field().element.value).toBe('draft')
    expect(checkedEncoding(tools.composer)).toBe('encoding-text')
  })

  it('a plain ↑ recalls only when the caret is at the start', async () => {
    const tools = mountComposer()
    await sendAll(tools, [['text', 'sent before']])
    await tools.field().setValue('typing')
    tools.field().element.setSelectionRange(3, 3)
    await tools.field().trigger('keydown', { key: 'ArrowUp' })
    expect(tools.field().element.value).toBe('typing')
    tools.field().element.setSelectionRange(0, 0)
    await tools.field().trigger('keydown', { key: 'ArrowUp' })
    expect(tools.field().element.value).toBe('sent before')
  })

  it('re-sends an entry from the history list in its own encoding, whatever is selected now', async () => {
    const tools = mountComposer()
    await sendAll(tools, [
      ['hex', 'ff 00'],
      ['text', 'plain'],
    ])
    await tools.composer.get('[data-testid=history]').trigger('click')
    expect(historyRows(tools.composer)).toEqual(['Text plain', 'Hex ff 00'])
    await tools.composer.findAll('[data-testid=history-item]')[1]!.get('[data-testid=history-resend]').trigger('click')
    await flushPromises()
    expect(sentMessages(tools.send).at(-1)).toEqual({ type: 'binary', base64: '/wA=' })
    expect(checkedEncoding(tools.composer)).toBe('encoding-text')
  })

  it('picking an entry from the list puts it back in the composer with its encoding', async () => {
    const tools = mountComposer()
    await sendAll(tools, [
      ['base64', 'AAEC'],
      ['text', 'later'],
    ])
    await tools.composer.get('[data-testid=history]').trigger('click')
    await tools.composer.findAll('[data-testid=history-item] .pick')[1]!.trigger('click')
    expect(tools.field().element.value).toBe('AAEC')
    expect(checkedEncoding(tools.composer)).toBe('encoding-base64')
    expect(tools.composer.find('[data-testid=history-panel]').exists()).toBe(false)
  })

  it('keeps a history per session and only records sends that went out', async () => {
    const results = [ok(undefined), fail('E_NOT_OPEN', 'closed meanwhile')]
    const tools = mountComposer({ send: async () => results.shift() })
    await sendAll(tools, [
      ['text', 'went out'],
      ['text', 'refused'],
    ])
    await tools.composer.get('[data-testid=history]').trigger('click')
    expect(historyRows(tools.composer)).toEqual(['Text went out'])
    await tools.composer.setProps({ sessionId: 's2' })
    expect(tools.composer.get('[data-testid=history-empty]').text()).toBe('Nothing sent on this session yet.')
  })
})
