// The timeline chart's test setting, shared by its tests: a session 100 s long from
// T0, and a plot box that measures 1098 px wide (happy-dom lays nothing out), so the
// plotting area between the axes is AREA = 1000 px and a second is 10 px.
import { vi } from 'vitest'
import type { SessionStats } from '@contract'
import type { SessionView } from '../../renderer/src/stores/sessions'

export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0)
export const ZERO: SessionStats = { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 }
/** The plot box is 1098 px wide, so the plotting area between the axes is 1000 px. */
export const AREA = 1000

/** A closed WebSocket session from T0 to T0 + 100 s. */
export const timelineSession = (extra: Partial<SessionView> = {}): SessionView => ({
  id: 's1',
  label: 'x',
  url: 'ws://h/',
  technique: 'websocket',
  state: 'closed',
  startedAt: T0,
  endedAt: T0 + 100_000,
  stats: { ...ZERO },
  ...extra,
})

/** Every element measures as the 1098 × 100 px plot box; undone by vi.restoreAllMocks(). */
export function measurePlotBox(): void {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({ left: 0, top: 0, right: 1098, bottom: 100, width: 1098, height: 100, x: 0, y: 0, toJSON: () => ({}) })
}
