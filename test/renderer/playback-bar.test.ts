import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ok, type ControlPlaybackParams, type Frame, type PlaybackInfo } from '@contract'
import PlaybackBar from '../../renderer/src/components/PlaybackBar.vue'
import { playbackPosition, usePlaybackStore } from '../../renderer/src/stores/playback'
import { useSessionsStore } from '../../renderer/src/stores/sessions'
import { playbackInfo, recordingsStandIn } from './recordings-stand-in'

const START = 1_000
let bar: VueWrapper

afterEach(() => bar?.unmount())

function mountBar(playback: Partial<PlaybackInfo> = {}, props: { position?: number; atTime?: number } = {}) {
  bar = mount(PlaybackBar, {
    props: { sessionId: 'p1', playback: playbackInfo(playback), position: props.position ?? 0, startedAt: START, atTime: props.atTime },
    attachTo: document.body,
  })
  return bar
}
const emitted = () => (bar.emitted('control') ?? []).map(([params]) => params as ControlPlaybackParams)

describe('playback bar', () => {
  it('plays when paused and pauses when playing', async () => {
    mountBar({ paused: true }, { position: 3 })
    expect(bar.get('[data-testid=playback-play]').attributes('aria-label')).toBe('Play')
    await bar.get('[data-testid=playback-play]').trigger('click')
    expect(emitted()).toEqual([{ sessionId: 'p1', action: 'play' }])

    await bar.setProps({ playback: playbackInfo({ paused: false }) })
    expect(bar.get('[data-testid=playback-play]').attributes('aria-label')).toBe('Pause')
    await bar.get('[data-testid=playback-play]').trigger('click')
    expect(emitted().at(-1)).toEqual({ sessionId: 'p1', action: 'pause' })
  })

  it('at the end offers to play again from the start, and cannot step further', async () => {
    mountBar({ paused: false, count: 10 }, { position: 10 })
    expect(bar.get('[data-testid=playback-play]').attributes('aria-label')).toBe('Play again from the start')
    expect(bar.get('[data-testid=playback-step]').attributes('disabled')).toBeDefined()
    await bar.get('[data-testid=playback-play]').trigger('click')
    expect(emitted()).toEqual([
      { sessionId: 'p1', action: 'seek', position: 0 },
      { sessionId: 'p1', action: 'play' },
    ])
  })

  it('steps one frame with the button or →, and Space plays or pauses while the bar has focus', async () => {
    mountBar({ paused: true }, { position: 2 })
    await bar.get('[data-testid=playback-step]').trigger('click')
    const root = bar.get('[data-testid=playback-bar]')
    await root.trigger('keydown', { key: 'ArrowRight' })
    await root.trigger('keydown', { key: ' ' })
    expect(emitted()).toEqual([
      { sessionId: 'p1', action: 'step' },
      { sessionId: 'p1', action: 'step' },
      { sessionId: 'p1', action: 'play' },
    ])
    // → on the scrubber moves the scrubber; it is not a step.
    await bar.get('[data-testid=playback-scrubber]').trigger('keydown', { key: 'ArrowRight' })
    expect(emitted()).toHaveLength(3)
  })

  it('stays stopped when scrubbed back after playing to the end', async () => {
    mountBar({ paused: false, count: 10, durationMs: 5_000 }, { position: 10, atTime: START + 5_000 })
    const scrubber = bar.get<HTMLInputElement>('[data-testid=playback-scrubber]')
    scrubber.element.value = '1000'
    await scrubber.trigger('input')
    await scrubber.trigger('change')
    expect(emitted()).toEqual([
      { sessionId: 'p1', action: 'pause' },
      { sessionId: 'p1', action: 'seek', time: START + 1_000 },
    ])
  })

  it('changes the speed, instant included', async () => {
    mountBar({ speed: 1 })
    const select = bar.get<HTMLSelectElement>('[data-testid=playback-speed]')
    expect(select.element.value).toBe('1')
    expect(select.findAll('option').map((o) => o.text())).toEqual(['0.25×', '0.5×', '1×', '2×', '5×', '10×', '20×', 'Instant'])
    await select.setValue('2')
    await select.setValue('instant')
    await select.setValue('0.25')
    expect(emitted()).toEqual([
      { sessionId: 'p1', action: 'speed', speed: 2 },
      { sessionId: 'p1', action: 'speed', speed: 'instant' },
      { sessionId: 'p1', action: 'speed', speed: 0.25 },
    ])
  })

  it('shows the frames played and the recorded time reached', () => {
    mountBar({ count: 1200, durationMs: 65_000 }, { position: 300, atTime: START + 12_345 })
    expect(bar.get('[data-testid=playback-position] .frames').text()).toBe('300 / 1,200')
    expect(bar.get('[data-testid=playback-position] .time').text()).toBe('0:12.3 / 1:05.0')
    expect(bar.get<HTMLInputElement>('[data-testid=playback-scrubber]').element.value).toBe('12345')
  })

  it('seeks to the recorded time where the scrubber is let go, and to the very first frame at its start', async () => {
    mountBar({ durationMs: 5_000 }, { position: 4, atTime: START + 2_000 })
    const scrubber = bar.get<HTMLInputElement>('[data-testid=playback-scrubber]')
    scrubber.element.value = '4000'
    await scrubber.trigger('input')
    // While held, the label follows the thumb and frames arriving do not move it back.
    expect(bar.get('[data-testid=playback-position]').text()).toContain('0:04.0 / 0:05.0')
    await bar.setProps({ position: 5, atTime: START + 2_500 })
    expect(scrubber.element.value).toBe('4000')
    await scrubber.trigger('change')
    scrubber.element.value = '0'
    await scrubber.trigger('input')
    await scrubber.trigger('change')
    expect(emitted()).toEqual([
      { sessionId: 'p1', action: 'seek', time: START + 4_000 },
      { sessionId: 'p1', action: 'seek', position: 0 },
    ])
  })
})

