import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Frame } from '@contract'
import { FRAMES_PER_CLOCK_READ } from '../../renderer/src/stores/match-index'
import { append, mountList, rowSeqs, unmountAll, windowOf } from './frame-list-harness'

const T0 = Date.UTC(2025, 0, 2, 13, 3, 27, 118)

const msg = (seq: number, data: string, direction: 'in' | 'out' = seq % 2 ? 'out' : 'in'): Frame => ({ seq, time: T0 + seq, direction, kind: 'message', data, size: data.length })
const event = (seq: number, type: string): Frame => ({ seq, time: T0 + seq, direction: 'in', kind: 'event', event: type, data: `{"n":${seq}}`, id: String(seq) })
const close = (seq: number): Frame => ({ seq, time: T0 + seq, direction: 'system', kind: 'close', code: 1006, reason: '', wasClean: false, idleMs: 0, bytesIn: 0, bytesOut: 0, cause: 'fin' })
const error = (seq: number): Frame => ({ seq, time: T0 + seq, direction: 'system', kind: 'error', code: 'E_CONNECT_REFUSED', message: 'refused' })

/** Every tenth message is a tick, the rest noise. */
function ticks(from: number, to: number): Frame[] {
  const frames: Frame[] = []
  for (let seq = from; seq <= to; seq++) frames.push(msg(seq, seq % 10 === 0 ? `tick ${seq}` : `noise ${seq}`))
  return frames
}

afterEach(() => {
  unmountAll()
  vi.restoreAllMocks()
})

const countText = (list: VueWrapper) => list.get('[data-testid=frame-count]').text()

