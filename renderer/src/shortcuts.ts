// Keyboard shortcuts: one registry for the whole window, so the help overlay can
// list exactly what works (it is generated from the registry, never written by
// hand) and two components cannot silently fight over a key.
//
// Keys are written 'Mod+K', 'Ctrl+Tab', 'Alt+ArrowRight', '?': `Mod` is ⌘ on macOS
// and Ctrl elsewhere; `Ctrl` is the Control key everywhere (Ctrl+Tab on a Mac).
import { inject, onScopeDispose, shallowRef, watch, type InjectionKey, type Ref } from 'vue'

export type Platform = 'mac' | 'other'

export type ShortcutGroup = 'Connection' | 'Sessions' | 'Frames' | 'Composer' | 'Window'
export const SHORTCUT_GROUPS: readonly ShortcutGroup[] = ['Connection', 'Sessions', 'Frames', 'Composer', 'Window']

export interface Shortcut {
  /** Stable name, e.g. 'focus-url'; registering the same id again replaces it. */
  id: string
  /** Every combination that triggers it; the help overlay lists them all. */
  keys: readonly string[]
  description: string
  group: ShortcutGroup
  /**
   * What it does. Absent for keys a focused component handles itself (Ctrl+Enter in
   * the composer): they are listed in the help, and the registry leaves them alone.
   */
  run?: (event: KeyboardEvent) => void
  /** Also while the focus is in a text field: for shortcuts that make sense from there (Mod+K). */
  inTextFields?: boolean
  /** Only considered while this holds (Escape only while an overlay is open). */
  when?: () => boolean
}

interface Combo {
  key: string
  ctrl: boolean
  meta: boolean
  alt: boolean
  shift: boolean
}

export interface ShortcutRegistry {
  readonly platform: Platform
  /** Adds a shortcut and returns its removal. */
  register(shortcut: Shortcut): () => void
  /** Every registered shortcut, reactive, in registration order. */
  readonly shortcuts: Readonly<Ref<readonly Shortcut[]>>
  /** Runs the shortcut this key event means, if any; returns whether one ran. */
  handle(event: KeyboardEvent): boolean
  /** How a combination is shown to a person on this platform: '⌘K' or 'Ctrl+K'. */
  label(keys: string): string
  /** Handles key events on a target (the window) until the returned function is called. */
  listen(target: Pick<Window, 'addEventListener' | 'removeEventListener'>): () => void
  /**
   * Overlays (help, menus, dialogs) say when they are open, so that Escape closes the
   * topmost one; returns the removal. The last one opened closes first.
   */
  openOverlay(close: () => void): () => void
  /** Closes the topmost overlay; false when none is open. */
  closeTopOverlay(): boolean
  hasOpenOverlay(): boolean
}

export function detectPlatform(nav: Pick<Navigator, 'platform' | 'userAgent'> | undefined = globalThis.navigator): Platform {
  if (!nav) return 'other'
  return /Mac|iPhone|iPad/.test(nav.platform || nav.userAgent) ? 'mac' : 'other'
}

export function createShortcutRegistry(platform: Platform = detectPlatform()): ShortcutRegistry {
  const shortcuts = shallowRef<readonly Shortcut[]>([])
  const parsed = new Map<string, Combo[]>()
  const overlays: Array<() => void> = []

  function register(shortcut: Shortcut): () => void {
    parsed.set(shortcut.id, shortcut.keys.map((k) => parseCombo(k, platform)))
    shortcuts.value = [...shortcuts.value.filter((s) => s.id !== shortcut.id), shortcut]
    return () => {
      // Only remove this very registration, not a later one that replaced it.
      if (!shortcuts.value.includes(shortcut)) return
      shortcuts.value = shortcuts.value.filter((s) => s !== shortcut)
      parsed.delete(shortcut.id)
    }
  }

  function handle(event: KeyboardEvent): boolean {
    if (event.defaultPrevented || event.isComposing) return false
    const typing = isTextField(event.target)
    // The latest registration wins, so a component can take over a key while it is shown.
    const list = shortcuts.value
    for (let i = list.length - 1; i >= 0; i--) {
      const shortcut = list[i]!
      if (!shortcut.run || (typing && !shortcut.inTextFields)) continue
      if (shortcut.when && !shortcut.when()) continue
      if (!parsed.get(shortcut.id)?.some((combo) => matches(combo, event))) continue
      event.preventDefault()
      shortcut.run(event)
      return true
    }
    return false
  }

  function listen(target: Pick<Window, 'addEventListener' | 'removeEventListener'>): () => void {
    const onKey = (event: Event) => handle(event as KeyboardEvent)
    target.addEventListener('keydown', onKey)
    return () => target.removeEventListener('keydown', onKey)
  }

  function openOverlay(close: () => void): () => void {
    overlays.push(close)
    return () => {
      const index = overlays.lastIndexOf(close)
      if (index >= 0) overlays.splice(index, 1)
    }
  }

  function closeTopOverlay(): boolean {
    const close = overlays.pop()
    close?.()
    return close !== undefined
  }

  return {
    platform,
    register,
    shortcuts,
    handle,
    label: (keys) => labelOf(parseCombo(keys, platform), platform),
    listen,
    openOverlay,
    closeTopOverlay,
    hasOpenOverlay: () => overlays.length > 0,
  }
}

