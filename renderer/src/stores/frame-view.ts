// What the frame list shows of one session: its filter, the matching frames, whether
// the view is paused. Kept per FrameWindow (a WeakMap, so a dismissed tab takes its
// view along) and plain, like the window: views follow `tick`, bumped when the match
// index grew or the user changed something, plus the window itself (reactive as a whole).
import { computed, onBeforeUnmount, ref } from 'vue'
import type { Frame } from '@contract'
import { collectPacketKeys, type PacketKey } from '../format/packet-format'
import { compileFilter, NO_FILTER, type CompiledFilter, type FilterCriteria } from './frame-filter'
import type { FrameWindow } from './frame-window'
import { MatchIndex } from './match-index'

/** One slice of filter work; leaves room in a 16 ms frame and stays far below a 50 ms long task. */
export const SLICE_MS = 8
/** A hostile stream could invent a new event type per event; the select lists this many. */
const MAX_EVENT_TYPES = 200

interface SessionView {
  criteria: FilterCriteria
  compiled: CompiledFilter
  /** Undefined while nothing filters: rows are then the window's frames themselves. */
  index: MatchIndex | undefined
  /** Absolute end of the window when the user paused; rows after it are not shown. */
  pausedAt: number | undefined
  eventTypes: Set<string>
  /** The same sorted array until a new type shows up, so the select does not re-render per batch. */
  eventTypeList: readonly string[]
  /** Decoded packets' types, event names and operation ids seen (`type:ACK`, `event:chat`, `id:1`). */
  packetKeys: Set<string>
  packetKeyList: readonly string[]
  typesCursor: number
}

const views = new WeakMap<FrameWindow, SessionView>()

function viewOf(held: FrameWindow): SessionView {
  let view = views.get(held)
  if (!view) {
    view = { criteria: NO_FILTER, compiled: compileFilter(NO_FILTER), index: undefined, pausedAt: undefined, eventTypes: new Set(), eventTypeList: [], packetKeys: new Set(), packetKeyList: [], typesCursor: 0 }
    views.set(held, view)
  }
  return view
}

/** Event types and packet names are collected over new frames only, like the matches. */
function collectEventTypes(held: FrameWindow, view: SessionView): void {
  const base = held.base
  const end = base + held.length
  const known = view.eventTypes.size
  const knownPackets = view.packetKeys.size
  const addPacketKey = (key: PacketKey) => {
    if (view.packetKeys.size < MAX_EVENT_TYPES) view.packetKeys.add(key)
  }
  for (let position = Math.max(view.typesCursor, base); position < end; position++) {
    const frame = held.get(position - base)!
    if (frame.kind === 'event' && view.eventTypes.size < MAX_EVENT_TYPES) view.eventTypes.add(frame.event)
    if ((frame.kind === 'message' || frame.kind === 'event') && frame.decoded !== undefined) collectPacketKeys(frame.decoded, addPacketKey)
  }
  view.typesCursor = end
  if (view.eventTypes.size !== known) view.eventTypeList = [...view.eventTypes].sort()
  if (view.packetKeys.size !== knownPackets) view.packetKeyList = [...view.packetKeys].sort()
}

