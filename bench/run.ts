// `npm run bench`: prints figures as ratios against a baseline measured in the same
// run. Not part of `npm test`: speed is measured, never asserted.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCliStartBench } from './cli-start.js'
import { bareClient, diskWriteRate, engineClient, type IngestResult } from './ingest.js'
import { runIndexBench } from './recording-index.js'
import { runSseBench } from './sse.js'
import { runStreamingBench } from './streaming.js'
import { runTabsBench } from './tabs.js'
import { runUiBench } from './ui.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const CASES = [
  { label: '50-byte messages', size: 50, count: 2_000_000, goal: 0.5, recordingGoal: 0.5 },
  { label: '4 KB messages', size: 4096, count: 200_000, goal: 0.8, recordingGoal: undefined },
]

async function main(): Promise<void> {
  const recordingsDir = await mkdtemp(join(tmpdir(), 'rti-bench-recordings-'))
  const disk = diskWriteRate(recordingsDir)
  const server = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./flood-server.ts', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] })
  const baseUrl = await new Promise<string>((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())))
  try {
    console.log(`WebSocket ingest, ${ROUNDS} rounds each, best round reported (server in its own process)\n`)
    for (const { label, size, count, goal, recordingGoal } of CASES) {
      const url = `${baseUrl}?count=${count}&size=${size}`
      const bare: IngestResult[] = []
      const engine: IngestResult[] = []
      const recording: IngestResult[] = []
      // Interleaved so that machine noise hits both alike.
      for (let round = 0; round < ROUNDS; round++) {
        bare.push(await bareClient(url, count))
        engine.push(await engineClient(url, count))
        recording.push(await engineClient(url, count, recordingsDir))
      }
      const best = (results: IngestResult[]) => results.reduce((a, b) => (b.messagesPerSecond > a.messagesPerSecond ? b : a))
      const b = best(bare)
      const e = best(engine)
      const worstDelay = Math.max(...engine.map((r) => r.maxLoopDelayMs ?? 0))
      console.log(label)
      console.log(`  bare ws client   ${fmt(b.messagesPerSecond)} msg/s  ${mb(b.bytesPerSecond)} MB/s   (its worst event-loop delay: ${Math.max(...bare.map((r) => r.maxLoopDelayMs ?? 0)).toFixed(1)} ms)`)
      console.log(`  engine           ${fmt(e.messagesPerSecond)} msg/s  ${mb(e.bytesPerSecond)} MB/s`)
      console.log(`  ratio            ${(e.messagesPerSecond / b.messagesPerSecond).toFixed(2)}x   (goal >= ${goal}x)`)
      console.log(`  worst event-loop delay during engine ingest: ${worstDelay.toFixed(1)} ms   (goal <= 16 ms)`)
      const r = best(recording)
      console.log(`  engine + recording ${fmt(r.messagesPerSecond)} msg/s  ${mb(r.bytesPerSecond)} MB/s   (every frame to a .rti.jsonl${r.recordingStopped ? `; ${r.recordingStopped}` : ''})`)
      const whole = recording.every((x) => x.recorded && x.recorded.lines === x.recorded.frames)
      const lines = recording.map((x) => `${x.recorded?.lines ?? 0}/${x.recorded?.frames ?? 0}`).join(', ')
      const paused = recording.map((x) => `${x.recorded?.pausedMs ?? 0} ms in ${x.recorded?.pauses ?? 0}`).join(', ')
      console.log(`  lines in the file / frames stamped, each round: ${lines}   (${whole ? 'every frame in the file' : 'FRAMES MISSING'}; reading paused for the disk: ${paused})`)
      if (recordingGoal) {
        console.log(`  ratio            ${(r.messagesPerSecond / b.messagesPerSecond).toFixed(2)}x   (goal >= ${recordingGoal}x)`)
      } else {
        const lesser = Math.min(b.bytesPerSecond, disk)
        console.log(`  ratio            ${(r.bytesPerSecond / lesser).toFixed(2)}x of the lesser of bare ws and the disk (${mb(disk).trim()} MB/s written sequentially)   (goal >= ${goal}x)`)
      }
      console.log(`  worst event-loop delay while recording: ${Math.max(...recording.map((x) => x.maxLoopDelayMs ?? 0)).toFixed(1)} ms   (goal <= 16 ms)\n`)
    }
    await socketIoCase(baseUrl)
  } finally {
    server.stdin!.end()
    await rm(recordingsDir, { recursive: true, force: true })
  }
}

/**
 * Protocol decoding costs little: 50-byte Socket.IO events decoded (and the session
 * driven) against the same stream with the protocol off, in the same run.
 */
async function socketIoCase(baseUrl: string): Promise<void> {
  const count = 1_000_000
  const url = `${baseUrl}socket.io/?count=${count}&size=50&socketio=1`
  // The Engine.IO open and namespace CONNECT packets come before the flood.
  const handshake = 2
  const none: IngestResult[] = []
  const decoded: IngestResult[] = []
  for (let round = 0; round < ROUNDS; round++) {
    none.push(await engineClient(url, count, undefined, 'none', handshake))
    decoded.push(await engineClient(url, count, undefined, 'socket.io', handshake))
  }
  const best = (results: IngestResult[]) => results.reduce((a, b) => (b.messagesPerSecond > a.messagesPerSecond ? b : a))
  const n = best(none)
  const d = best(decoded)
  console.log('50-byte Socket.IO events over WebSocket')
  console.log(`  protocol none    ${fmt(n.messagesPerSecond)} msg/s`)
  console.log(`  socket.io        ${fmt(d.messagesPerSecond)} msg/s   (every event decoded into a packet)`)
  console.log(`  ratio            ${(d.messagesPerSecond / n.messagesPerSecond).toFixed(2)}x   (goal >= 0.7x)`)
  console.log(`  worst event-loop delay while decoding: ${Math.max(...decoded.map((r) => r.maxLoopDelayMs ?? 0)).toFixed(1)} ms   (goal <= 16 ms)\n`)
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(11)
const mb = (n: number) => (n / 1e6).toFixed(1).padStart(7)

await main()
await runStreamingBench(ROUNDS)
await runSseBench(ROUNDS)
await runUiBench()
await runTabsBench()
await runIndexBench()
await runCliStartBench()
