import { describe, expect, it } from 'vitest'
import type { Frame } from '@contract'
import { compileFilter, highlightSegments, NO_FILTER, type FilterCriteria } from '../../renderer/src/stores/frame-filter'
import { FrameWindow } from '../../renderer/src/stores/frame-window'
import { FRAMES_PER_CLOCK_READ, MatchIndex } from '../../renderer/src/stores/match-index'

const filter = (patch: Partial<FilterCriteria>) => compileFilter({ ...NO_FILTER, ...patch })
const passes = (patch: Partial<FilterCriteria>, frame: Frame) => filter(patch).test!(frame)

const msg = (seq: number, data: string, direction: 'in' | 'out' = 'in'): Frame => ({ seq, time: seq, direction, kind: 'message', data, size: data.length })
const close: Frame = { seq: 9, time: 9, direction: 'system', kind: 'close', code: 1006, reason: 'proxy said bye', meaning: 'abnormal closure', wasClean: false, idleMs: 60_000, bytesIn: 0, bytesOut: 0, cause: 'fin' }
const error: Frame = { seq: 10, time: 10, direction: 'system', kind: 'error', code: 'E_CONNECT_REFUSED', message: 'connection refused by 127.0.0.1:9' }

describe('compiled filter', () => {
  it('filters nothing without criteria, so the list can skip the index', () => {
    expect(compileFilter(NO_FILTER).test).toBeUndefined()
  })

  it('finds text case-insensitively as a plain substring, special characters included', () => {
    expect(passes({ text: 'HELLO' }, msg(1, 'say hello world'))).toBe(true)
    expect(passes({ text: 'a.c' }, msg(1, 'abc'))).toBe(false)
    expect(passes({ text: 'a.c' }, msg(1, 'x a.c y'))).toBe(true)
  })

  it('searches the whole payload, not only the shortened preview', () => {
    const long = 'x'.repeat(1000) + 'needle'
    expect(passes({ text: 'needle' }, msg(1, long))).toBe(true)
  })

  it('treats the text as a regular expression when asked', () => {
    expect(passes({ text: '^ti.k \\d+$', regex: true }, msg(1, 'tick 42'))).toBe(true)
    expect(passes({ text: '^ti.k \\d+$', regex: true }, msg(1, 'tick forty'))).toBe(false)
  })

  it('reports an invalid regular expression instead of throwing, and ignores the text meanwhile', () => {
    const compiled = filter({ text: '(unclosed', regex: true })
    expect(compiled.error).toMatch(/unterminated|group/i)
    expect(compiled.test).toBeUndefined()
    // Other criteria still apply.
    expect(filter({ text: '[', regex: true, direction: 'out' }).test!(msg(1, 'x', 'in'))).toBe(false)
  })

  it('filters by direction', () => {
    expect(passes({ direction: 'out' }, msg(1, 'a', 'out'))).toBe(true)
    expect(passes({ direction: 'out' }, msg(1, 'a', 'in'))).toBe(false)
    expect(passes({ direction: 'in' }, close)).toBe(false)
  })

  it('filters by any of several kinds', () => {
    expect(passes({ kinds: ['close', 'error'] }, close)).toBe(true)
    expect(passes({ kinds: ['close', 'error'] }, error)).toBe(true)
    expect(passes({ kinds: ['close', 'error'] }, msg(1, 'a'))).toBe(false)
  })

  it('shows only close and error frames when asked', () => {
    expect(passes({ problemsOnly: true }, close)).toBe(true)
    expect(passes({ problemsOnly: true }, error)).toBe(true)
    expect(passes({ problemsOnly: true }, msg(1, 'error'))).toBe(false)
  })

  it('filters SSE events by type', () => {
    const event = (type: string): Frame => ({ seq: 1, time: 1, direction: 'in', kind: 'event', event: type, data: '{}', id: '' })
    expect(passes({ eventType: 'tick' }, event('tick'))).toBe(true)
    expect(passes({ eventType: 'tick' }, event('message'))).toBe(false)
    expect(passes({ eventType: 'tick' }, msg(1, 'tick'))).toBe(false)
  })

  it('combines criteria: every one must hold', () => {
    expect(passes({ text: 'bye', kinds: ['close'] }, close)).toBe(true)
    expect(passes({ text: 'bye', kinds: ['message'] }, close)).toBe(false)
  })

  it('matches what each kind shows: headers, status, close meaning, error code, finding id', () => {
    const request: Frame = { seq: 1, time: 1, direction: 'out', kind: 'request', method: 'GET', url: 'ws://h/feed', headers: { 'sec-websocket-protocol': 'graphql-ws' } }
    const response: Frame = { seq: 2, time: 2, direction: 'in', kind: 'response', status: 426, headers: { via: ['1.1 squid'] }, httpVersion: '1.1', durationMs: 3 }
    const finding: Frame = { seq: 3, time: 3, direction: 'system', kind: 'finding', id: 'idle-timeout', severity: 'warning', summary: 'Cut after 60 s of silence', evidence: [], remedy: 'ping' }
    expect(passes({ text: 'graphql-ws' }, request)).toBe(true)
    expect(passes({ text: 'GET ws://h' }, request)).toBe(true)
    expect(passes({ text: '426' }, response)).toBe(true)
    expect(passes({ text: 'via: 1.1 squid' }, response)).toBe(true)
    expect(passes({ text: 'abnormal' }, close)).toBe(true)
    expect(passes({ text: 'proxy said' }, close)).toBe(true)
    expect(passes({ text: 'e_connect_refused' }, error)).toBe(true)
    expect(passes({ text: 'idle-timeout' }, finding)).toBe(true)
    expect(passes({ text: 'silence' }, finding)).toBe(true)
    expect(passes({ text: 'squid' }, request)).toBe(false)
  })
})