export function useFrameView(frames: () => FrameWindow | undefined) {
  /** Bumped when anything this composable keeps changed, so computeds re-read it. */
  const tick = ref(0)
  let slice: ReturnType<typeof setTimeout> | undefined

  const current = (): SessionView | undefined => {
    void tick.value
    const window = frames()
    // The window tracks itself: reading its revision makes whatever calls this follow it.
    void window?.revision
    return window ? viewOf(window) : undefined
  }

  /**
   * Test frames not seen yet for at most one slice; if more remain (a new filter over
   * a full window), go on in a later task so the page can paint and take input between.
   */
  function pump(): void {
    const window = frames()
    if (!window) return
    const view = viewOf(window)
    collectEventTypes(window, view)
    if (view.index && !view.index.advance(window, performance.now() + SLICE_MS)) scheduleSlice()
    tick.value++
  }

  function scheduleSlice(): void {
    if (slice !== undefined) return
    slice = setTimeout(() => {
      slice = undefined
      pump()
    }, 0)
  }
  onBeforeUnmount(() => clearTimeout(slice))

  const criteria = computed<FilterCriteria>({
    get: () => current()?.criteria ?? NO_FILTER,
    set: (next) => {
      const window = frames()
      if (!window) return
      const view = viewOf(window)
      view.criteria = next
      view.compiled = compileFilter(next)
      view.index = view.compiled.test ? new MatchIndex(view.compiled.test) : undefined
      pump()
    },
  })

  const compiled = computed(() => current()?.compiled ?? compileFilter(NO_FILTER))
  const filtering = computed(() => current()?.index !== undefined)

  /** Held frames, all of them, whatever the filter. */
  const total = computed(() => {
    void current()
    return frames()?.length ?? 0
  })

  /** Rows the list shows: matching frames, and none past the pause point. */
  const rowCount = computed(() => {
    const view = current()
    const window = frames()
    if (!view || !window) return 0
    const end = view.pausedAt ?? Infinity
    if (view.index) return view.pausedAt === undefined ? view.index.length : view.index.rank(end)
    return Math.max(0, Math.min(window.length, end - window.base))
  })

  /** Matching frames held, paused or not: the count in "N of M frames". */
  const matchCount = computed(() => {
    const view = current()
    return view?.index ? view.index.length : total.value
  })

  /** Share of the window tested by a rebuild in progress, or undefined when caught up. */
  const progress = computed(() => {
    const view = current()
    const window = frames()
    if (!view?.index || !window || view.index.caughtUp(window)) return undefined
    return view.index.progress(window)
  })

  const paused = computed(() => current()?.pausedAt !== undefined)
  /** Frames that arrived since the pause, shown or not. */
  const newSincePause = computed(() => {
    const view = current()
    const window = frames()
    if (view?.pausedAt === undefined || !window) return 0
    return Math.max(0, window.base + window.length - view.pausedAt)
  })

  const eventTypes = computed(() => current()?.eventTypeList ?? [])
  const packetKeys = computed(() => current()?.packetKeyList ?? [])

  /** Rows gone from the front since the start (dropped or cleared frames), to keep the scroll steady. */
  function rowsTrimmed(): number {
    const window = frames()
    if (!window) return 0
    const view = viewOf(window)
    return view.index ? view.index.trimmed : window.base
  }

  function positionOfRow(row: number): number | undefined {
    const window = frames()
    if (!window) return undefined
    const view = viewOf(window)
    return view.index ? view.index.at(row) : window.base + row
  }

  function frameAt(row: number): Frame | undefined {
    const window = frames()
    const position = positionOfRow(row)
    return window && position !== undefined ? window.get(position - window.base) : undefined
  }

  /** The row showing the frame at this window index, or the row of the next match after it. */
  function rowOfIndex(index: number): number {
    const window = frames()
    if (!window) return 0
    const view = viewOf(window)
    return view.index ? view.index.rank(window.base + index) : index
  }

  function pause(): void {
    const window = frames()
    if (!window) return
    viewOf(window).pausedAt = window.base + window.length
    tick.value++
  }

  function resume(): void {
    const window = frames()
    if (!window) return
    viewOf(window).pausedAt = undefined
    tick.value++
  }

  /** Empties the view; the window keeps taking frames and later ones show up. */
  function clear(): void {
    const window = frames()
    if (!window) return
    window.clear()
    const view = viewOf(window)
    if (view.pausedAt !== undefined) view.pausedAt = window.base
    pump()
  }

  return {
    tick,
    criteria,
    compiled,
    filtering,
    total,
    rowCount,
    matchCount,
    progress,
    paused,
    newSincePause,
    eventTypes,
    packetKeys,
    pump,
    rowsTrimmed,
    frameAt,
    rowOfIndex,
    pause,
    resume,
    clear,
  }
}

export type FrameView = ReturnType<typeof useFrameView>
