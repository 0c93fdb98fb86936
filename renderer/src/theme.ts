// Light, dark, or whatever the system says (the default). The choice is remembered
// per profile and shown as `data-theme` on <html>; theme.css does the rest, so
// components never branch on the theme. 'system' leaves prefers-color-scheme in
// charge, which also covers the moment before this script runs.
import { computed, readonly, ref, type Ref } from 'vue'

export type ThemeChoice = 'system' | 'light' | 'dark'
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark']
export const THEME_STORAGE_KEY = 'rti.theme'

const choice = ref<ThemeChoice>('system')
const systemDark = ref(false)
let started = false

function read(): ThemeChoice {
  try {
    const saved = localStorage.getItem(THEME_STORAGE_KEY)
    return THEME_CHOICES.includes(saved as ThemeChoice) ? (saved as ThemeChoice) : 'system'
  } catch {
    return 'system' // storage can be unavailable (privacy modes); the default is fine
  }
}

function apply(next: ThemeChoice, root: HTMLElement = document.documentElement): void {
  root.setAttribute('data-theme', next)
}

/** Reads the saved choice, applies it and starts following the system. Safe to call again. */
export function startTheme(): void {
  if (started) return
  started = true
  choice.value = read()
  apply(choice.value)
  const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined
  if (query) {
    systemDark.value = query.matches
    query.addEventListener?.('change', (e) => (systemDark.value = e.matches))
  }
}

export function setTheme(next: ThemeChoice): void {
  choice.value = next
  apply(next)
  try {
    localStorage.setItem(THEME_STORAGE_KEY, next)
  } catch {
    // not remembered, still applied
  }
}

/** system → light → dark → system */
export function cycleTheme(): ThemeChoice {
  const next = THEME_CHOICES[(THEME_CHOICES.indexOf(choice.value) + 1) % THEME_CHOICES.length]!
  setTheme(next)
  return next
}

export interface ThemeState {
  choice: Readonly<Ref<ThemeChoice>>
  /** What is actually shown: for canvases and charts that cannot use CSS variables. */
  resolved: Readonly<Ref<'light' | 'dark'>>
}

const resolved = computed(() => (choice.value === 'system' ? (systemDark.value ? 'dark' : 'light') : choice.value))

export function useTheme(): ThemeState {
  startTheme()
  return { choice: readonly(choice), resolved }
}

/** For tests: forget the started state so the next start reads storage again. */
export function resetThemeForTests(): void {
  started = false
  choice.value = 'system'
  systemDark.value = false
}
