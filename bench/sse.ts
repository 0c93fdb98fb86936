// SSE ingest against the raw byte rate of the same stream, in the same run (DESIGN
// §7: the technique should reach at least half of it): a client that only counts
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

export async function runSseBench(rounds: number): Promise<void> {
  const server = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./sse-flood-server.ts', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] })
  const baseUrl = await new Promise<string>((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())))
  try {
    console.log(`SSE ingest, ${rounds} rounds each, best round reported (server in its own process)\n`)
    for (const { label, size, count } of CASES) {
      const url = `${baseUrl}?count=${count}&size=${size}`
      const raw: SseResult[] = []
      const technique: SseResult[] = []
      const bare: SseResult[] = []
      const eventsource: SseResult[] = []
      // Interleaved so that machine noise hits all alike.
      for (let round = 0; round < rounds; round++) {
        const baseline = await rawClient(url)
        raw.push(baseline)
        technique.push(await techniqueClient(url, count, baseline.bytes, true))
        bare.push(await techniqueClient(url, count, baseline.bytes, false))
        eventsource.push(await eventSourceClient(url, count, baseline.bytes))
      }
      const best = (results: SseResult[]) => results.reduce((a, b) => (b.bytesPerSecond > a.bytesPerSecond ? b : a))
      const bestCpu = (results: SseResult[]) => Math.max(...results.map((x) => x.bytesPerCpuSecond))
      const r = best(raw)
      const rCpu = bestCpu(raw)
      const rows: [string, SseResult[]][] = [
        ['technique (with reference)', technique],
        ['technique (no reference)', bare],
        ['eventsource package', eventsource],
      ]
      console.log(`${label} (${count.toLocaleString('en-US')} events)`)
      console.log(`  ${''.padEnd(27)} ${'wall clock'.padStart(38)}  ${'per CPU second'.padStart(21)}`)
      console.log(`  ${'raw bytes (undici)'.padEnd(27)} ${''.padStart(16)}  ${mb(r.bytesPerSecond)} MB/s  ${ratio(1)}  ${mb(rCpu)} MB/s  ${ratio(1)}`)
      for (const [name, results] of rows) {
        const result = best(results)
        const cpu = bestCpu(results)
        console.log(`  ${name.padEnd(27)} ${fmt(result.eventsPerSecond)} ev/s  ${mb(result.bytesPerSecond)} MB/s  ${ratio(result.bytesPerSecond / r.bytesPerSecond)}  ${mb(cpu)} MB/s  ${ratio(cpu / rCpu)}`)
      }
      console.log('  goal: technique with reference >= 0.5x the raw byte rate\n')
    }
  } finally {
    server.stdin!.end()
  }
}

const ratio = (n: number) => `${n.toFixed(2)}x`.padStart(6)
const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(11)
const mb = (n: number) => (n / 1e6).toFixed(1).padStart(7)