describe('highlighting', () => {
  it('splits a preview into plain and matching runs', () => {
    const { highlight } = filter({ text: 'lo' })
    expect(highlightSegments('hello LOW', highlight)).toEqual([
      { text: 'hel', match: false },
      { text: 'lo', match: true },
      { text: ' ', match: false },
      { text: 'LO', match: true },
      { text: 'W', match: false },
    ])
  })

  it('keeps markup in frame data as text and survives empty regex matches', () => {
    const { highlight } = filter({ text: 'x*', regex: true })
    expect(highlightSegments('<b>x</b>', highlight)).toEqual([
      { text: '<b>', match: false },
      { text: 'x', match: true },
      { text: '</b>', match: false },
    ])
    expect(highlightSegments('abc', undefined)).toEqual([{ text: 'abc', match: false }])
  })
})

function windowOf(count: number, cap?: number, from = 1): FrameWindow {
  const held = new FrameWindow(cap)
  const frames: Frame[] = []
  for (let seq = from; seq < from + count; seq++) frames.push(msg(seq, seq % 10 === 0 ? `tick ${seq}` : `noise ${seq}`))
  held.append(frames, 0, from + count - 1)
  return held
}

const seqs = (index: MatchIndex, held: FrameWindow) => Array.from({ length: index.length }, (_, k) => held.get(index.at(k) - held.base)!.seq)
const isTick = (frame: Frame) => frame.kind === 'message' && frame.data!.startsWith('tick')

