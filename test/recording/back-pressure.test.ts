// Back-pressure from a recording into the technique: when more waits for the disk
// than the high-water mark, the session stops reading its connection (TCP flow
// control slows the server) and reads again once the writes caught up. A flood then
// ends with every frame in the file, and the session says how long it paused. The
// disk is made "slow" honestly: a high-water mark of 32 KB is passed by a single
// socket read, so every read outruns the write in flight.
import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import type { ConnectionSpecInput, FrameBatch } from '../../main/contract/index.js'
import { SessionManager } from '../../main/session/session-manager.js'

const MESSAGES = 3000
const PAD = 'x'.repeat(4000)
const HIGH_WATER = 32 * 1024

let dir: string
let server: Server
let base: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-back-pressure-'))
  server = createServer((req, res) => {
    // An SSE flood that honours the socket: write while the kernel takes it, wait for 'drain' otherwise.
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    let n = 0
    const more = () => {
      while (n < MESSAGES) {
        if (!res.write(`id: ${n}\ndata: ${n} ${PAD}\n\n`)) {
          n++
          return void res.once('drain', more)
        }
        n++
      }
      res.end()
    }
    more()
  })
  const wss = new WebSocketServer({ server })
  wss.on('connection', (socket) => {
    // A WebSocket flood as fast as the client reads: batches, each waiting for its last write.
    void (async () => {
      for (let n = 0; n < MESSAGES; ) {
        let last: Promise<void> = Promise.resolve()
        for (const end = Math.min(MESSAGES, n + 256); n < end; n++) {
          const text = `${n} ${PAD}`
          last = new Promise((resolve) => socket.send(text, () => resolve()))
        }
        await last
      }
      socket.close(1000, 'done')
    })()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await rm(dir, { recursive: true, force: true })
})

async function flood(spec: ConnectionSpecInput) {
  const manager = new SessionManager({ recordingsDir: dir, recordingHighWaterBytes: HIGH_WATER })
  const opened = manager.open(spec)
  if (!opened.ok) throw new Error(opened.error.message)
  const session = opened.value
  const batches: FrameBatch[] = []
  session.subscribe((batch) => batches.push(batch))
  await session.ended
  await session.recordingClosed()
  const info = session.info()
  const lines = (await readFile(info.recording!.path, 'utf8')).split('\n').filter((line) => line.length > 0)
  const frames = lines.slice(1).map((line) => JSON.parse(line) as { kind: string; direction: string; data?: string; code?: string })
  await manager.dispose()
  return { info, frames, batches }
}

/** The numbers the payloads start with, in file order. */
const numbersOf = (frames: { kind: string; direction: string; data?: string }[], kind: string) => frames.filter((f) => f.kind === kind && f.direction === 'in').map((f) => Number(f.data!.split(' ', 1)[0]))

function expectPausedAndWhole(result: Awaited<ReturnType<typeof flood>>, kind: string) {
  const { info, frames, batches } = result
  const recording = info.recording!
  // Reading paused (more than once: it resumed in between) and is not paused at the end.
  expect(recording.pauses).toBeGreaterThan(1)
  expect(recording.paused).toBe(false)
  expect(recording.pausedMs).toBeGreaterThanOrEqual(0)
  expect(recording.stopped).toBeUndefined()
  expect(frames.some((f) => f.kind === 'error' && String(f.code).startsWith('E_RECORDING_'))).toBe(false)
  // Every frame the session stamped is a line, and every message the server sent, in order.
  expect(recording.frames).toBe(info.stats.frames)
  expect(frames.length).toBe(info.stats.frames)
  expect(numbersOf(frames, kind)).toEqual(Array.from({ length: MESSAGES }, (_, i) => i))
  expect(info.stats.messagesIn).toBe(MESSAGES)
  // The batches told the UI while it was paused, and the time paused at the end.
  expect(batches.some((b) => (b.stats.readPausedSince ?? 0) > 0)).toBe(true)
  expect(batches.at(-1)!.stats.readPausedMs).toBeGreaterThan(0)
}

it('a WebSocket flood into a slow recording pauses reading, resumes, and every message ends in the file', async () => {
  const result = await flood({ technique: 'websocket', url: `ws://${base}/`, reconnect: { enabled: false } })
  expect(result.info.state).toBe('closed')
  expectPausedAndWhole(result, 'message')
}, 60_000)

it('an SSE flood into a slow recording pauses reading the body, resumes, and every event ends in the file', async () => {
  const result = await flood({ technique: 'sse', url: `http://${base}/events`, reconnect: { enabled: false } })
  expectPausedAndWhole(result, 'event')
}, 60_000)
