// Engine ingest against a bare `ws` client on the same stream, in the same run, so
// the figures are ratios that mean something on any machine (DESIGN §7).
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { rm } from 'node:fs/promises'
import WebSocket from 'ws'
import { SessionManager } from '../main/session/session-manager.js'

export interface IngestResult {
  messagesPerSecond: number
  bytesPerSecond: number
  /** Worst event-loop delay seen while ingesting, ms. */
  maxLoopDelayMs?: number
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
export async function engineClient(url: string, count: number, recordingsDir?: string): Promise<IngestResult> {
  const manager = new SessionManager(recordingsDir ? { recordingsDir, recordingMaxBytes: 1024 ** 4 } : {})
  const opened = manager.open({ technique: 'websocket', url, websocket: { maxPayload: 16 * 1024 * 1024 } })
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
  if (messagesIn !== count) throw new Error(`engine got ${messagesIn} of ${count}`)
  if (delivered !== frames) throw new Error(`consumer saw ${delivered} of ${frames} frames`)
  if (recordingsDir && (recording?.frames !== frames || recording.stopped)) throw new Error(`recorded ${recording?.frames} of ${frames} frames${recording?.stopped ? `: ${recording.stopped}` : ''}`)
  if (recording) await rm(recording.path)
  return { messagesPerSecond: messagesIn / seconds, bytesPerSecond: bytesIn / seconds, maxLoopDelayMs: loop.max / 1e6 }
}