describe('match index', () => {
  it('lists the positions of matching frames', () => {
    const held = windowOf(50)
    const index = new MatchIndex(isTick)
    expect(index.advance(held, Infinity)).toBe(true)
    expect(seqs(index, held)).toEqual([10, 20, 30, 40, 50])
  })

  it('tests only frames appended since the last call', () => {
    const held = windowOf(50)
    let tested = 0
    const index = new MatchIndex((frame) => (tested++, isTick(frame)))
    index.advance(held, Infinity)
    held.append([msg(51, 'tick 51'), msg(52, 'noise')], 0, 52)
    tested = 0
    index.advance(held, Infinity)
    expect(tested).toBe(2)
    expect(seqs(index, held)).toEqual([10, 20, 30, 40, 50, 51])
  })

  it('stops at the deadline and resumes where it stopped', () => {
    const held = windowOf(2000)
    const index = new MatchIndex(isTick)
    let clock = 0
    // Each clock read advances 5 ms: an 8 ms slice ends after its second read.
    const now = () => (clock += 5)
    const perSlice = 2 * FRAMES_PER_CLOCK_READ
    expect(index.advance(held, 8, now)).toBe(false)
    expect(index.length).toBe(Math.floor(perSlice / 10))
    expect(index.progress(held)).toBeCloseTo(perSlice / 2000)
    let slices = 1
    for (let done = false; !done; slices++) done = index.advance(held, clock + 8, now)
    expect(slices).toBe(Math.ceil(2000 / perSlice))
    expect(index.length).toBe(200)
    expect(index.progress(held)).toBe(1)
  })

  it('lets go of matches whose frames the window dropped, without rescanning', () => {
    const held = windowOf(100, 100)
    const index = new MatchIndex(isTick)
    index.advance(held, Infinity)
    const more: Frame[] = []
    for (let seq = 101; seq <= 135; seq++) more.push(msg(seq, seq % 10 === 0 ? `tick ${seq}` : 'noise'))
    held.append(more, 0, 135) // drops seq 1..35
    index.advance(held, Infinity)
    expect(seqs(index, held)).toEqual([40, 50, 60, 70, 80, 90, 100, 110, 120, 130])
    expect(index.trimmed).toBe(3)
  })

  it('keeps matching through many drops and growth (compaction of both arrays)', () => {
    const held = new FrameWindow(1000)
    const index = new MatchIndex(() => true)
    for (let batch = 0; batch < 50; batch++) {
      const frames: Frame[] = []
      for (let i = 1; i <= 700; i++) frames.push(msg(batch * 700 + i, 'x'))
      held.append(frames, 0, batch * 700 + 700)
      index.advance(held, Infinity)
      expect(index.length).toBe(held.length)
      expect(held.get(index.at(0) - held.base)!.seq).toBe(held.get(0)!.seq)
      expect(held.get(index.at(index.length - 1) - held.base)!.seq).toBe(held.last()!.seq)
    }
  })

  it('empties when the window is cleared, and goes on with later frames', () => {
    const held = windowOf(30)
    const index = new MatchIndex(isTick)
    index.advance(held, Infinity)
    held.clear()
    held.append([msg(31, 'tick 31')], 0, 31)
    index.advance(held, Infinity)
    expect(seqs(index, held)).toEqual([31])
  })

  it('ranks a position among the matches, for frames the filter hides', () => {
    const held = windowOf(50)
    const index = new MatchIndex(isTick)
    index.advance(held, Infinity)
    expect(index.rank(held.base + held.indexOfSeq(20))).toBe(1)
    expect(index.rank(held.base + held.indexOfSeq(25))).toBe(2)
  })
})

describe('frame window', () => {
  it('finds the first frame at or after a time', () => {
    const held = new FrameWindow()
    held.append([msg(1, 'a'), { ...msg(2, 'b'), time: 10 }, { ...msg(3, 'c'), time: 10 }, { ...msg(4, 'd'), time: 20 }], 0, 4)
    expect(held.indexAtOrAfterTime(5)).toBe(1)
    expect(held.indexAtOrAfterTime(10)).toBe(1)
    expect(held.indexAtOrAfterTime(11)).toBe(3)
    expect(held.indexAtOrAfterTime(99)).toBe(4)
  })

  it('gives every frame a position that survives drops and clears', () => {
    const held = windowOf(10, 5)
    expect(held.base).toBe(5)
    held.clear()
    expect(held.length).toBe(0)
    expect(held.base).toBe(10)
    expect(held.dropped).toBe(5)
    expect(held.origin).toBe(1)
  })
})
