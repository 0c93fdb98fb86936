// Engine ingest against a bare `ws` client on the same stream, in the same run, so
// the figures are ratios that mean something on any machine (docs/architecture.md, "Budgets").
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { closeSync, createReadStream, openSync, rmSync, writeSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import WebSocket from 'ws'
import type { ProtocolChoice } from '../main/contract/index.js'
import { SessionManager } from '../main/session/session-manager.js'

export interface IngestResult {
  messagesPerSecond: number
  bytesPerSecond: number
  /** Worst event-loop delay seen while ingesting, ms. */
  maxLoopDelayMs?: number
  /** Why the recording stopped early (the disk could not keep up), when it did. */
  recordingStopped?: string
  /** Lines in the recording's file after the header, the frames the session stamped, and how long reading paused for the disk. */
  recorded?: { lines: number; frames: number; pausedMs: number; pauses: number }
}

/** Lines in a file (newline bytes), read as a stream: a recording can be gigabytes. */
async function countLines(path: string): Promise<number> {
  let lines = 0
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
  }
  return lines
}

/** A client that only counts what it receives: the ceiling for this machine. */
export function bareClient(url: string, count: number): Promise<IngestResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 })
    let received = 0
    let bytes = 0
    let startedAt = 0
    const loop = monitorEventLoopDelay({ resolution: 1 })
    loop.enable()
    ws.on('open', () => (startedAt = performance.now()))
    ws.on('message', (data: Buffer) => {
      received++
      bytes += data.length
    })
    ws.on('error', reject)
    ws.on('close', () => {
      if (received !== count) return reject(new Error(`bare client got ${received} of ${count}`))
      loop.disable()
      const seconds = (performance.now() - startedAt) / 1000
      resolve({ messagesPerSecond: received / seconds, bytesPerSecond: bytes / seconds, maxLoopDelayMs: loop.max / 1e6 })
    })
  })
}

/**
 * The engine: a session stamping, counting and batching to one consumer (the UI's
 * default cap); with `recordingsDir`, also recording every frame to a file there.
 */
/** `protocol`: the session's protocol (default: the spec's, auto); `extraMessages` come before the flood (a protocol's handshake). */
export async function engineClient(url: string, count: number, recordingsDir?: string, protocol?: ProtocolChoice, extraMessages = 0): Promise<IngestResult> {
  const manager = new SessionManager(recordingsDir ? { recordingsDir, recordingMaxBytes: 1024 ** 4 } : {})
  const opened = manager.open({ technique: 'websocket', url, websocket: { maxPayload: 16 * 1024 * 1024 }, ...(protocol ? { protocol: { name: protocol } } : {}) })
  if (!opened.ok) throw new Error(opened.error.message)
  const session = opened.value
  let startedAt = 0
  let delivered = 0
  session.subscribe((batch) => {
    if (batch.state === 'open' && startedAt === 0) startedAt = performance.now()
    delivered += batch.frames.length + batch.skipped
  })
  const loop = monitorEventLoopDelay({ resolution: 1 })
  loop.enable()
  await session.ended
  loop.disable()
  const seconds = (performance.now() - startedAt) / 1000
  const { stats: { messagesIn, bytesIn, frames }, recording } = session.info()
  await manager.dispose()
  if (messagesIn !== count + extraMessages) throw new Error(`engine got ${messagesIn} of ${count + extraMessages}`)
  if (delivered !== frames) throw new Error(`consumer saw ${delivered} of ${frames} frames`)
  // A disk slower than the stream stops the recording (bounded memory): reported, not fatal.
  if (recordingsDir && recording?.frames !== frames && !recording?.stopped) throw new Error(`recorded ${recording?.frames} of ${frames} frames`)
  // The file itself is the proof: its lines, header aside, against the frames stamped.
  const recorded = recording ? { recorded: { lines: (await countLines(recording.path)) - 1, frames, pausedMs: recording.pausedMs ?? 0, pauses: recording.pauses ?? 0 } } : {}
  if (recording) await rm(recording.path)
  const stopped = recording?.stopped ? { recordingStopped: `${recording.stopped.replace(/ \(.*/, '')} after ${recording.frames} of ${frames} frames` } : {}
  return { messagesPerSecond: messagesIn / seconds, bytesPerSecond: bytesIn / seconds, maxLoopDelayMs: loop.max / 1e6, ...stopped, ...recorded }
}

/** Sequential write rate of the disk under `dir`, bytes/s: what a recording can reach at best. */
export function diskWriteRate(dir: string, bytes = 256 * 1024 * 1024): number {
  const path = join(dir, 'disk-rate.bin')
  const chunk = Buffer.alloc(1024 * 1024, 'x')
  const fd = openSync(path, 'w')
  const startedAt = performance.now()
  try {
    for (let written = 0; written < bytes; written += chunk.length) writeSync(fd, chunk)
  } finally {
    closeSync(fd)
  }
  const seconds = (performance.now() - startedAt) / 1000
  rmSync(path)
  return bytes / seconds
}
