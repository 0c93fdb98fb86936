import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import EmptyState from '../../renderer/src/components/EmptyState.vue'
import { createShortcutRegistry, ShortcutsKey } from '../../renderer/src/shortcuts'
import type { SessionView } from '../../renderer/src/stores/sessions'

function session(state: SessionView['state'], technique = 'websocket'): SessionView {
  const stats = { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 } as unknown as SessionView['stats']
  return { id: 's1', label: 'echo', url: 'ws://example.test/echo', technique, state, startedAt: 0, stats }
}

const onMac = { global: { provide: { [ShortcutsKey as symbol]: createShortcutRegistry('mac') } } }

describe('EmptyState', () => {
  it('tells a newcomer with no session where to start, with the keys for it', () => {
    const text = mount(EmptyState, { props: { variant: 'no-session', sidebarShown: true }, ...onMac }).text()
    expect(text).toContain('Pick a playground connection on the left, or paste a URL above and press Connect')
    expect(text).toContain('⌘K')
    expect(text).toContain('⇧⌘Enter')
  })

  it('points to the hidden sidebar when it is hidden', () => {
    const text = mount(EmptyState, { props: { variant: 'no-session', sidebarShown: false }, ...onMac }).text()
    expect(text).toContain('Show the connections sidebar (⌘B)')
    expect(text).not.toContain('on the left')
  })

  it('says what a session without frames is waiting for', () => {
    const waiting = (s: SessionView) => mount(EmptyState, { props: { variant: 'waiting', session: s } }).text()
    expect(waiting(session('connecting'))).toContain('Connecting to ws://example.test/echo…')
    expect(waiting(session('open'))).toContain('Type a message in the composer below')
    expect(waiting(session('open', 'sse'))).toContain('as soon as the server sends something')
    expect(waiting(session('failed'))).toContain('ended before any frame arrived')
  })
})
