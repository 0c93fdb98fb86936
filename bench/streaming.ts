// HTTP streaming ingest against the raw byte rate of the same stream, in the same
// run: a client that only counts body bytes with `undici.request`, then the
// streaming technique in a session delivering batches to one consumer (the UI's
// default cap) — chunk frames only, and chunks plus NDJSON messages.
import { spawn } from 'node:child_process'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { Agent, request } from 'undici'
import { SessionManager } from '../main/session/session-manager.js'

interface StreamResult {
  bytesPerSecond: number
  chunksPerSecond: number
  messagesPerSecond: number
  maxLoopDelayMs: number
  /** This process's CPU time per MB of body: robust to other load on the machine, unlike rates. */
  cpuMsPerMb: number
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1000
}

/** Only counts body bytes: the ceiling for this machine and this stream. */
async function rawClient(url: string, expectedBytes: number): Promise<StreamResult> {
  const dispatcher = new Agent()
  const loop = monitorEventLoopDelay({ resolution: 1 })
  loop.enable()
  const cpu = process.cpuUsage()
  const startedAt = performance.now()
  const { body } = await request(url, { dispatcher })
  let bytes = 0
  let chunks = 0
  await new Promise<void>((resolve, reject) => {
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      chunks++
    })
    body.once('end', resolve)
    body.once('error', reject)
  })
  const seconds = (performance.now() - startedAt) / 1000
  const cpuUsed = cpuMs(cpu)
  loop.disable()
  await dispatcher.close()
  if (bytes !== expectedBytes) throw new Error(`the raw client got ${bytes} of ${expectedBytes} bytes`)
  return { bytesPerSecond: bytes / seconds, chunksPerSecond: chunks / seconds, messagesPerSecond: 0, maxLoopDelayMs: loop.max / 1e6, cpuMsPerMb: cpuUsed / (bytes / 1e6) }
}

async function techniqueClient(url: string, framing: 'none' | 'ndjson', count: number, expectedBytes: number): Promise<StreamResult> {
  const manager = new SessionManager()
  const loop = monitorEventLoopDelay({ resolution: 1 })
  loop.enable()
  const cpu = process.cpuUsage()
  const startedAt = performance.now()
  const opened = manager.open({ technique: 'streaming', url, streaming: { framing } })
  if (!opened.ok) throw new Error(opened.error.message)
  const session = opened.value
  // The consumer gets what the UI gets: control frames and a tail of the data frames,
  // the rest counted. Chunks are the data frames that are not framed messages.
  let controlFrames = 0
  let cause = ''
  session.subscribe((batch) => {
    for (const frame of batch.frames) {
      if (frame.kind !== 'chunk' && frame.kind !== 'message') controlFrames++
      if (frame.kind === 'close') cause = frame.cause
    }
  })
  await session.ended
  const seconds = (performance.now() - startedAt) / 1000
  const cpuUsed = cpuMs(cpu)
  loop.disable()
  const { messagesIn, bytesIn: bytes, frames } = session.info().stats
  const chunks = frames - controlFrames - messagesIn
  manager.dispose()
  if (cause !== 'remote-close') throw new Error(`the stream ended with cause ${cause || 'none'}`)
  if (bytes !== expectedBytes) throw new Error(`the technique got ${bytes} of ${expectedBytes} bytes`)
  if (framing === 'ndjson' && messagesIn !== count) throw new Error(`the technique framed ${messagesIn} of ${count} messages`)
  return { bytesPerSecond: bytes / seconds, chunksPerSecond: chunks / seconds, messagesPerSecond: messagesIn / seconds, maxLoopDelayMs: loop.max / 1e6, cpuMsPerMb: cpuUsed / (bytes / 1e6) }
}

const CASES = [
  { label: '50-byte NDJSON records', size: 50, count: 2_000_000 },
  { label: '4 KB NDJSON records', size: 4096, count: 50_000 },
]

export async function runStreamingBench(rounds: number): Promise<void> {
  const server = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./stream-flood-server.ts', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] })
  const baseUrl = await new Promise<string>((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())))
  try {
    console.log(`HTTP streaming ingest, ${rounds} rounds each, best round reported (server in its own process)\n`)
    for (const { label, size, count } of CASES) {
      const url = `${baseUrl}?count=${count}&size=${size}`
      const expectedBytes = count * size
      const raw: StreamResult[] = []
      const chunksOnly: StreamResult[] = []
      const framed: StreamResult[] = []
      // Interleaved so that machine noise hits all alike.
      for (let round = 0; round < rounds; round++) {
        raw.push(await rawClient(url, expectedBytes))
        chunksOnly.push(await techniqueClient(url, 'none', count, expectedBytes))
        framed.push(await techniqueClient(url, 'ndjson', count, expectedBytes))
      }
      const best = (results: StreamResult[]) => results.reduce((a, b) => (b.bytesPerSecond > a.bytesPerSecond ? b : a))
      const r = best(raw)
      const c = best(chunksOnly)
      const f = best(framed)
      const ratio = (n: number) => `${(n / r.bytesPerSecond).toFixed(2)}x`
      const worst = (results: StreamResult[]) => Math.max(...results.map((x) => x.maxLoopDelayMs)).toFixed(1).padStart(5)
      const cpu = (results: StreamResult[]) => Math.min(...results.map((x) => x.cpuMsPerMb))
      const cpuRatio = (results: StreamResult[]) => `${(cpu(raw) / cpu(results)).toFixed(2)}x`
      console.log(`${label} (${(expectedBytes / 1e6).toFixed(0)} MB per run; "cpu" = this process's CPU ms per MB, ratio = raw client's / ours)`)
      console.log(`  undici.request, counting bytes  ${mb(r.bytesPerSecond)} MB/s  ${fmt(r.chunksPerSecond)} chunks/s                     cpu ${cpu(raw).toFixed(2)}`)
      console.log(`  technique, chunks only          ${mb(c.bytesPerSecond)} MB/s  ${fmt(c.chunksPerSecond)} chunks/s                     cpu ${cpu(chunksOnly).toFixed(2)} (${cpuRatio(chunksOnly)})   rate ratio ${ratio(c.bytesPerSecond)}   worst loop delay ${worst(chunksOnly)} ms`)
      console.log(`  technique, NDJSON framing       ${mb(f.bytesPerSecond)} MB/s  ${fmt(f.chunksPerSecond)} chunks/s  ${fmt(f.messagesPerSecond)} msg/s   cpu ${cpu(framed).toFixed(2)} (${cpuRatio(framed)})   rate ratio ${ratio(f.bytesPerSecond)}   worst loop delay ${worst(framed)} ms\n`)
    }
  } finally {
    server.stdin!.end()
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(10)
const mb = (n: number) => (n / 1e6).toFixed(1).padStart(7)
