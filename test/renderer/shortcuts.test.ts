import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'
import { useAppShortcuts } from '../../renderer/src/app-shortcuts'
import ShortcutHelp from '../../renderer/src/components/ShortcutHelp.vue'
import { createShortcutRegistry, ShortcutsKey, useShortcut, type Platform, type Shortcut } from '../../renderer/src/shortcuts'
import { useSessionsStore, type SessionView } from '../../renderer/src/stores/sessions'

function press(target: EventTarget, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init })
  target.dispatchEvent(event)
  return event
}

/** Mounts a component that registers `shortcuts` and listens on the window, as App does. */
function mountWith(platform: Platform, setup: () => void) {
  const registry = createShortcutRegistry(platform)
  const stop = registry.listen(window)
  const wrapper = mount(
    defineComponent({
      setup() {
        setup()
        return () => h('div', [h('input', { 'data-testid': 'url', value: 'ws://example.test' }), h('textarea', { 'data-testid': 'notes' })])
      },
    }),
    { attachTo: document.body, global: { provide: { [ShortcutsKey as symbol]: registry } } },
  )
  cleanups.push(() => {
    wrapper.unmount()
    stop()
  })
  return { registry, wrapper }
}

const cleanups: (() => void)[] = []
afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup())
  document.body.innerHTML = ''
})

describe('the shortcut registry', () => {
  it('runs the action bound to the keys and nothing else', () => {
    const focus = vi.fn()
    const clear = vi.fn()
    mountWith('other', () =>
      useShortcut(
        { id: 'focus', keys: ['Mod+K'], description: 'Focus', group: 'Connection', run: focus },
        { id: 'clear', keys: ['Mod+L'], description: 'Clear', group: 'Frames', run: clear },
      ),
    )
    const event = press(document.body, 'k', { ctrlKey: true })
    expect(focus).toHaveBeenCalledTimes(1)
    expect(clear).not.toHaveBeenCalled()
    // The browser's own meaning of the keys (Chrome's search box for Ctrl+K) is suppressed.
    expect(event.defaultPrevented).toBe(true)
    // Extra modifiers make it another shortcut.
    press(document.body, 'k', { ctrlKey: true, shiftKey: true })
    press(document.body, 'k', { ctrlKey: true, altKey: true })
    expect(focus).toHaveBeenCalledTimes(1)
    expect(press(document.body, 'j', { ctrlKey: true }).defaultPrevented).toBe(false)
  })

  it('reads Mod as Cmd on macOS and Ctrl elsewhere, and labels keys that way', () => {
    const onMac = vi.fn()
    const { registry: mac } = mountWith('mac', () => useShortcut({ id: 'x', keys: ['Mod+K'], description: 'X', group: 'Window', run: onMac }))
    press(document.body, 'k', { ctrlKey: true })
    expect(onMac).not.toHaveBeenCalled()
    press(document.body, 'k', { metaKey: true })
    expect(onMac).toHaveBeenCalledTimes(1)
    expect(mac.label('Mod+Shift+Enter')).toBe('⇧⌘Enter')
    expect(mac.label('Ctrl+Tab')).toBe('⌃Tab')

    const other = createShortcutRegistry('other')
    expect(other.label('Mod+Shift+Enter')).toBe('Ctrl+Shift+Enter')
    expect(other.label('Alt+ArrowRight')).toBe('Alt+→')
    expect(other.label('Mod+.')).toBe('Ctrl+.')
  })

  it('matches letters by their physical key too (Alt+W types ∑ on a Mac)', () => {
    const close = vi.fn()
    mountWith('mac', () => useShortcut({ id: 'close', keys: ['Alt+W'], description: 'Close', group: 'Sessions', run: close }))
    press(document.body, '∑', { altKey: true, code: 'KeyW' })
    expect(close).toHaveBeenCalledTimes(1)
  })

  it('leaves keys typed into text fields alone unless the shortcut is meant for them', () => {
    const help = vi.fn()
    const focus = vi.fn()
    const { wrapper } = mountWith('other', () =>
      useShortcut(
        { id: 'help', keys: ['?'], description: 'Help', group: 'Window', run: help },
        { id: 'focus', keys: ['Mod+K'], description: 'Focus', group: 'Connection', inTextFields: true, run: focus },
      ),
    )
    const textarea = wrapper.get('[data-testid=notes]').element
    const typed = press(textarea, '?', { shiftKey: true })
    expect(help).not.toHaveBeenCalled()
    expect(typed.defaultPrevented).toBe(false)
    press(wrapper.get('[data-testid=url]').element, 'k', { ctrlKey: true })
    expect(focus).toHaveBeenCalledTimes(1)
    // Outside a field, the same '?' (Shift on US layouts) is the shortcut.
    press(document.body, '?', { shiftKey: true })
    expect(help).toHaveBeenCalledTimes(1)
  })

  it('does not run a shortcut a focused component already handled', () => {
    const run = vi.fn()
    const { wrapper } = mountWith('other', () => useShortcut({ id: 'x', keys: ['Mod+Enter'], description: 'X', group: 'Composer', inTextFields: true, run }))
    const textarea = wrapper.get('[data-testid=notes]').element
    textarea.addEventListener('keydown', (e) => e.preventDefault())
    press(textarea, 'Enter', { ctrlKey: true })
    expect(run).not.toHaveBeenCalled()
  })

  it('forgets a component’s shortcuts when it goes away', () => {
    const run = vi.fn()
    const { registry, wrapper } = mountWith('other', () => useShortcut({ id: 'x', keys: ['Mod+B'], description: 'X', group: 'Window', run }))
    expect(registry.shortcuts.value.map((s) => s.id)).toEqual(['x'])
    wrapper.unmount()
    press(document.body, 'b', { ctrlKey: true })
    expect(run).not.toHaveBeenCalled()
    expect(registry.shortcuts.value).toEqual([])
  })

  it('lets Escape close the overlay opened last, and only when one is open', () => {
    const first = vi.fn()
    const second = vi.fn()
    const { registry } = mountWith('other', () => {})
    const escape: Shortcut = { id: 'esc', keys: ['Escape'], description: 'Close', group: 'Window', when: () => registry.hasOpenOverlay(), run: () => registry.closeTopOverlay() }
    registry.register(escape)
    expect(press(document.body, 'Escape').defaultPrevented).toBe(false)
    registry.openOverlay(first)
    registry.openOverlay(second)
    press(document.body, 'Escape')
    expect(second).toHaveBeenCalledTimes(1)
    expect(first).not.toHaveBeenCalled()
    press(document.body, 'Escape')
    expect(first).toHaveBeenCalledTimes(1)
  })
})

