// A recording opened read-only runs the same detectors over its recorded frames: a
// file made before the detectors existed (no finding frames in it) still gets its
// findings in the panel, and a file that holds the live findings gets them once, not
// twice. Playback never adds frames (its frames keep their recorded seqs).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Finding, Frame, FrameBatch, InspectorApi } from '../../main/contract/index.js'
import { createEngine, type Engine } from '../../main/engine.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { writeRecording } from '../replay/recorded-session.js'
import { openSession } from '../helpers/session-harness.js'
import { startTcpRelay, type TcpRelay } from '../helpers/tcp-relay.js'

let playground: Playground
let relay: TcpRelay
let dir: string
let engine: Engine
let api: InspectorApi
/** A silent SSE stream cut twice by the relay after 1.2 s of silence, as the live session saw it. */
let live: Frame[]

beforeAll(async () => {
  playground = await startPlayground()
  relay = await startTcpRelay({ target: playground.port, cut: { mode: 'idle', afterMs: 1200, action: 'fin' } })
  dir = await mkdtemp(join(tmpdir(), 'rti-playback-findings-'))
  engine = await createEngine({ dataDir: dir })
  api = engine.createClient('bridge')
  const manager = new SessionManager()
  const h = openSession(manager, { technique: 'sse', url: `${relay.url}/sse/ticker?interval=600000&heartbeat=0&retry=300` })
  await h.waitFor('finding', (f) => f.id === 'idle-timeout' && f.confidence === 'likely', 8000)
  manager.close(h.session.info().id)
  await h.session.ended
  live = [...h.frames]
  await manager.dispose()
})
afterAll(async () => {
  await engine?.close()
  await relay?.stop()
  await playground?.close()
  await rm(dir, { recursive: true, force: true })
})

/** Plays a file at 'instant' to its end; answers every frame and the last findings the batches carried. */
async function play(path: string): Promise<{ frames: Frame[]; findings: Finding[] }> {
  const opened = await api.openPlayback({ path })
  if (!opened.ok) throw new Error(opened.error.message)
  const sessionId = opened.value.id
  const frames: Frame[] = []
  let findings: Finding[] = []
  const done = new Promise<void>((resolve) => {
    api.onFrames((batch: FrameBatch) => {
      if (batch.sessionId !== sessionId) return
      frames.push(...batch.frames)
      if (batch.findings) findings = batch.findings
      if (batch.state === 'closed') resolve()
    })
  })
  await api.subscribe({ sessionId, maxFramesPerBatch: 10_000 })
  await done
  await api.closeSession(sessionId)
  return { frames, findings }
}

describe('findings of a recording played back', () => {
  it('are computed from the recorded frames when the file has none', async () => {
    const path = join(dir, 'before-detectors.rti.jsonl')
    const withoutFindings = live.filter((f) => f.kind !== 'finding')
    await writeRecording(path, { technique: 'sse', url: relay.url }, withoutFindings)
    const { frames, findings } = await play(path)
    expect(frames.map((f) => f.seq)).toEqual(withoutFindings.map((f) => f.seq))
    const idle = findings.find((f) => f.id === 'idle-timeout')
    expect(idle).toMatchObject({ confidence: 'likely', severity: 'warning' })
    expect(idle!.measuredMs).toBeGreaterThan(1200 - 300)
    expect(idle!.measuredMs).toBeLessThan(1200 + 300)
    // The evidence points at the recorded closes, so the panel can jump to them.
    expect(idle!.seqs).toEqual(withoutFindings.filter((f) => f.kind === 'close').slice(0, 2).map((f) => f.seq))
    expect(idle!.frameSeq).toBeUndefined()
  })

  it('are shown once when the file holds the live findings too', async () => {
    const path = join(dir, 'with-findings.rti.jsonl')
    await writeRecording(path, { technique: 'sse', url: relay.url }, live)
    const { frames, findings } = await play(path)
    expect(frames.filter((f) => f.kind === 'finding').map((f) => f.seq)).toEqual(live.filter((f) => f.kind === 'finding').map((f) => f.seq))
    expect(findings.filter((f) => f.id === 'idle-timeout')).toHaveLength(1)
  })
})
