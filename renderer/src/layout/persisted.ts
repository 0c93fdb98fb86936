// Layout choices (pane sizes, a collapsed sidebar) survive a reload: they are part
// of how a person arranged their window, not of any session.
import { ref, watch, type Ref } from 'vue'

const PREFIX = 'rti.layout.'

function load(key: string): string | null {
  try {
    return localStorage.getItem(PREFIX + key)
  } catch {
    return null // storage unavailable: start from the defaults
  }
}

function save(key: string, value: string): void {
  try {
    localStorage.setItem(PREFIX + key, value)
  } catch {
    // not remembered; the layout still works
  }
}

export const clampSize = (value: number, min: number, max: number) => Math.round(Math.min(Math.max(value, min), Math.max(min, max)))

/** A pane size in pixels, remembered under `rti.layout.<key>`; a saved value out of bounds is clamped. */
export function usePersistedSize(key: string, options: { initial: number; min: number; max: number }): Ref<number> {
  const saved = Number(load(key))
  const size = ref(load(key) !== null && Number.isFinite(saved) ? clampSize(saved, options.min, options.max) : options.initial)
  watch(size, (value) => save(key, String(value)))
  return size
}

/** One of a few named values, remembered under `rti.layout.<key>`; anything else saved reads as `initial`. */
export function usePersistedChoice<T extends string>(key: string, choices: readonly T[], initial: T): Ref<T> {
  const saved = load(key) as T | null
  const choice = ref(saved !== null && choices.includes(saved) ? saved : initial) as Ref<T>
  watch(choice, (value) => save(key, value))
  return choice
}
