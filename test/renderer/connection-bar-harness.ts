// The connection bar as its editor tests drive it: mounted on the document with a fresh
// store per test, fake timers (the check waits for a pause in typing), and the steps
// and reads the tests share.
import { mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, vi } from 'vitest'
import { nextTick } from 'vue'
import type { TechniqueName } from '@contract'
import ConnectionBar from '../../renderer/src/components/ConnectionBar.vue'
import { VALIDATION_DELAY_MS } from '../../renderer/src/stores/library'

/** The bar the running test mounted. */
export let bar: VueWrapper
let pinia: Pinia

/** Call once at the top of a test file: a fresh store and fake timers per test, the bar unmounted after. */
export function useConnectionBar(): void {
  beforeEach(() => {
    vi.useFakeTimers()
    pinia = createPinia()
    setActivePinia(pinia)
  })
  afterEach(() => {
    bar?.unmount()
    vi.useRealTimers()
  })
}

export function mountBar(props: Record<string, unknown> = {}): VueWrapper {
  bar = mount(ConnectionBar, { props, global: { plugins: [pinia] }, attachTo: document.body })
  return bar
}

/** Lets the debounced check run, as a pause in typing does. */
export async function pause(): Promise<void> {
  vi.advanceTimersByTime(VALIDATION_DELAY_MS)
  await nextTick()
}

export async function setUp(technique: TechniqueName, url: string): Promise<void> {
  await bar.get('[data-testid=technique]').setValue(technique)
  await bar.get('[data-testid=url]').setValue(url)
}

/** Opens the options editor (when closed) on one of its tabs. */
export async function openTab(tab: string): Promise<void> {
  if (!bar.find('[data-testid=connection-editor]').exists()) await bar.get('[data-testid=options-toggle]').trigger('click')
  await bar.get(`[data-testid=editor-tab-${tab}]`).trigger('click')
}

/** The problem shown under one field (by its spec path), or undefined. */
export function problemAt(field: string): string | undefined {
  const node = bar.find(`[data-field="${field}"] [data-testid=field-problem]`)
  return node.exists() ? node.text() : undefined
}

export const connectButton = () => bar.get('[data-testid=connect]')
