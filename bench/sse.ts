// SSE ingest against the raw byte rate of the same stream, in the same run (the
// budgets in docs/architecture.md: the technique should reach at least half of it): a client that only counts
// body bytes, the SSE technique (spec parser, chunk and event frames, the
// `eventsource` package's parser alongside as the reference), and the `eventsource`
// package on its own.
import { spawn } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { EventSource } from 'eventsource'
import { Agent, request } from 'undici'
import type { FrameOf } from '../main/contract/index.js'
import { SessionManager } from '../main/session/session-manager.js'

export interface SseResult {
  eventsPerSecond: number
  bytesPerSecond: number
  /** Bytes per second of this process's CPU time: steadier than wall time on a busy machine. */
  bytesPerCpuSecond: number
}

/** Wall and CPU time of what `run` does, in seconds. */
async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage()
  const startedAt = performance.now()
  const value = await run()
  const seconds = (performance.now() - startedAt) / 1000
  const used = process.cpuUsage(cpu)
  return { value, seconds, cpuSeconds: (used.user + used.system) / 1e6 }
}

/** Only counts body bytes: the ceiling for this machine and this stream. */
export async function rawClient(url: string): Promise<SseResult & { bytes: number }> {
  const dispatcher = new Agent()
  const { value: bytes, seconds, cpuSeconds } = await timed(async () => {
    const { body } = await request(url, { dispatcher, headers: { accept: 'text/event-stream' } })
    let bytes = 0
    await new Promise<void>((resolve, reject) => {
      body.on('data', (chunk: Buffer) => (bytes += chunk.length))
      body.once('end', resolve)
      body.once('error', reject)
    })
    return bytes
  })
  await dispatcher.close()
  return { eventsPerSecond: 0, bytesPerSecond: bytes / seconds, bytesPerCpuSecond: bytes / cpuSeconds, bytes }
}

/**
 * The SSE technique in a session, delivering batches to one consumer. The session
 * may carry only the newest data frames of a busy window (the rest are counted), so
 * completeness is judged by the session's event count and the close frame: every
 * byte read, the body ended cleanly, no error and no difference from the reference
 * client (the connection detectors run, as in every session; what they say of a
 * flood is not a failure of the technique).
 */
export async function techniqueClient(url: string, count: number, expectedBytes: number, compareWithEventSource: boolean): Promise<SseResult> {
  const manager = new SessionManager()
  const cpu = process.cpuUsage()
  const startedAt = performance.now()
  const opened = manager.open({ technique: 'sse', url, reconnect: { enabled: false }, sse: { compareWithEventSource }, limits: { maxMessageBytes: 16 * 1024 * 1024 } })
  if (!opened.ok) throw new Error(opened.error.message)
  const session = opened.value
  let close: FrameOf<'close'> | undefined
  const problems: string[] = []
  session.subscribe((batch) => {
    for (const frame of batch.frames) {
      if (frame.kind === 'close') close = frame
      else if (frame.kind === 'error') problems.push(frame.message)
      else if (frame.kind === 'finding' && frame.id === 'eventsource-differs') problems.push(frame.summary)
    }
  })
  await session.ended
  const seconds = (performance.now() - startedAt) / 1000
  const used = process.cpuUsage(cpu)
  const { messagesIn } = session.info().stats
  manager.dispose()
  if (messagesIn !== count) throw new Error(`the technique counted ${messagesIn} of ${count} events`)
  if (problems.length > 0) throw new Error(`the technique reported: ${problems.join('; ')}`)
  if (close?.cause !== 'remote-close' || close.bytesIn !== expectedBytes) throw new Error(`the technique read ${close?.bytesIn ?? 0} of ${expectedBytes} bytes (${close?.cause ?? 'no close'})`)
  return { eventsPerSecond: count / seconds, bytesPerSecond: expectedBytes / seconds, bytesPerCpuSecond: (expectedBytes * 1e6) / (used.user + used.system) }
}

