import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fail, ok, type OutgoingMessageInput, type Result } from '@contract'
import Composer from '../../renderer/src/components/Composer.vue'

enableAutoUnmount(afterEach)

function mountComposer(send: (message: OutgoingMessageInput) => Promise<Result<void> | undefined> = async () => ok(undefined)) {
  const spy = vi.fn(send)
  const composer = mount(Composer, { props: { enabled: true, send: spy, sessionId: 's1' }, attachTo: document.body })
  return { composer, send: spy }
}

describe('Composer: ping', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('sends a ping with no payload, or with the one typed', async () => {
    const { composer, send } = mountComposer()
    await composer.get('[data-testid=ping]').trigger('click')
    await composer.get('[data-testid=ping-send]').trigger('click')
    await flushPromises()
    expect(composer.find('[data-testid=ping-panel]').exists()).toBe(false)
    await composer.get('[data-testid=ping]').trigger('click')
    await composer.get('[data-testid=ping-data]').setValue('are you there?')
    expect(composer.get('[data-testid=ping-count]').text()).toBe('14/125 bytes')
    await composer.get('form').trigger('submit')
    await flushPromises()
    expect(send.mock.calls.map((c) => c[0])).toEqual([
      { type: 'ping', data: '' },
      { type: 'ping', data: 'are you there?' },
    ])
  })

  it('refuses a ping payload over 125 bytes, counted in UTF-8', async () => {
    const { composer, send } = mountComposer()
    await composer.get('[data-testid=ping]').trigger('click')
    await composer.get('[data-testid=ping-data]').setValue('é'.repeat(63)) // 63 characters, 126 bytes
    expect(composer.get('[data-testid=ping-count]').text()).toBe('126/125 bytes')
    expect(composer.get('[data-testid=ping-send]').attributes('disabled')).toBeDefined()
    await composer.get('form').trigger('submit')
    expect(send).not.toHaveBeenCalled()
  })

  it('shows why the engine refused the ping', async () => {
    const { composer } = mountComposer(async () => fail('E_NOT_OPEN', 'the WebSocket is closing'))
    await composer.get('[data-testid=ping]').trigger('click')
    await composer.get('form').trigger('submit')
    await flushPromises()
    expect(composer.get('[data-testid=send-error]').text()).toBe('the WebSocket is closing (E_NOT_OPEN)')
  })
})

describe('Composer: close', () => {
  beforeEach(() => setActivePinia(createPinia()))

  async function openClose(composer: ReturnType<typeof mountComposer>['composer']) {
    await composer.get('[data-testid=close]').trigger('click')
    return {
      code: () => composer.get('[data-testid=close-code]'),
      custom: () => composer.get('[data-testid=close-custom]'),
      reason: () => composer.get('[data-testid=close-reason]'),
      submit: () => composer.get('[data-testid=close-send]'),
    }
  }

  it('closes with a common code from the list and a reason', async () => {
    const { composer, send } = mountComposer()
    const form = await openClose(composer)
    expect((form.code().element as HTMLSelectElement).value).toBe('1000')
    await form.code().setValue('1008')
    await form.reason().setValue('not allowed')
    await composer.get('form').trigger('submit')
    await flushPromises()
    expect(send).toHaveBeenCalledWith({ type: 'close', code: 1008, reason: 'not allowed' })
    expect(composer.find('[data-testid=close-panel]').exists()).toBe(false)
  })

  it('takes a custom application code, 4001 "bye"', async () => {
    const { composer, send } = mountComposer()
    const form = await openClose(composer)
    await form.code().setValue('custom')
    await form.custom().setValue('4001')
    await form.reason().setValue('bye')
    expect(composer.text()).toContain('application-defined (private use)')
    await composer.get('form').trigger('submit')
    await flushPromises()
    expect(send).toHaveBeenCalledWith({ type: 'close', code: 4001, reason: 'bye' })
  })

  it.each(['1005', '5000', '999', '40.5', 'abc'])('refuses the custom code %s, saying which codes can be sent', async (text) => {
    const { composer, send } = mountComposer()
    const form = await openClose(composer)
    await form.code().setValue('custom')
    await form.custom().setValue(text)
    expect(composer.get('[data-testid=close-code-problem]').text()).toContain('use 3000–4999')
    expect(form.submit().attributes('disabled')).toBeDefined()
    await composer.get('form').trigger('submit')
    expect(send).not.toHaveBeenCalled()
  })

  it('an empty custom code cannot be sent either', async () => {
    const { composer } = mountComposer()
    const form = await openClose(composer)
    await form.code().setValue('custom')
    expect(form.submit().attributes('disabled')).toBeDefined()
    expect(form.submit().attributes('title')).toBe('type a code, 3000–4999')
  })

  it('counts the reason in UTF-8 bytes and refuses more than 123', async () => {
    const { composer, send } = mountComposer()
    const form = await openClose(composer)
    await form.reason().setValue('x'.repeat(123))
    expect(composer.get('[data-testid=close-reason-count]').text()).toBe('123/123 bytes')
    expect(form.submit().attributes('disabled')).toBeUndefined()
    await form.reason().setValue('x'.repeat(121) + '€') // 122 characters, 124 bytes
    expect(composer.get('[data-testid=close-reason-count]').text()).toBe('124/123 bytes')
    expect(form.submit().attributes('disabled')).toBeDefined()
    expect(composer.text()).toContain('A close reason carries at most 123 bytes in UTF-8.')
    await composer.get('form').trigger('submit')
    expect(send).not.toHaveBeenCalled()
  })
})
