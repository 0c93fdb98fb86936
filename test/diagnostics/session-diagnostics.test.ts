// The detectors' runner: findings are emitted as frames only when they change, carry
// bounded evidence, travel in batches (also to a late subscriber), and a detector's
// bug never takes the session down.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ConnectionSpecSchema, type Frame, type FrameBatch } from '../../main/contract/index.js'
import type { Detector } from '../../main/diagnostics/detector.js'
import { SessionDiagnostics, type FindingBody } from '../../main/diagnostics/session-diagnostics.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { SessionManager } from '../../main/session/session-manager.js'

const spec = (input: Record<string, unknown> = {}) => ConnectionSpecSchema.parse({ technique: 'websocket', url: 'ws://127.0.0.1:1/x', ...input })

/** Raises `idle-timeout` with the close's idle time each time a close arrives. */
const onClose: Detector = {
  name: 'test-close',
  onFrame(frame, ctx) {
    if (frame.kind !== 'close') return
    const cuts = ctx.facts.attempts.filter((a) => a.close).length
    ctx.raise({ id: 'idle-timeout', severity: 'warning', summary: `cut ${cuts}`, evidence: [`idle ${frame.idleMs}`], remedy: 'heartbeat', seqs: [frame.seq], times: [frame.time] })
  },
}

function frames(...list: Omit<Frame, 'seq' | 'time' | 'direction'>[]): Frame[] {
  return list.map((f, i) => ({ direction: 'system', seq: i + 1, time: 1_000 + i * 100, ...f }) as Frame)
}
const connecting = { kind: 'connecting', url: 'ws://x', attempt: 1 } as const
const close = (idleMs: number) => ({ kind: 'close', code: 1006, reason: '', wasClean: false, idleMs, bytesIn: 0, bytesOut: 0, cause: 'fin' }) as const

describe('the diagnostics runner', () => {
  it('emits a finding frame when a finding is raised or changes, and not when it is raised again unchanged', () => {
    const emitted: FindingBody[] = []
    const diagnostics = new SessionDiagnostics(spec(), { emit: (body) => emitted.push(body), detectors: [onClose, { name: 'again', onFrame: (f, ctx) => f.kind === 'close' && ctx.raise({ ...ctx.raised('idle-timeout')!, id: 'idle-timeout' }) }] })
    for (const frame of frames(connecting, close(3000))) diagnostics.observe(frame)
    expect(emitted).toHaveLength(1)
    expect(emitted[0]).toMatchObject({ kind: 'finding', direction: 'system', id: 'idle-timeout', summary: 'cut 1', evidence: ['idle 3000'] })
    const first = diagnostics.list()[0]!
    expect(first.frameSeq).toBe(1)
    for (const frame of frames(connecting, close(3000)).map((f) => ({ ...f, time: f.time + 5000 }))) diagnostics.observe(frame)
    expect(emitted).toHaveLength(2)
    const second = diagnostics.list()[0]!
    expect(second.summary).toBe('cut 2')
    expect(second.raisedAt).toBe(first.raisedAt)
    expect(second.updatedAt).toBeGreaterThan(first.updatedAt)
  })

  it('bounds what a finding carries', () => {
    const emitted: FindingBody[] = []
    const noisy: Detector = {
      name: 'noisy',
      onFrame: (frame, ctx) =>
        ctx.raise({ id: 'reconnect-storm', severity: 'info', summary: 's', remedy: 'r', evidence: Array.from({ length: 100 }, (_, i) => `line ${i}`), seqs: [...Array.from({ length: 100 }, (_, i) => i + 1), 100], times: Array.from({ length: 500 }, (_, i) => i) }),
    }
    const diagnostics = new SessionDiagnostics(spec(), { emit: (body) => emitted.push(body), detectors: [noisy] })
    diagnostics.observe(frames(connecting)[0]!)
    const [body] = emitted
    expect(body!.evidence).toHaveLength(20)
    expect(body!.evidence.at(-1)).toBe('line 99')
    expect(body!.seqs).toHaveLength(50)
    expect(new Set(body!.seqs).size).toBe(50)
    expect(body!.times).toHaveLength(200)
  })

  it('keeps findings raised by a technique (not from the catalogue) for the panel, and ignores recorded catalogue findings in a playback', () => {
    const kept = new SessionDiagnostics(spec(), { detectors: [] })
    const notice = { kind: 'finding', id: 'eventsource-differs', severity: 'warning', summary: 'differs', evidence: [], remedy: 'none' } as const
    const recorded = { kind: 'finding', id: 'idle-timeout', severity: 'warning', summary: 'old', evidence: [], remedy: 'none' } as const
    for (const frame of frames(connecting, notice, recorded)) kept.observe(frame)
    expect(kept.list().map((f) => [f.id, f.frameSeq])).toEqual([['eventsource-differs', 2]])
    expect(kept.takeChanged()).toHaveLength(1)
    expect(kept.takeChanged()).toBeUndefined()
  })

  it('reads server send times from sampled payloads, every one in a chunk', () => {
    const seen: { serverTime?: number; serverTimes?: number[] }[] = []
    const diagnostics = new SessionDiagnostics(spec({ technique: 'sse', url: 'http://x/' }), { detectors: [{ name: 'samples', onSample: (s) => seen.push(s) }] })
    diagnostics.observe(frames(connecting)[0]!)
    const now = Date.now()
    diagnostics.sample(2, now, 'chunk', `data: {"sentAt":${now - 30}}\n\ndata: {"sentAt":${now - 10}}\n\n`)
    diagnostics.sample(3, now, 'event', `{"ts":${Math.round((now - 2000) / 1000)}}`)
    diagnostics.sample(4, now, 'message', '{"id":12345,"sentAt":"not a time"}')
    expect(seen[0]).toMatchObject({ serverTime: now - 10, serverTimes: [now - 30, now - 10] })
    expect(Math.abs(seen[1]!.serverTime! - (now - 2000))).toBeLessThan(1000)
    expect(seen[2]!.serverTime).toBeUndefined()
  })

  it('looks at every payload of an attempt at first, then at a few per second', () => {
    const diagnostics = new SessionDiagnostics(spec(), { detectors: [] })
    diagnostics.observe(frames(connecting)[0]!)
    let sampled = 0
    for (let i = 0; i < 1000; i++) {
      const time = 10_000 + i // 1000 payloads in one second
      if (diagnostics.wantsSample(time)) {
        diagnostics.sample(i, time, 'message', 'x')
        sampled++
      }
    }
    expect(sampled).toBeGreaterThanOrEqual(256)
    expect(sampled).toBeLessThan(256 + 30)
  })

  it('turns off a detector that throws, and the others go on', () => {
    const emitted: FindingBody[] = []
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const broken: Detector = { name: 'broken', onFrame: () => { throw new Error('bug') } }
    const diagnostics = new SessionDiagnostics(spec(), { emit: (body) => emitted.push(body), detectors: [broken, onClose] })
    for (const frame of frames(connecting, close(1000), connecting, close(1000))) diagnostics.observe(frame)
    expect(emitted.map((b) => b.summary)).toEqual(['cut 1', 'cut 2'])
    expect(error).toHaveBeenCalledTimes(1)
    error.mockRestore()
  })
})

