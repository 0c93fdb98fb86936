// The probe on a healthy path, within its time limit, cancelled halfway, without a
// playground, and as the engine's API (a few at once, kept after the end, stopped
// with the engine).
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConnectionSpecSchema, type ProbeReport } from '../../main/contract/index.js'
import { createEngine } from '../../main/engine.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { createProbeRegistry } from '../../main/probe/probe-api.js'
import { startProbeRun } from '../../main/probe/probe-run.js'

let playground: Playground

beforeAll(async () => {
  playground = await startPlayground({ port: 0 })
})
afterAll(async () => {
  await playground.close()
})

const sseSpec = (url: string) => ConnectionSpecSchema.parse({ technique: 'sse', url, proxy: { mode: 'none' } })
const tookMs = (report: ProbeReport) => report.endedAt! - report.startedAt
const waitUntil = async (condition: () => boolean | Promise<boolean>, timeoutMs = 5000) => {
  const until = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('a healthy direct path (the playground, no proxy)', () => {
  it('raises no warning, every technique works, and the probe ends at --max-time', async () => {
    const report = await startProbeRun({ id: 'healthy', spec: sseSpec(`${playground.baseUrl}/sse/ticker?interval=500`), maxTimeMs: 6000 }).finished
    expect(report.state).toBe('done')
    expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([])
    expect(report.matrix.map((r) => [r.technique, r.verdict])).toEqual([
      ['websocket', 'works'],
      ['sse', 'works'],
      ['long-polling', 'works'],
      ['polling', 'works'],
      ['streaming', 'works'],
    ])
    for (const row of report.matrix) {
      expect(row.connects).toBe(true)
      expect(row.cutAfterMs).toBeUndefined()
      if (row.technique !== 'polling') expect(row.lagMs).toBeLessThan(100)
    }
    const state = Object.fromEntries(report.checks.map((c) => [c.id, c.state]))
    expect(state).toEqual({ connect: 'done', upgrade: 'done', 'idle-timeout': 'done', lifetime: 'done', buffering: 'done', compression: 'done', 'event-delay': 'done', caching: 'done', matrix: 'done' })
    expect(report.checks.find((c) => c.id === 'idle-timeout')!.detail).toMatch(/no cut within/)
    // Nothing cut the silent holds: they were held to the limit, and no longer.
    expect(Math.abs(tookMs(report) - 6000)).toBeLessThanOrEqual(2000)
    // Same machine: the measured offset is small and said how it was measured.
    expect(Math.abs(report.measured.clockOffsetMs!)).toBeLessThan(50)
    expect(report.checks.find((c) => c.id === 'event-delay')!.detail).toMatch(/clock offset .*, from the quickest .*round trip/)
    expect(report.measured.timeToHeadersMs).toBeLessThan(1000)
  }, 20_000)
})

describe('cancelling', () => {
  it('stops at once and reports what it has, with no check left running', async () => {
    const run = startProbeRun({ id: 'cancel', spec: sseSpec(`${playground.baseUrl}/sse/ticker`), maxTimeMs: 60_000 })
    await waitUntil(() => run.report().checks.find((c) => c.id === 'upgrade')!.state === 'done')
    const cancelledAt = Date.now()
    run.cancel()
    const report = await run.finished
    expect(Date.now() - cancelledAt).toBeLessThan(1500)
    expect(report.state).toBe('cancelled')
    expect(report.checks.find((c) => c.id === 'upgrade')!.state).toBe('done')
    expect(report.checks.filter((c) => c.state === 'running' || c.state === 'pending')).toEqual([])
    expect(report.playgroundUrl).toBe(playground.baseUrl)
  }, 15_000)
})

describe('without a playground', () => {
  let server: Server
  let url: string
  beforeAll(async () => {
    // An SSE endpoint that is not a playground: `/` answers 404.
    server = createServer((req, res) => {
      if (req.url !== '/events') return void res.writeHead(404).end('not here')
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
      const timer = setInterval(() => res.write(`data: {"sentAt":${Date.now()}}\n\n`), 300)
      res.on('close', () => clearInterval(timer))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('probes the endpoint itself, skips what needs a playground and leaves the other techniques untested', async () => {
    const report = await startProbeRun({ id: 'alone', spec: sseSpec(url), maxTimeMs: 4000 }).finished
    expect(report.state).toBe('done')
    expect(report.playgroundUrl).toBeUndefined()
    const check = (id: string) => report.checks.find((c) => c.id === id)!
    expect(check('upgrade').state).toBe('skipped')
    expect(check('caching').state).toBe('skipped')
    expect(check('lifetime').state).toBe('skipped')
    // The endpoint is held as it is (it keeps talking, so nothing cuts it here).
    expect(check('idle-timeout').state).toBe('done')
    expect(check('event-delay').detail).toMatch(/clocks assumed in step/)
    expect(check('matrix').detail).toMatch(/no playground at the endpoint's origin.*--playground/)
    expect(report.matrix.map((r) => [r.technique, r.verdict])).toEqual([
      ['websocket', 'untested'],
      ['sse', 'works'],
      ['long-polling', 'untested'],
      ['polling', 'untested'],
      ['streaming', 'untested'],
    ])
    expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([])
  }, 15_000)

  it('fails as a whole, with the reason, when the path refuses everything', async () => {
    const spec = ConnectionSpecSchema.parse({ technique: 'sse', url, proxy: { mode: 'url', url: 'http://127.0.0.1:1' } })
    const report = await startProbeRun({ id: 'refused', spec, maxTimeMs: 10_000 }).finished
    expect(report.state).toBe('failed')
    expect(report.error).toMatch(/^E_PROXY_UNREACHABLE: /)
    expect(tookMs(report)).toBeLessThan(3000)
    expect(report.checks.filter((c) => c.id !== 'connect').every((c) => c.state === 'skipped')).toBe(true)
  })
})

describe('the probe API', () => {
  it('starts, reports progress, cancels, keeps the final report, and refuses what it cannot do', async () => {
    const probes = createProbeRegistry({ max: 1 })
    try {
      const spec = { technique: 'sse' as const, url: `${playground.baseUrl}/sse/ticker`, proxy: { mode: 'none' as const } }
      const started = await probes.startProbe({ spec, maxTimeMs: 30_000 })
      if (!started.ok) throw new Error(started.error.message)
      expect(started.value.state).toBe('running')
      expect(started.value.checks.map((c) => c.id)).toEqual(['connect', 'upgrade', 'idle-timeout', 'lifetime', 'buffering', 'compression', 'event-delay', 'caching', 'matrix'])
      const second = await probes.startProbe({ spec })
      expect(second.ok || second.error.code).toBe('E_PROBE_LIMIT')
      const invalid = await probes.startProbe({ spec: { technique: 'sse', url: 'ws://nope' } })
      expect(invalid.ok || invalid.error.code).toBe('E_PROBE_INVALID')

      // Progress shows through probeStatus while it runs.
      await waitUntil(async () => {
        const status = await probes.probeStatus(started.value.id)
        return status.ok && status.value.state === 'running' && status.value.checks.find((c) => c.id === 'upgrade')!.state === 'done'
      })
      const cancelled = await probes.cancelProbe(started.value.id)
      expect(cancelled.ok && cancelled.value.state).toBe('cancelled')
      const later = await probes.probeStatus(started.value.id)
      expect(later.ok && later.value).toEqual(cancelled.ok && cancelled.value)
      const unknown = await probes.probeStatus('nope')
      expect(unknown.ok || unknown.error.code).toBe('E_PROBE_UNKNOWN')
    } finally {
      await probes.closeAll()
    }
  }, 15_000)

  it('is served by the engine, and closing the engine stops a running probe', async () => {
    const engine = await createEngine({ playground: true })
    const api = engine.createClient('bridge')
    const started = await api.startProbe({ spec: { technique: 'websocket', url: `${engine.playground!.baseUrl.replace('http', 'ws')}/ws/echo`, proxy: { mode: 'none' } }, maxTimeMs: 60_000 })
    if (!started.ok) throw new Error(started.error.message)
    await waitUntil(async () => {
      const status = await api.probeStatus(started.value.id)
      return status.ok && status.value.checks.some((c) => c.state === 'done')
    })
    const closing = Date.now()
    await engine.close()
    expect(Date.now() - closing).toBeLessThan(3000)
    api.dispose()
  }, 15_000)
})
