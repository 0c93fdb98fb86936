import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { fail, ok } from '@contract'
import Composer from '../../renderer/src/components/Composer.vue'

describe('Composer', () => {
  it('sends the text on Ctrl+Enter and on the Send button', async () => {
    const send = vi.fn(async () => ok(undefined))
    const composer = mount(Composer, { props: { enabled: true, send } })
    await composer.get('[data-testid=composer]').setValue('hello')
    await composer.get('[data-testid=composer]').trigger('keydown', { key: 'Enter', ctrlKey: true })
    await flushPromises()
    await composer.get('[data-testid=send]').trigger('click')
    await flushPromises()
    expect(send.mock.calls).toEqual([['hello'], ['hello']])
  })

  it('sends on Cmd+Enter too, but a plain Enter is a new line', async () => {
    const send = vi.fn(async () => ok(undefined))
    const composer = mount(Composer, { props: { enabled: true, send } })
    await composer.get('[data-testid=composer]').setValue('x')
    await composer.get('[data-testid=composer]').trigger('keydown', { key: 'Enter' })
    expect(send).not.toHaveBeenCalled()
    await composer.get('[data-testid=composer]').trigger('keydown', { key: 'Enter', metaKey: true })
    expect(send).toHaveBeenCalledWith('x')
  })

  it('is disabled and sends nothing when the session is not open', async () => {
    const send = vi.fn(async () => ok(undefined))
    const composer = mount(Composer, { props: { enabled: false, send } })
    expect(composer.get('[data-testid=composer]').attributes('disabled')).toBeDefined()
    expect(composer.get('[data-testid=send]').attributes('disabled')).toBeDefined()
    await composer.get('[data-testid=composer]').trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(send).not.toHaveBeenCalled()
  })

  it('shows why a send failed', async () => {
    const send = vi.fn(async () => fail('E_NOT_OPEN', 'the WebSocket is not open'))
    const composer = mount(Composer, { props: { enabled: true, send } })
    await composer.get('[data-testid=send]').trigger('click')
    await flushPromises()
    expect(composer.get('[data-testid=send-error]').text()).toBe('the WebSocket is not open (E_NOT_OPEN)')
  })
})