describe('findings in a live session', () => {
  let playground: Playground
  beforeAll(async () => {
    playground = await startPlayground()
  })
  afterAll(() => playground.close())

  /** A WebSocket the server drops without a close frame: the real detectors explain it (abnormal-close). */
  function open(extra: Record<string, unknown> = {}) {
    const manager = new SessionManager()
    const opened = manager.open({ technique: 'websocket', url: `${playground.baseUrl.replace('http', 'ws')}/ws/drop?after=200`, ...extra })
    if (!opened.ok) throw new Error(opened.error.message)
    const session = opened.value
    const batches: FrameBatch[] = []
    session.subscribe((b) => batches.push(b), 10_000)
    return { session, batches, manager }
  }

  it('are frames of the session, carried in batches and given to a late subscriber first', async () => {
    const { session, batches, manager } = open()
    await session.ended
    const finding = batches.flatMap((b) => b.frames).find((f) => f.kind === 'finding')
    expect(finding).toMatchObject({ id: 'abnormal-close', direction: 'system' })
    const close = batches.flatMap((b) => b.frames).find((f) => f.kind === 'close')!
    expect(finding!.seq).toBeGreaterThan(close.seq)
    expect(batches.find((b) => b.findings)?.findings).toEqual([expect.objectContaining({ id: 'abnormal-close', frameSeq: finding!.seq })])
    const late: FrameBatch[] = []
    session.subscribe((b) => late.push(b))
    expect(late[0]!.findings).toEqual([expect.objectContaining({ id: 'abnormal-close' })])
    await manager.dispose()
  })

  it('run nothing when the connection turns diagnostics off', async () => {
    const { session, batches, manager } = open({ diagnostics: { enabled: false } })
    await session.ended
    expect(batches.flatMap((b) => b.frames).some((f) => f.kind === 'close')).toBe(true)
    expect(batches.flatMap((b) => b.frames).some((f) => f.kind === 'finding')).toBe(false)
    expect(batches.some((b) => b.findings)).toBe(false)
    await manager.dispose()
  })
})
