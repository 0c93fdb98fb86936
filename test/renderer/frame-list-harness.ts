// The frame list as its component tests mount it: a FrameWindow holding the frames, the
// list over it with a shortcut registry (the app always provides one), what the tests
// read off it, and one place that unmounts everything after each test.
import { mount, type VueWrapper } from '@vue/test-utils'
import type { Frame } from '@contract'
import FrameList from '../../renderer/src/components/FrameList.vue'
import { createShortcutRegistry, ShortcutsKey, type ShortcutRegistry } from '../../renderer/src/shortcuts'
import { FrameWindow } from '../../renderer/src/stores/frame-window'

/** A window holding `frames` (at most `cap`), as the store hands one to the list. */
export function windowOf(frames: Frame[], cap?: number): FrameWindow {
  const held = new FrameWindow(cap)
  held.append(frames, 0, frames.at(-1)?.seq ?? 0)
  return held
}

let mounted: VueWrapper[] = []

/** Unmounts what the test mounted through here; call it in afterEach. */
export function unmountAll(): void {
  mounted.forEach((w) => w.unmount())
  mounted = []
}

/** Unmounts `wrapper` with the rest after the test. */
export function unmountLater<W extends VueWrapper>(wrapper: W): W {
  mounted.push(wrapper)
  return wrapper
}

export interface MountListOptions {
  registry?: ShortcutRegistry
  /** Attach to the document (focus and key handling need it). */
  attached?: boolean
}

export function mountList(held: FrameWindow, options: MountListOptions = {}) {
  return unmountLater(
    mount(FrameList, {
      props: { frames: held },
      global: { provide: { [ShortcutsKey as symbol]: options.registry ?? createShortcutRegistry('other') } },
      ...(options.attached ? { attachTo: document.body } : {}),
    }),
  )
}

/** The seqs of the rows rendered, top to bottom. */
export const rowSeqs = (list: VueWrapper) => list.findAll('[data-testid=frame-row]').map((r) => Number(r.attributes('data-seq')))

/** Appends `frames` to the window, as the store does once per batch, and lets the list render. */
export async function append(list: VueWrapper, held: FrameWindow, frames: Frame[]): Promise<void> {
  held.append(frames, 0, frames.at(-1)!.seq)
  // The window is reactive as a whole: nothing to tell the list.
  await list.vm.$nextTick()
}