/** The `eventsource` package alone, counting message events. */
export function eventSourceClient(url: string, count: number, bytes: number): Promise<SseResult> {
  return new Promise((resolve, reject) => {
    const cpu = process.cpuUsage()
    const startedAt = performance.now()
    const es = new EventSource(url)
    let events = 0
    es.addEventListener('message', () => {
      if (++events < count) return
      es.close()
      const seconds = (performance.now() - startedAt) / 1000
      const used = process.cpuUsage(cpu)
      resolve({ eventsPerSecond: events / seconds, bytesPerSecond: bytes / seconds, bytesPerCpuSecond: (bytes * 1e6) / (used.user + used.system) })
    })
    es.addEventListener('error', () => {
      es.close()
      reject(new Error(`the eventsource package stopped after ${events} of ${count} events`))
    })
  })
}

// Event sizes from heartbeat-like ticks to JSON documents; ids on every event.
const CASES = [
  { label: '64-byte events', size: 64, count: 1_500_000 },
  { label: '256-byte events', size: 256, count: 500_000 },
  { label: '1 KB events', size: 1024, count: 150_000 },
]

/**
 * On a shared machine the raw rate of the same stream swings by 2-3x from one run
 * to the next (it is bound by the kernel and the wakeups of two processes), so a
 * client is judged against the raw run just before it, round by round, and the
 * median of those ratios is reported beside the best rates.
 */
export async function runSseBench(rounds: number): Promise<void> {
  const server = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./sse-flood-server.ts', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] })
  const baseUrl = await new Promise<string>((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())))
  try {
    console.log(`SSE ingest, ${rounds} rounds, each client right after a raw run (server in its own process)\n`)
    for (const { label, size, count } of CASES) {
      const url = `${baseUrl}?count=${count}&size=${size}`
      const raw: SseResult[] = []
      const clients: { name: string; results: SseResult[]; run: (bytes: number) => Promise<SseResult> }[] = [
        { name: 'technique (with reference)', results: [], run: (bytes) => techniqueClient(url, count, bytes, true) },
        { name: 'technique (no reference)', results: [], run: (bytes) => techniqueClient(url, count, bytes, false) },
        { name: 'eventsource package', results: [], run: (bytes) => eventSourceClient(url, count, bytes) },
      ]
      const pairs = new Map(clients.map((c) => [c.name, [] as { wall: number; cpu: number }[]]))
      for (let round = 0; round < rounds; round++) {
        for (const client of clients) {
          const baseline = await rawClient(url)
          raw.push(baseline)
          const result = await client.run(baseline.bytes)
          client.results.push(result)
          pairs.get(client.name)!.push({ wall: result.bytesPerSecond / baseline.bytesPerSecond, cpu: result.bytesPerCpuSecond / baseline.bytesPerCpuSecond })
        }
      }
      const best = (results: SseResult[]) => results.reduce((a, b) => (b.bytesPerSecond > a.bytesPerSecond ? b : a))
      const r = best(raw)
      console.log(`${label} (${count.toLocaleString('en-US')} events)`)
      console.log(`  ${''.padEnd(27)} ${'best round'.padStart(27)}   ${'ratio to the raw run before it'.padStart(34)}`)
      console.log(`  ${''.padEnd(27)} ${'events/s'.padStart(11)}  ${'MB/s'.padStart(12)}   ${'median'.padStart(7)} ${'range'.padStart(13)}  ${'per CPU s'.padStart(10)}`)
      console.log(`  ${'raw bytes (undici)'.padEnd(27)} ${''.padStart(11)}  ${mb(r.bytesPerSecond)} MB/s   ${ratio(1)}`)
      for (const { name, results } of clients) {
        const result = best(results)
        const paired = pairs.get(name)!
        const walls = paired.map((p) => p.wall)
        console.log(`  ${name.padEnd(27)} ${fmt(result.eventsPerSecond)}  ${mb(result.bytesPerSecond)} MB/s   ${ratio(median(walls))} ${`${ratio(Math.min(...walls)).trim()}-${ratio(Math.max(...walls)).trim()}`.padStart(13)}  ${ratio(median(paired.map((p) => p.cpu))).padStart(10)}`)
      }
      console.log('  goal: technique with reference >= 0.5x the raw byte rate\n')
    }
  } finally {
    server.stdin!.end()
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const ratio = (n: number) => `${n.toFixed(2)}x`.padStart(6)
const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(11)
const mb = (n: number) => (n / 1e6).toFixed(1).padStart(7)