/** The window's registry; tests and previews can provide their own under ShortcutsKey. */
export const appShortcuts = createShortcutRegistry()
export const ShortcutsKey: InjectionKey<ShortcutRegistry> = Symbol('shortcuts')

export function useShortcuts(): ShortcutRegistry {
  return inject(ShortcutsKey, appShortcuts)
}

/** Registers shortcuts for as long as the calling component (or effect scope) lives. */
export function useShortcut(...list: Shortcut[]): ShortcutRegistry {
  const registry = useShortcuts()
  const removals = list.map((s) => registry.register(s))
  onScopeDispose(() => removals.forEach((remove) => remove()))
  return registry
}

/**
 * For anything that opens over the window (a menu, a panel, a dialog): while `open`
 * is true, Escape closes it, the most recently opened first.
 */
export function useOverlay(open: Ref<boolean>): void {
  const registry = useShortcuts()
  let remove: (() => void) | undefined
  watch(
    open,
    (isOpen) => {
      remove?.()
      remove = isOpen ? registry.openOverlay(() => (open.value = false)) : undefined
    },
    { immediate: true },
  )
  onScopeDispose(() => remove?.())
}

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'url', 'email', 'password', 'number', 'tel', ''])

/** Keys typed here are text, not commands. */
export function isTextField(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false
  const element = target as HTMLElement
  if (element.isContentEditable) return true
  const tag = element.tagName.toLowerCase()
  if (tag === 'textarea' || tag === 'select') return true
  return tag === 'input' && TEXT_INPUT_TYPES.has(((element as HTMLInputElement).getAttribute('type') ?? '').toLowerCase())
}

function parseCombo(text: string, platform: Platform): Combo {
  // The key is the last part, so 'Mod++' is not needed: write 'Mod+Plus'.
  const parts = text.split('+')
  const key = parts.pop()!
  const combo: Combo = { key: key === 'Plus' ? '+' : key, ctrl: false, meta: false, alt: false, shift: false }
  for (const part of parts) {
    if (part === 'Mod') combo[platform === 'mac' ? 'meta' : 'ctrl'] = true
    else if (part === 'Ctrl') combo.ctrl = true
    else if (part === 'Cmd' || part === 'Meta') combo.meta = true
    else if (part === 'Alt') combo.alt = true
    else if (part === 'Shift') combo.shift = true
    else throw new Error(`Unknown modifier "${part}" in shortcut "${text}"`)
  }
  return combo
}

function matches(combo: Combo, event: KeyboardEvent): boolean {
  if (combo.ctrl !== event.ctrlKey || combo.meta !== event.metaKey || combo.alt !== event.altKey) return false
  const key = combo.key
  if (key.length === 1 && /[a-z0-9]/i.test(key)) {
    // event.code too: Alt+W types '∑' on a Mac, and other layouts type other letters.
    const code = /[0-9]/.test(key) ? `Digit${key}` : `Key${key.toUpperCase()}`
    return combo.shift === event.shiftKey && (event.key.toLowerCase() === key.toLowerCase() || event.code === code)
  }
  // Punctuation such as '?' needs Shift on some layouts and not on others: ignore it.
  if (key.length === 1) return event.key === key
  return combo.shift === event.shiftKey && event.key === key
}

const MAC_SYMBOLS = { ctrl: '⌃', alt: '⌥', shift: '⇧', meta: '⌘' }
const KEY_NAMES: Record<string, string> = {
  ArrowLeft: '←',
  ArrowRight: '→',
  ArrowUp: '↑',
  ArrowDown: '↓',
  Escape: 'Esc',
  ' ': 'Space',
}

function labelOf(combo: Combo, platform: Platform): string {
  const key = KEY_NAMES[combo.key] ?? (combo.key.length === 1 ? combo.key.toUpperCase() : combo.key)
  if (platform === 'mac') {
    const mods = (['ctrl', 'alt', 'shift', 'meta'] as const).filter((m) => combo[m]).map((m) => MAC_SYMBOLS[m])
    return mods.join('') + key
  }
  const mods = [combo.ctrl && 'Ctrl', combo.meta && 'Meta', combo.alt && 'Alt', combo.shift && 'Shift'].filter(Boolean)
  return [...mods, key].join('+')
}