describe('FrameList filter', () => {
  it('counts the frames held while nothing filters', () => {
    const list = mountList(windowOf(ticks(1, 40)))
    expect(countText(list)).toBe('40 frames')
  })

  it('shows only frames containing the text, case-insensitively, and counts them', async () => {
    const list = mountList(windowOf(ticks(1, 40)))
    await list.get('[data-testid=frame-search]').setValue('TICK')
    expect(rowSeqs(list)).toEqual([10, 20, 30, 40])
    expect(countText(list)).toBe('4 of 40 frames')
  })

  it('highlights the matches in the preview as text, never as markup', async () => {
    const list = mountList(windowOf([msg(1, '<b>bold</b> and BOLD')]))
    await list.get('[data-testid=frame-search]').setValue('bold')
    const preview = list.get('.preview')
    expect(preview.findAll('mark').map((m) => m.text())).toEqual(['bold', 'BOLD'])
    expect(preview.find('b').exists()).toBe(false)
    expect(preview.text()).toBe('<b>bold</b> and BOLD')
  })

  it('takes the text as a regular expression when the regex toggle is on', async () => {
    const list = mountList(windowOf(ticks(1, 40)))
    await list.get('[data-testid=frame-search]').setValue('^tick [23]0$')
    expect(rowSeqs(list)).toEqual([])
    await list.get('[data-testid=frame-regex]').trigger('click')
    expect(list.get('[data-testid=frame-regex]').attributes('aria-pressed')).toBe('true')
    expect(rowSeqs(list)).toEqual([20, 30])
  })

  it('says so when the regular expression is invalid, and keeps showing frames', async () => {
    const list = mountList(windowOf(ticks(1, 5)))
    await list.get('[data-testid=frame-regex]').trigger('click')
    await list.get('[data-testid=frame-search]').setValue('tick (')
    expect(list.get('[data-testid=frame-regex-error]').text()).toMatch(/^Invalid regular expression: .+/)
    expect(rowSeqs(list)).toEqual([1, 2, 3, 4, 5])
    await list.get('[data-testid=frame-search]').setValue('tick (5)?')
    expect(list.find('[data-testid=frame-regex-error]').exists()).toBe(false)
  })

  it('filters by direction', async () => {
    const list = mountList(windowOf(ticks(1, 6)))
    await list.get('[data-testid=frame-direction-out]').trigger('click')
    expect(rowSeqs(list)).toEqual([1, 3, 5])
    await list.get('[data-testid=frame-direction-in]').trigger('click')
    expect(rowSeqs(list)).toEqual([2, 4, 6])
    await list.get('[data-testid=frame-direction-both]').trigger('click')
    expect(rowSeqs(list)).toHaveLength(6)
  })

  it('filters by the kinds picked in the kinds menu', async () => {
    const list = mountList(windowOf([msg(1, 'a'), close(2), error(3), msg(4, 'b')]))
    await list.get('[data-testid=frame-kinds]').trigger('click')
    await list.get('[data-testid=frame-kinds-menu] input[data-kind=close]').setValue(true)
    expect(rowSeqs(list)).toEqual([2])
    expect(list.get('[data-testid=frame-kinds]').text()).toContain('close')
    await list.get('[data-testid=frame-kinds-menu] input[data-kind=error]').setValue(true)
    expect(rowSeqs(list)).toEqual([2, 3])
    expect(list.get('[data-testid=frame-kinds]').text()).toContain('2 kinds')
  })

  it('offers the SSE event types seen in the session, and filters by one', async () => {
    const held = windowOf([event(1, 'tick'), event(2, 'news'), event(3, 'tick')])
    const list = mountList(held)
    const options = () => list.findAll('[data-testid=frame-event-type] option').map((o) => o.text())
    expect(options()).toEqual(['All events', 'news', 'tick'])
    await list.get('[data-testid=frame-event-type]').setValue('tick')
    expect(rowSeqs(list)).toEqual([1, 3])
    // A type first seen later joins the choices.
    await append(list, held, [event(4, 'alert')])
    expect(options()).toEqual(['All events', 'alert', 'news', 'tick'])
  })

  it('has no event type choice for a session without events', () => {
    const list = mountList(windowOf(ticks(1, 3)))
    expect(list.find('[data-testid=frame-event-type]').exists()).toBe(false)
  })

  it('shows only close and error frames when asked', async () => {
    const list = mountList(windowOf([msg(1, 'a'), close(2), msg(3, 'error'), error(4)]))
    await list.get('[data-testid=frame-problems]').setValue(true)
    expect(rowSeqs(list)).toEqual([2, 4])
  })

  it('tells when no frame matches, and offers to show them all again', async () => {
    const list = mountList(windowOf(ticks(1, 5)))
    await list.get('[data-testid=frame-search]').setValue('nothing like this')
    expect(list.get('[data-testid=no-match]').text()).toContain('No frame matches')
    expect(countText(list)).toBe('0 of 5 frames')
    await list.get('[data-testid=no-match] button').trigger('click')
    expect(rowSeqs(list)).toHaveLength(5)
    expect((list.get('[data-testid=frame-search]').element as HTMLInputElement).value).toBe('')
  })

  it('tests frames that arrive after the filter was set, and the count grows', async () => {
    const held = windowOf(ticks(1, 40))
    const list = mountList(held)
    await list.get('[data-testid=frame-search]').setValue('tick')
    expect(countText(list)).toBe('4 of 40 frames')
    await append(list, held, ticks(41, 60))
    expect(countText(list)).toBe('6 of 60 frames')
    expect(rowSeqs(list)).toEqual([10, 20, 30, 40, 50, 60])
  })

  it('does not go back over frames it has already tested when new ones arrive', async () => {
    const held = windowOf(ticks(1, 20))
    const list = mountList(held)
    await list.get('[data-testid=frame-search]').setValue('tick')
    // Frames never change once held, so an old frame rewritten behind the list's back
    // stays as it was judged: proof that only the new frames were read.
    const old = held.get(0) as { data: string }
    old.data = 'tick rewritten'
    await append(list, held, [msg(21, 'tick 21')])
    expect(rowSeqs(list)).toEqual([10, 20, 21])
  })

  it('rebuilds the matches in slices when the filter changes, showing progress', async () => {
    let clock = 0
    // Every clock read moves 5 ms on, so an 8 ms slice ends after its second read.
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 5))
    const list = mountList(windowOf(ticks(1, 2000)))
    await list.get('[data-testid=frame-search]').setValue('tick')
    const perSlice = 2 * FRAMES_PER_CLOCK_READ
    const firstSlice = `Filtering… ${Math.floor((perSlice / 2000) * 100)}% · `
    expect(countText(list)).toBe(`${firstSlice}${Math.floor(perSlice / 10)} of 2,000 frames`)
    await vi.waitFor(() => expect(countText(list)).toBe('200 of 2,000 frames'))
    // A second change starts over from the oldest frame.
    await list.get('[data-testid=frame-direction-in]').trigger('click')
    expect(countText(list).startsWith(firstSlice)).toBe(true)
    await vi.waitFor(() => expect(countText(list)).toBe('200 of 2,000 frames'))
  })

  it('lets go of matches whose frames the window dropped', async () => {
    const held = windowOf(ticks(1, 100), 100)
    const list = mountList(held)
    await list.get('[data-testid=frame-search]').setValue('tick')
    expect(countText(list)).toBe('10 of 100 frames')
    await append(list, held, ticks(101, 135))
    expect(countText(list)).toBe('10 of 100 frames')
    expect(rowSeqs(list)).toEqual([40, 50, 60, 70, 80, 90, 100, 110, 120, 130])
  })

  it('keeps each session’s filter when switching between them', async () => {
    const first = windowOf(ticks(1, 30))
    const second = windowOf(ticks(1, 30))
    const list = mountList(first)
    await list.get('[data-testid=frame-search]').setValue('tick')
    await list.setProps({ frames: second })
    await flushPromises()
    expect(countText(list)).toBe('30 frames')
    expect((list.get('[data-testid=frame-search]').element as HTMLInputElement).value).toBe('')
    await list.setProps({ frames: first })
    expect(countText(list)).toBe('3 of 30 frames')
  })
})
