// A million-frame recording opened read-only is a playback at 'instant': it streams to
// a subscriber in batches of 10,000 with every frame's seq in order. The time it takes
// is printed, not asserted (speed is measured in bench/, docs/architecture.md ("Tests")).
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { generateRecording } from '../../bench/generate-recording.js'
import { createEngine, type Engine } from '../../main/engine.js'

const COUNT = 1_000_000
let dataDir: string
let engine: Engine

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'rti-playback-large-'))
  await mkdir(join(dataDir, 'recordings'))
  await generateRecording(join(dataDir, 'recordings', 'million.rti.jsonl'), COUNT)
  engine = await createEngine({ dataDir })
}, 60_000)

afterAll(async () => {
  await engine?.close()
  await rm(dataDir, { recursive: true, force: true })
})

it('streams a 1,000,000-frame recording opened instant to a counting subscriber, every seq in order', async () => {
  const api = engine.createClient('bridge')
  const started = performance.now()
  const opened = await api.openPlayback({ name: 'million.rti.jsonl' })
  if (!opened.ok) throw new Error(opened.error.message)
  const openedAt = performance.now()
  let count = 0
  let skipped = 0
  let batches = 0
  let inOrder = true
  const done = new Promise<void>((resolve) =>
    api.onFrames((batch) => {
      batches++
      skipped += batch.skipped
      for (const frame of batch.frames) inOrder &&= frame.seq === ++count
      if (batch.state === 'closed') resolve()
    }),
  )
  await api.subscribe({ sessionId: opened.value.id })
  await done
  const ended = performance.now()
  console.log(`playback of ${COUNT} frames: opened in ${(openedAt - started).toFixed(0)} ms, streamed in ${(ended - openedAt).toFixed(0)} ms (${Math.round(COUNT / ((ended - openedAt) / 1000))} frames/s) in ${batches} batches`)
  expect({ count, skipped, inOrder }).toEqual({ count: COUNT, skipped: 0, inOrder: true })
  expect((await api.listSessions()).ok).toBe(true)
  await api.closeSession(opened.value.id)
  api.dispose()
}, 120_000)
