import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FrameBatch, SessionStats } from '@contract'
import StatusLine from '../../renderer/src/components/StatusLine.vue'
import { useSessionsStore, type SessionView } from '../../renderer/src/stores/sessions'

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0)
const ZERO: SessionStats = { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 }

const view = (extra: Partial<SessionView> = {}): SessionView => ({
  id: 's1',
  label: 'echo',
  url: 'ws://127.0.0.1/echo',
  technique: 'websocket',
  state: 'open',
  startedAt: T0,
  stats: { ...ZERO },
  ...extra,
})

function mountLine(session: SessionView | undefined) {
  return mount(StatusLine, { props: { session, environment: { version: '1.2.3', transport: 'bridge' } } })
}

describe('StatusLine', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.useFakeTimers()
    vi.setSystemTime(T0)
  })
  afterEach(() => vi.useRealTimers())

  it('shows the state and an uptime that ticks while the session lives and stops when it closes', async () => {
    const line = mountLine(view())
    expect(line.get('[data-testid="state"]').attributes('data-state')).toBe('open')
    expect(line.get('[data-testid="uptime"]').text()).toBe('0:00')
    await vi.advanceTimersByTimeAsync(65_000)
    expect(line.get('[data-testid="uptime"]').text()).toBe('1:05')

    await line.setProps({ session: view({ state: 'closed', endedAt: T0 + 70_000 }) })
    expect(line.get('[data-testid="state"]').text()).toContain('closed')
    await vi.advanceTimersByTimeAsync(3_600_000)
    expect(line.get('[data-testid="uptime"]').text()).toBe('1:10')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('reads counts with thousands separators and bytes with units', () => {
    const stats: SessionStats = { frames: 1_234_567, messagesIn: 1_200_000, messagesOut: 34_567, bytesIn: 5 * 1024 * 1024, bytesOut: 2_560, reconnects: 3 }
    const line = mountLine(view({ stats }))
    expect(line.get('[data-testid="frames"]').text()).toBe('1,234,567 frames')
    expect(line.get('[data-testid="messages"]').text()).toBe('↑ 34,567 ↓ 1,200,000 msgs')
    expect(line.get('[data-testid="bytes"]').text()).toBe('↑ 2.5 KB ↓ 5.0 MB')
    expect(line.get('[data-testid="reconnects"]').text()).toBe('↻ 3 reconnects')
  })

  it('says one reconnect, and no session when there is none', () => {
    expect(mountLine(view({ stats: { ...ZERO, reconnects: 1 } })).get('[data-testid="reconnects"]').text()).toBe('↻ 1 reconnect')
    const empty = mountLine(undefined)
    expect(empty.get('[data-testid="state"]').text()).toBe('no session')
    expect(empty.find('[data-testid="rate"]').exists()).toBe(false)
  })

  it('says how the session last closed, without saying closed twice', () => {
    const byUser = mountLine(view({ state: 'closed', endedAt: T0 + 1_000, lastClose: { code: 0, reason: 'closed by the user', cause: 'local' } }))
    expect(byUser.get('[data-testid="last-close"]').text()).toBe('closed by the user')
    const dropped = mountLine(view({ state: 'closed', endedAt: T0 + 1_000, lastClose: { code: 1006, reason: '', cause: 'fin' } }))
    expect(dropped.get('[data-testid="last-close"]').text()).toMatch(/^closed 1006 .* · cut with a TCP FIN/)
  })

  it('shows the current rate over the last three seconds, including messages not shown in the list', async () => {
    const store = useSessionsStore()
    let stats = { ...ZERO }
    // 100 messages (1 KB) a second arrive for five seconds; each batch carries one frame, the rest skipped.
    for (let s = 0; s < 5; s++) {
      const previous = stats
      stats = { ...stats, frames: stats.frames + 100, messagesIn: stats.messagesIn + 100, bytesIn: stats.bytesIn + 1_000 }
      const batch: FrameBatch = {
        sessionId: 's1',
        frames: [{ seq: stats.frames, time: T0 + s * 1000 + 900, direction: 'in', kind: 'message', data: 'x', size: 10 }],
        skipped: 99,
        lastSeq: stats.frames,
        state: 'open',
        stats,
      }
      store.rates.record(batch, previous, T0, T0 + s * 1000 + 900)
    }
    vi.setSystemTime(T0 + 5_200)
    const line = mountLine(view({ stats }))
    expect(line.get('[data-testid="rate"]').text()).toBe('now ↑ 0 ↓ 100 msg/s · 1000 B/s')

    // Quiet from here on: a second later the three-second window holds two busy seconds.
    await vi.advanceTimersByTimeAsync(1_000)
    expect(line.get('[data-testid="rate"]').text()).toBe('now ↑ 0 ↓ 67 msg/s · 667 B/s')
    await vi.advanceTimersByTimeAsync(3_000)
    expect(line.get('[data-testid="rate"]').text()).toBe('now ↑ 0 ↓ 0 msg/s · 0 B/s')

    await line.setProps({ session: view({ stats, state: 'closed', endedAt: T0 + 9_000 }) })
    expect(line.find('[data-testid="rate"]').exists()).toBe(false)
  })
})
