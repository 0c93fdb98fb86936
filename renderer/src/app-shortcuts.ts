// The window-wide shortcuts and what they do. Only actions that exist are
// registered, so the help overlay never lists a key that does nothing. Components
// that own an action register it themselves (the filter bar's Ctrl/Cmd+F, the
// sidebar's Ctrl/Cmd+S); one that handles its keys itself (the composer's
// Ctrl/Cmd+Enter) is registered here without `run`, to be listed.
import type { Ref } from 'vue'
import { useShortcut, type Shortcut } from './shortcuts'
import { isLive, useSessionsStore } from './stores/sessions'

/** Focus a field another component renders, found by its test id, and select its text. */
export function focusField(testid: string): boolean {
  const field = document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-testid="${testid}"]`)
  if (!field || field.disabled) return false
  field.focus()
  field.select?.()
  return true
}

function clickButton(testid: string): void {
  const button = document.querySelector<HTMLButtonElement>(`[data-testid="${testid}"]`)
  if (button && !button.disabled) button.click()
}

export function useAppShortcuts(options: { sidebarCollapsed: Ref<boolean> }): void {
  const store = useSessionsStore()

  function step(by: number): void {
    const list = store.sessions
    if (list.length < 2) return
    const index = list.findIndex((s) => s.id === store.activeId)
    store.activate(list[(index + by + list.length) % list.length]!.id)
  }

  const shortcuts: Shortcut[] = [
    {
      id: 'focus-url',
      keys: ['Mod+K'],
      description: 'Type a URL to connect to',
      group: 'Connection',
      inTextFields: true,
      run: () => focusField('url'),
    },
    {
      id: 'connect',
      keys: ['Mod+Shift+Enter'],
      description: 'Connect, or disconnect the active session',
      group: 'Connection',
      inTextFields: true,
      // The connection bar's button already knows which one it is and when it may.
      run: () => (isLive(store.active?.state) ? void store.disconnect() : clickButton('connect')),
    },
    {
      id: 'next-session',
      keys: ['Ctrl+Tab', 'Alt+ArrowRight'],
      description: 'Next session tab',
      group: 'Sessions',
      run: () => step(1),
    },
    {
      id: 'previous-session',
      keys: ['Ctrl+Shift+Tab', 'Alt+ArrowLeft'],
      description: 'Previous session tab',
      group: 'Sessions',
      run: () => step(-1),
    },
    {
      // Browsers keep Ctrl+W for themselves, so browser mode needs Alt+W too.
      id: 'close-session',
      keys: ['Mod+W', 'Alt+W'],
      description: 'Close the session tab (stops it if it runs)',
      group: 'Sessions',
      inTextFields: true,
      run: () => void (store.activeId && store.dismiss(store.activeId)),
    },
    {
      id: 'pause',
      keys: ['Mod+.'],
      description: 'Pause or resume the frame list (the session keeps running)',
      group: 'Frames',
      inTextFields: true,
      run: () => clickButton('frame-pause'),
    },
    {
      id: 'clear',
      keys: ['Mod+L'],
      description: 'Clear the frame list (the session keeps running)',
      group: 'Frames',
      run: () => clickButton('frame-clear'),
    },
    {
      id: 'send',
      keys: ['Mod+Enter'],
      description: 'Send the message (in the composer)',
      group: 'Composer',
    },
    {
      id: 'toggle-sidebar',
      keys: ['Mod+B'],
      description: 'Show or hide the connections sidebar',
      group: 'Window',
      inTextFields: true,
      run: () => (options.sidebarCollapsed.value = !options.sidebarCollapsed.value),
    },
    {
      id: 'close-overlay',
      keys: ['Escape'],
      description: 'Close a menu, panel or this help',
      group: 'Window',
      inTextFields: true,
      when: () => registry.hasOpenOverlay(),
      run: () => registry.closeTopOverlay(),
    },
  ]
  const registry = useShortcut(...shortcuts)
}
