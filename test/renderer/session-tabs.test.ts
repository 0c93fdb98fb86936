import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import SessionTabs from '../../renderer/src/components/SessionTabs.vue'
import type { SessionView } from '../../renderer/src/stores/sessions'

function session(id: string, state: SessionView['state'] = 'open'): SessionView {
  const stats = { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 } as unknown as SessionView['stats']
  return { id, label: `${id}.test`, url: `ws://${id}.test/`, technique: 'websocket', state, startedAt: 0, stats }
}

const three = [session('a'), session('b', 'closed'), session('c', 'failed')]

function mountTabs(activeId = 'a') {
  return mount(SessionTabs, { props: { sessions: three, activeId }, attachTo: document.body })
}

describe('SessionTabs', () => {
  it('shows one tab per session, the active one selected and the only one in the tab order', () => {
    const tabs = mountTabs('b').findAll('[role=tab]')
    expect(tabs.map((t) => t.text().replace('×', '').trim())).toEqual(['a.test', 'b.test', 'c.test'])
    expect(tabs.map((t) => t.attributes('aria-selected'))).toEqual(['false', 'true', 'false'])
    expect(tabs.map((t) => t.attributes('tabindex'))).toEqual(['-1', '0', '-1'])
    expect(tabs[2]!.attributes('data-state')).toBe('failed')
  })

  it('activates a tab on click and closes it with its × or a middle click', async () => {
    const wrapper = mountTabs()
    const tabs = wrapper.findAll('[role=tab]')
    await tabs[1]!.trigger('click')
    await tabs[2]!.get('[data-testid=session-tab-close]').trigger('click')
    await tabs[0]!.trigger('auxclick', { button: 1 })
    expect(wrapper.emitted('activate')).toEqual([['b']])
    expect(wrapper.emitted('dismiss')).toEqual([['c'], ['a']])
  })

  it('moves between tabs with the arrow keys, Home and End, wrapping around', async () => {
    const wrapper = mountTabs('a')
    const tabs = wrapper.findAll('[role=tab]')
    await tabs[0]!.trigger('keydown', { key: 'ArrowRight' })
    await tabs[1]!.trigger('keydown', { key: 'End' })
    await tabs[2]!.trigger('keydown', { key: 'ArrowRight' })
    await tabs[0]!.trigger('keydown', { key: 'ArrowLeft' })
    await tabs[2]!.trigger('keydown', { key: 'Home' })
    expect(wrapper.emitted('activate')).toEqual([['b'], ['c'], ['a'], ['c'], ['a']])
    expect(document.activeElement).toBe(tabs[0]!.element)
    wrapper.unmount()
  })

  it('closes the focused tab with Delete', async () => {
    const wrapper = mountTabs('b')
    await wrapper.findAll('[role=tab]')[1]!.trigger('keydown', { key: 'Delete' })
    expect(wrapper.emitted('dismiss')).toEqual([['b']])
    expect(wrapper.emitted('activate')).toBeUndefined()
    wrapper.unmount()
  })
})
