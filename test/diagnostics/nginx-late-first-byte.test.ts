// A real nginx with proxy_buffering on and proxy_read_timeout 5s in front of an origin
// whose first SSE event comes at 8 s: nginx holds the 200 until the first body byte,
// so at 5 s the client gets the head, 0 bytes and a FIN together. The silence is the
// 5 s since the request, not the few ms since the head: both a session's diagnostics
// (`rti connect`) and the probe report the cut at about 5 s, naming nginx.
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConnectionSpecSchema } from '../../main/contract/index.js'
import { startProbeRun } from '../../main/probe/probe-run.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { startNginx, type TestNginx } from '../helpers/nginx.js'
import { openSession } from '../helpers/session-harness.js'

const TIMEOUT_S = 5
const FIRST_EVENT_MS = 8000

let origin: Server
let nginx: TestNginx
beforeAll(async () => {
  origin = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
    res.flushHeaders()
    const timer = setTimeout(() => res.write('data: late\n\n'), FIRST_EVENT_MS)
    res.on('close', () => clearTimeout(timer))
  })
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve))
  nginx = await startNginx('late-first-byte', { ORIGIN: `127.0.0.1:${(origin.address() as { port: number }).port}`, TIMEOUT: TIMEOUT_S })
})
afterAll(async () => {
  await nginx?.stop()
  origin?.closeAllConnections()
  await new Promise((resolve) => origin?.close(resolve))
})

const near = (ms: number | undefined) => ms !== undefined && Math.abs(ms - TIMEOUT_S * 1000) <= 1000

describe.concurrent('nginx, buffering on, proxy_read_timeout 5s, first event at 8 s', () => {
  it('connect: the 200 and the cut come together at 5 s; the close and the finding say 5 s of silence, naming nginx', async () => {
    const manager = new SessionManager()
    try {
      const h = openSession(manager, { technique: 'sse', url: `${nginx.url}/events`, reconnect: { enabled: false } })
      const finding = await h.waitFor('finding', (f) => f.id === 'idle-timeout' || f.id === 'gateway-timeout', 12_000)
      const [request] = h.ofKind('request')
      const [response] = h.ofKind('response')
      const [close] = h.ofKind('close')
      expect(response!.status).toBe(200)
      expect(near(response!.time - request!.time)).toBe(true)
      expect(close).toMatchObject({ cause: 'fin', bytesIn: 0 })
      // Measured from the request (no data byte came), not from the head handed over at the cut.
      expect(near(close!.idleMs)).toBe(true)
      expect(near(finding.measuredMs)).toBe(true)
      expect(finding.intermediary).toMatch(/^nginx\//)
      expect(finding.summary).toMatch(/after [45]\.\d s of silence/)
    } finally {
      await manager.dispose()
    }
  }, 20_000)

  it('probe: idle-timeout at about 5 s naming nginx, not "cut after 2 ms"', async () => {
    const run = startProbeRun({ id: 'late', spec: ConnectionSpecSchema.parse({ technique: 'sse', url: `${nginx.url}/events` }), maxTimeMs: 25_000 })
    const report = await run.finished
    const idle = report.findings.find((f) => f.id === 'idle-timeout')
    expect(idle, JSON.stringify(report.findings.map((f) => f.summary))).toBeDefined()
    expect(near(idle!.measuredMs)).toBe(true)
    expect(idle!.intermediary).toMatch(/^nginx\//)
    expect(idle!.summary).not.toMatch(/\d ms/)
    expect(report.checks.find((c) => c.id === 'idle-timeout')!.detail).toMatch(/^cut after [45]\.\d s of silence/)
  }, 40_000)
})
