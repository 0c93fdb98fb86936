// A recording that stopped before its session ended is marked where the user looks:
// the status bar of the session, and its entry in the Recordings list.
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { RecordingSearchHit } from '@contract'
import StatusLine from '../../renderer/src/components/StatusLine.vue'
import RecordingItem from '../../renderer/src/components/recordings/RecordingItem.vue'
import type { SessionView } from '../../renderer/src/stores/sessions'

const STOPPED = 'recording stopped: the disk could not keep up (64 MiB waiting to be written to /tmp/x.rti.jsonl); the session goes on unrecorded'

const session = (extra: Partial<SessionView> = {}): SessionView => ({
  id: 's1',
  label: 'echo',
  url: 'ws://127.0.0.1/echo',
  technique: 'websocket',
  state: 'open',
  startedAt: Date.now(),
  stats: { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 },
  ...extra,
})

const recording = (extra: Partial<RecordingSearchHit> = {}): RecordingSearchHit => ({
  name: 'chat.rti.jsonl',
  endpoint: 'ws://127.0.0.1/chat',
  technique: 'websocket',
  startedAt: Date.now(),
  durationMs: 1000,
  frames: 10,
  framesExact: true,
  bytes: 1000,
  modifiedAt: Date.now(),
  ...extra,
})

describe('a recording stopped early', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('is marked in the status bar, with the reason on hover, also after the session closed', () => {
    const line = mount(StatusLine, { props: { session: session({ recordingStopped: STOPPED, state: 'closed', lastClose: { code: 1000, reason: '', cause: 'remote-close' } }), environment: undefined } })
    const mark = line.get('[data-testid="recording-stopped"]')
    expect(mark.text()).toBe('● recording stopped')
    expect(mark.attributes('title')).toBe(STOPPED)
    expect(mount(StatusLine, { props: { session: session(), environment: undefined } }).find('[data-testid="recording-stopped"]').exists()).toBe(false)
  })

  it('is marked in the Recordings list, with the reason on hover', () => {
    const item = mount(RecordingItem, { props: { recording: recording({ stopped: STOPPED }), busy: false } })
    expect(item.get('[data-testid="recording-stopped"]').text()).toBe('stopped early')
    expect(item.get('[data-testid="recording-stopped"]').attributes('title')).toBe(STOPPED)
    expect(mount(RecordingItem, { props: { recording: recording(), busy: false } }).find('[data-testid="recording-stopped"]').exists()).toBe(false)
  })
})
