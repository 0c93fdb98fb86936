import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineComponent, effectScope, h, nextTick } from 'vue'
import Splitter from '../../renderer/src/components/Splitter.vue'
import { usePersistedChoice, usePersistedSize } from '../../renderer/src/layout/persisted'

const BOUNDS = { initial: 300, min: 200, max: 500 }

/** A pane sized by a splitter, its size remembered as App.vue does it. */
function mountPane(options: { orientation?: 'vertical' | 'horizontal'; after?: boolean } = {}) {
  return mount(
    defineComponent({
      setup() {
        const size = usePersistedSize('testPane', BOUNDS)
        return () =>
          h('div', [
            h('div', { 'data-testid': 'pane', 'data-size': size.value }),
            h(Splitter, {
              orientation: options.orientation ?? 'vertical',
              after: options.after ?? false,
              min: BOUNDS.min,
              max: BOUNDS.max,
              defaultSize: BOUNDS.initial,
              label: 'Resize the pane',
              size: size.value,
              'onUpdate:size': (value: number) => (size.value = value),
            }),
          ])
      },
    }),
  )
}

const sizeOf = (pane: ReturnType<typeof mountPane>) => Number(pane.get('[data-testid=pane]').attributes('data-size'))

beforeEach(() => localStorage.clear())

describe('Splitter', () => {
  it('is a focusable separator that reports the size', () => {
    const pane = mountPane()
    const splitter = pane.get('[role=separator]')
    expect(splitter.attributes('tabindex')).toBe('0')
    expect(splitter.attributes('aria-valuenow')).toBe('300')
    expect(splitter.attributes('aria-valuemin')).toBe('200')
    expect(splitter.attributes('aria-valuemax')).toBe('500')
    expect(splitter.attributes('aria-orientation')).toBe('vertical')
    expect(splitter.attributes('aria-label')).toBe('Resize the pane')
  })

  it('follows a pointer drag, within the bounds', async () => {
    const pane = mountPane()
    const splitter = pane.get('[role=separator]')
    await splitter.trigger('pointerdown', { button: 0, clientX: 300, pointerId: 1 })
    await splitter.trigger('pointermove', { clientX: 360, pointerId: 1 })
    expect(sizeOf(pane)).toBe(360)
    await splitter.trigger('pointermove', { clientX: 900, pointerId: 1 })
    expect(sizeOf(pane)).toBe(500)
    await splitter.trigger('pointermove', { clientX: 0, pointerId: 1 })
    expect(sizeOf(pane)).toBe(200)
    await splitter.trigger('pointerup', { clientX: 0, pointerId: 1 })
    // After the button is released, moving the pointer changes nothing.
    await splitter.trigger('pointermove', { clientX: 450, pointerId: 1 })
    expect(sizeOf(pane)).toBe(200)
    expect(splitter.attributes('aria-valuenow')).toBe('200')
  })

  it('grows a pane after the line when the line moves toward the start (the detail pane, the composer)', async () => {
    const pane = mountPane({ orientation: 'horizontal', after: true })
    const splitter = pane.get('[role=separator]')
    await splitter.trigger('pointerdown', { button: 0, clientY: 500, pointerId: 1 })
    await splitter.trigger('pointermove', { clientY: 440, pointerId: 1 })
    expect(sizeOf(pane)).toBe(360)
    await splitter.trigger('pointerup', { clientY: 440, pointerId: 1 })
    await splitter.trigger('keydown', { key: 'ArrowDown' })
    expect(sizeOf(pane)).toBe(344)
    await splitter.trigger('keydown', { key: 'ArrowUp' })
    expect(sizeOf(pane)).toBe(360)
  })

  it('moves with the arrow keys, farther with Shift, to the ends with Home and End', async () => {
    const pane = mountPane()
    const splitter = pane.get('[role=separator]')
    await splitter.trigger('keydown', { key: 'ArrowRight' })
    expect(sizeOf(pane)).toBe(316)
    await splitter.trigger('keydown', { key: 'ArrowLeft', shiftKey: true })
    expect(sizeOf(pane)).toBe(236)
    await splitter.trigger('keydown', { key: 'ArrowLeft', shiftKey: true })
    expect(sizeOf(pane)).toBe(200)
    await splitter.trigger('keydown', { key: 'End' })
    expect(sizeOf(pane)).toBe(500)
    await splitter.trigger('keydown', { key: 'Home' })
    expect(sizeOf(pane)).toBe(200)
    // Keys of the other direction are not this splitter's.
    await splitter.trigger('keydown', { key: 'ArrowDown' })
    expect(sizeOf(pane)).toBe(200)
  })

  it('remembers the size across a reload, and a double-click restores the default', async () => {
    const first = mountPane()
    await first.get('[role=separator]').trigger('keydown', { key: 'End' })
    first.unmount()
    expect(localStorage.getItem('rti.layout.testPane')).toBe('500')

    const again = mountPane()
    expect(sizeOf(again)).toBe(500)
    await again.get('[role=separator]').trigger('dblclick')
    expect(sizeOf(again)).toBe(300)
    expect(localStorage.getItem('rti.layout.testPane')).toBe('300')
  })

  it('clamps a remembered size that is out of bounds, and ignores one that is not a number', () => {
    localStorage.setItem('rti.layout.testPane', '9000')
    expect(sizeOf(mountPane())).toBe(500)
    localStorage.setItem('rti.layout.testPane', 'wide')
    expect(sizeOf(mountPane())).toBe(300)
  })
})

describe('a remembered layout choice (the sidebar: auto, shown or hidden)', () => {
  const SIDEBAR = ['auto', 'shown', 'hidden'] as const
  const inScope = <T>(make: () => T) => effectScope().run(make)!

  it('starts at the default, and keeps what was chosen for the next start', async () => {
    const choice = inScope(() => usePersistedChoice('sidebar', SIDEBAR, 'auto'))
    expect(choice.value).toBe('auto')
    choice.value = 'hidden'
    await nextTick()
    expect(inScope(() => usePersistedChoice('sidebar', SIDEBAR, 'auto')).value).toBe('hidden')
  })

  it('reads a value it does not know as the default', () => {
    localStorage.setItem('rti.layout.sidebar', 'floating')
    expect(inScope(() => usePersistedChoice('sidebar', SIDEBAR, 'auto')).value).toBe('auto')
  })
})