describe('playback in the store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  const message = (seq: number): Frame => ({ seq, time: START + seq * 100, direction: 'in', kind: 'message', data: String(seq), size: 1 })
  const stats = (frames: number) => ({ frames, messagesIn: frames, messagesOut: 0, bytesIn: frames, bytesOut: 0, reconnects: 0 })

  it('sends controls to the engine in order and keeps its answer', async () => {
    const engine = recordingsStandIn()
    const sessions = useSessionsStore()
    await sessions.init(engine.client)
    const playback = usePlaybackStore()
    await playback.open({ name: 'r.rti.jsonl' }, 'play')
    const id = sessions.activeId!
    let answerSeek: (value: unknown) => void = () => {}
    engine.client.controlPlayback.mockImplementationOnce(() => new Promise((resolve) => (answerSeek = resolve as (value: unknown) => void)))
    const seek = playback.control({ sessionId: id, action: 'seek', position: 0 })
    const play = playback.control({ sessionId: id, action: 'play' })
    await flushPromises()
    // The play waits for the seek's answer.
    expect(engine.client.controlPlayback).toHaveBeenCalledTimes(1)
    answerSeek(ok({ ...sessions.active!, spec: {}, playback: playbackInfo({ paused: true, position: 0 }), id }))
    await Promise.all([seek, play])
    expect(engine.client.controlPlayback.mock.calls.map(([params]) => params.action)).toEqual(['seek', 'play'])
    // The last answer (to play) is where the playback stands.
    expect(sessions.active?.playback?.paused).toBe(false)
  })

  it('moves the position with the frames played, and starts over when the engine restarts the frames', async () => {
    const engine = recordingsStandIn()
    const sessions = useSessionsStore()
    await sessions.init(engine.client)
    await usePlaybackStore().open({ name: 'r.rti.jsonl' }, 'view')
    const id = sessions.activeId!
    engine.push({ sessionId: id, frames: [1, 2, 3, 4].map(message), skipped: 0, lastSeq: 4, state: 'open', stats: stats(4) })
    sessions.applyPending()
    expect(playbackPosition(sessions.active!)).toBe(4)
    expect(sessions.activeWindow?.length).toBe(4)

    // Scrubbed back to the start: the engine forgets what it played and plays the first two again.
    engine.push({ sessionId: id, frames: [1, 2].map(message), skipped: 0, lastSeq: 2, state: 'open', stats: stats(2), restart: true })
    sessions.applyPending()
    expect(playbackPosition(sessions.active!)).toBe(2)
    expect(sessions.activeWindow?.length).toBe(2)
    expect(sessions.activeWindow?.get(1)?.seq).toBe(2)
  })

  it('counts on from where a seek put the playback', async () => {
    const engine = recordingsStandIn()
    const sessions = useSessionsStore()
    await sessions.init(engine.client)
    await usePlaybackStore().open({ name: 'r.rti.jsonl' }, 'play')
    const id = sessions.activeId!
    engine.push({ sessionId: id, frames: [1, 2, 3].map(message), skipped: 0, lastSeq: 3, state: 'open', stats: stats(3) })
    sessions.applyPending()
    // The engine sends the restart before its answer; the answer counts no frames yet.
    engine.push({ sessionId: id, frames: [], skipped: 0, lastSeq: 0, state: 'open', stats: stats(0), restart: true })
    const info = sessions.active!
    engine.client.controlPlayback.mockResolvedValueOnce(ok({ id, spec: {} as never, state: 'open', startedAt: START, stats: stats(0), playback: playbackInfo({ position: 6, paused: false }) }))
    await usePlaybackStore().control({ sessionId: id, action: 'seek', position: 6 })
    sessions.applyPending()
    expect(playbackPosition(info)).toBe(6)
    engine.push({ sessionId: id, frames: [7, 8].map(message), skipped: 0, lastSeq: 8, state: 'open', stats: stats(2) })
    sessions.applyPending()
    expect(playbackPosition(info)).toBe(8)
    expect(sessions.activeWindow?.get(0)?.seq).toBe(7)
  })

  it('charts a playback at its recorded times, not when the frames reached the page', async () => {
    const engine = recordingsStandIn()
    const sessions = useSessionsStore()
    await sessions.init(engine.client)
    await usePlaybackStore().open({ name: 'r.rti.jsonl' }, 'view')
    const id = sessions.activeId!
    engine.push({ sessionId: id, frames: [1, 2, 3].map(message), skipped: 0, lastSeq: 3, state: 'open', stats: stats(3) })
    sessions.applyPending()
    // A batch with no frames (a state change) carries no time of its own.
    engine.push({ sessionId: id, frames: [], skipped: 0, lastSeq: 3, state: 'closed', stats: stats(3) })
    sessions.applyPending()
    const columns = sessions.rates.get(id)!.buckets.columns()
    // The recording started at START (1 s after the epoch): nothing is counted decades later, at Date.now().
    expect(Math.max(...columns.time)).toBeLessThan(60_000)
    expect(columns.rates.messagesIn.reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
  })

  it('closes a playback when its tab is closed, even once it has played to the end', async () => {
    const engine = recordingsStandIn()
    const sessions = useSessionsStore()
    await sessions.init(engine.client)
    await usePlaybackStore().open({ name: 'r.rti.jsonl' }, 'view')
    const id = sessions.activeId!
    engine.push({ sessionId: id, frames: [message(1)], skipped: 0, lastSeq: 1, state: 'closed', stats: stats(1) })
    sessions.applyPending()
    await sessions.dismiss(id)
    expect(engine.client.closeSession).toHaveBeenCalledWith(id)
  })
})