describe('the window’s shortcuts', () => {
  function view(id: string): SessionView {
    const stats = { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 } as unknown as SessionView['stats']
    return { id, label: id, url: `ws://${id}.test`, technique: 'websocket', state: 'closed', startedAt: 0, stats }
  }

  beforeEach(() => {
    setActivePinia(createPinia())
  })

  function mountApp(platform: Platform = 'other') {
    const sidebarCollapsed = ref(false)
    const mounted = mountWith(platform, () => useAppShortcuts({ sidebarCollapsed }))
    const overlay = mount(ShortcutHelp, {
      attachTo: document.body,
      global: { provide: { [ShortcutsKey as symbol]: mounted.registry } },
    })
    cleanups.push(() => overlay.unmount())
    return { ...mounted, sidebarCollapsed, overlay }
  }

  it('switches, and closes, session tabs from the keyboard', async () => {
    const store = useSessionsStore()
    store.sessions = [view('a'), view('b'), view('c')]
    store.activate('a')
    mountApp()
    press(document.body, 'Tab', { ctrlKey: true })
    expect(store.activeId).toBe('b')
    press(document.body, 'ArrowRight', { altKey: true })
    expect(store.activeId).toBe('c')
    press(document.body, 'ArrowRight', { altKey: true })
    expect(store.activeId).toBe('a') // wraps around
    press(document.body, 'Tab', { ctrlKey: true, shiftKey: true })
    expect(store.activeId).toBe('c')
    press(document.body, 'ArrowLeft', { altKey: true })
    expect(store.activeId).toBe('b')
    // Ctrl+W in the desktop app; Alt+W where the browser keeps Ctrl+W.
    press(document.body, 'w', { altKey: true })
    await nextTick()
    expect(store.sessions.map((s) => s.id)).toEqual(['a', 'c'])
    press(document.body, 'w', { ctrlKey: true })
    expect(store.sessions).toHaveLength(1)
  })

  it('focuses the URL field, toggles the sidebar, and presses Connect', () => {
    const { wrapper, sidebarCollapsed } = mountApp()
    const connect = vi.fn()
    const button = document.createElement('button')
    button.dataset.testid = 'connect'
    button.addEventListener('click', connect)
    document.body.append(button)

    press(wrapper.get('[data-testid=notes]').element, 'k', { ctrlKey: true })
    expect(document.activeElement).toBe(wrapper.get('[data-testid=url]').element)
    press(document.body, 'b', { ctrlKey: true })
    expect(sidebarCollapsed.value).toBe(true)
    press(document.activeElement!, 'Enter', { ctrlKey: true, shiftKey: true })
    expect(connect).toHaveBeenCalledTimes(1)
  })

  it('pauses and clears the frame list through the filter bar’s own controls', () => {
    mountApp()
    const search = document.createElement('input')
    const clicks: string[] = []
    const buttons = ['frame-pause', 'frame-clear'].map((testid) => {
      const button = document.createElement('button')
      button.dataset.testid = testid
      button.addEventListener('click', () => clicks.push(testid))
      return button
    })
    document.body.append(search, ...buttons)

    search.focus()
    press(search, '.', { ctrlKey: true })
    search.blur()
    press(document.body, 'l', { ctrlKey: true })
    expect(clicks).toEqual(['frame-pause', 'frame-clear'])
    // A disabled control is not pressed behind the user's back.
    buttons[1]!.disabled = true
    press(document.body, 'l', { ctrlKey: true })
    expect(clicks).toEqual(['frame-pause', 'frame-clear'])
  })

  it('opens a help overlay with every registered shortcut on ?, and closes it with Escape', async () => {
    const { registry, overlay } = mountApp('mac')
    expect(overlay.find('[data-testid=shortcut-help]').exists()).toBe(false)
    press(document.body, '?', { shiftKey: true })
    await nextTick()
    const rows = overlay.findAll('[data-testid=shortcut-row]')
    expect(rows.map((r) => r.attributes('data-shortcut')).sort()).toEqual(registry.shortcuts.value.map((s) => s.id).sort())
    expect(rows.length).toBeGreaterThanOrEqual(11)
    const close = overlay.get('[data-shortcut=close-session]').text()
    expect(close).toContain('⌘W')
    expect(close).toContain('⌥W')
    expect(overlay.get('[data-shortcut=send]').text()).toContain('⌘Enter')
    press(document.body, 'Escape')
    await nextTick()
    expect(overlay.find('[data-testid=shortcut-help]').exists()).toBe(false)
  })
})
