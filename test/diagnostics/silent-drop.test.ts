// silent-drop over made-up sessions: a silence past the heartbeat deadline (set, or
// learned from a regular rhythm) on an open connection, seen by the live tick or, in a
// recording, at the user's close; a stream that pauses irregularly never counts.
import { describe, expect, it } from 'vitest'
import { AttemptFacts } from '../../main/diagnostics/attempt-facts.js'
import { deadlineOf } from '../../main/diagnostics/detectors/silent-drop.js'
import { CUT_FINDINGS, DiagnosticsScript } from '../helpers/diagnostics-script.js'

const attemptWithGaps = (gaps: number[]) => ({ inboundGaps: gaps }) as unknown as AttemptFacts

describe('the heartbeat deadline', () => {
  it('is learned from three or more regular gaps: 3× the rhythm, at least the rhythm + 2 s', () => {
    expect(deadlineOf(attemptWithGaps([300, 300]), 0)).toBeUndefined()
    expect(deadlineOf(attemptWithGaps([300, 310, 290]), 0)!.ms).toBe(2310)
    expect(deadlineOf(attemptWithGaps([5000, 5000, 5100, 4900]), 0)!.ms).toBe(15_300)
  })

  it('is not learned from an irregular stream', () => {
    expect(deadlineOf(attemptWithGaps([100, 120, 5000, 90]), 0)).toBeUndefined()
  })

  it('is the configured one when set', () => {
    expect(deadlineOf(attemptWithGaps([]), 4000)).toMatchObject({ ms: 4000 })
  })
})

describe('silent-drop', () => {
  it('is raised by the live tick once the learned deadline passes, and only once while the silence lasts', () => {
    const s = new DiagnosticsScript({ technique: 'sse' })
    s.connect().heartbeats(10, 300)
    s.live(2000)
    expect(s.finding('silent-drop')).toBeUndefined()
    s.live(1000)
    const finding = s.finding('silent-drop')!
    expect(finding).toMatchObject({ severity: 'warning', confidence: 'likely' })
    expect(finding.summary).toBe('The connection went silent: nothing arrived for 3.0 s, past the 2.3 s heartbeat deadline, with no FIN or reset — it was probably dropped on the way')
    expect(finding.evidence).toEqual(['attempt 1: nothing for 3.0 s after the last frame, still open', 'learned: frames arrived every 300 ms (at most 300 ms apart) before the silence'])
    s.live(5000)
    expect(s.emitted.filter((f) => f.id === 'silent-drop')).toHaveLength(1)
  })

  it('uses the deadline set in the connection', () => {
    const s = new DiagnosticsScript({ technique: 'websocket', diagnostics: { heartbeatDeadlineMs: 1500 } })
    s.connect().data(1, 100)
    s.live(2000)
    expect(s.finding('silent-drop')!.evidence[1]).toBe('the deadline set for this connection (diagnostics.heartbeatDeadlineMs = 1500)')
  })

  it('becomes a stall (info) when data comes again; the user’s close after a silence makes it a drop', () => {
    const s = new DiagnosticsScript({ technique: 'sse' })
    s.connect().heartbeats(5, 300)
    s.live(3000)
    s.heartbeats(1, 500)
    const stall = s.finding('silent-drop')!
    expect(stall).toMatchObject({ severity: 'info', confidence: 'hint' })
    expect(stall.evidence[0]).toBe('attempt 1: nothing for 3.5 s after the last frame, then data came again')
    s.heartbeats(5, 300).live(4000)
    s.close({ cause: 'local' })
    const drop = s.finding('silent-drop')!
    expect(drop).toMatchObject({ severity: 'warning', confidence: 'likely' })
    expect(drop.evidence).toContain('attempt 1: nothing for 4.0 s after the last frame, then closed by the user')
    expect(drop.evidence.at(-1)).toBe('1 other silence(s) ended when data came again')
  })

  it('is found in a recording (no ticks): a rhythm, a long silence, then only the user’s close', () => {
    const s = new DiagnosticsScript({ technique: 'websocket' })
    s.connect().heartbeats(6, 1000).wait(20_000)
    const close = s.close({ cause: 'local' })
    const finding = s.finding('silent-drop')!
    expect(finding.summary).toContain('nothing arrived for 20 s, past the 3.0 s heartbeat deadline')
    expect(finding.seqs).toEqual([close])
  })

  it('never on an irregular stream, a polled one, or one that keeps its rhythm', () => {
    const chatty = new DiagnosticsScript({ technique: 'websocket' })
    chatty.connect().data(3, 100).data(1, 4000).data(2, 50)
    chatty.live(20_000)
    const polled = new DiagnosticsScript({ technique: 'long-polling' })
    polled.connect().data(5, 1000)
    polled.live(20_000)
    const steady = new DiagnosticsScript({ technique: 'sse' })
    steady.connect()
    for (let i = 0; i < 20; i++) steady.heartbeats(1, 300).live(300)
    steady.close({ cause: 'local' })
    expect([...chatty.ids(CUT_FINDINGS), ...polled.ids(CUT_FINDINGS), ...steady.ids(CUT_FINDINGS)]).toEqual([])
  })
})
