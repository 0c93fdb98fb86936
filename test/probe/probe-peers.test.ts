// The probe against real intermediaries in front of the playground: the idle timeout
// it measures is the one configured (and confirmed by a heartbeat that outlives it),
// HTTP streams and WebSocket tunnels are timed apart, a per-event delay is found
// where HAProxy adds one, and a cut at a constant age is told from an idle cut.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConnectionSpecSchema, type ProbeReport } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { startProbeRun } from '../../main/probe/probe-run.js'
import { startHaproxy } from '../helpers/haproxy.js'
import { startNginx } from '../helpers/nginx.js'
import { startSquid } from '../helpers/squid.js'
import { startTcpRelay } from '../helpers/tcp-relay.js'

let playground: Playground
let origin: string

beforeAll(async () => {
  playground = await startPlayground({ port: 0 })
  origin = new URL(playground.baseUrl).host
})
afterAll(async () => {
  await playground.close()
})

function probe(technique: 'sse' | 'websocket', url: string, maxTimeMs: number, proxy?: string): Promise<ProbeReport> {
  const spec = ConnectionSpecSchema.parse({ technique, url, proxy: proxy ? { mode: 'url', url: proxy } : { mode: 'none' } })
  return startProbeRun({ id: 'test', spec, maxTimeMs }).finished
}

const finding = (report: ProbeReport, id: string) => report.findings.find((f) => f.id === id)
const tookMs = (report: ProbeReport) => report.endedAt! - report.startedAt

describe('the probe behind nginx (proxy_read_timeout 3 s)', () => {
  it('measures the idle timeout, confirms it with a heartbeat, names nginx, and stops once it knows', async () => {
    const nginx = await startNginx('read-timeout', { ORIGIN: origin, TIMEOUT: 3 })
    try {
      const report = await probe('sse', `${nginx.url}/sse/ticker?interval=1000`, 15_000)
      expect(report.state).toBe('done')
      expect(report.playgroundUrl).toBe(nginx.url)
      const idle = finding(report, 'idle-timeout')!
      expect(idle).toBeDefined()
      expect(Math.abs(idle.measuredMs! - 3000)).toBeLessThanOrEqual(1000)
      expect(idle.confidence).toBe('confirmed')
      expect(idle.intermediary).toMatch(/^nginx/)
      expect(idle.evidence.join('\n')).toMatch(/SSE comment every 1\.0 s, an HTTP stream \(SSE\) stayed open/)
      expect(idle.remedy).toMatch(/proxy_read_timeout/)
      expect(report.measured.idleTimeoutMs).toBe(idle.measuredMs)
      // nginx's one timer cuts WebSockets alike.
      expect(Math.abs(report.measured.websocketIdleTimeoutMs! - 3000)).toBeLessThanOrEqual(1000)
      // Tickers outlived the cut: no lifetime.
      expect(finding(report, 'max-lifetime')).toBeUndefined()
      expect(report.checks.find((c) => c.id === 'lifetime')!.detail).toMatch(/idle timeout/)
      // Done at about twice the timeout, not at --max-time.
      expect(tookMs(report)).toBeLessThan(11_000)
      expect(report.matrix.map((r) => r.verdict)).toEqual(['works', 'works', 'works', 'works', 'works'])
    } finally {
      await nginx.stop()
    }
  }, 30_000)
})

describe('the probe behind HAProxy (timeout server 2 s, timeout tunnel 3 s, no http-no-delay)', () => {
  it('times WebSocket tunnels and HTTP streams apart, and finds the ~200 ms per-event delay', async () => {
    const haproxy = await startHaproxy('timeouts', { ORIGIN: origin, SERVER_TIMEOUT: 2, TUNNEL_TIMEOUT: 3 })
    try {
      const report = await probe('websocket', `${haproxy.url.replace('http', 'ws')}/ws/echo`, 15_000)
      const idle = finding(report, 'idle-timeout')!
      expect(idle.summary).toMatch(/WebSocket/)
      expect(Math.abs(idle.measuredMs! - 3000)).toBeLessThanOrEqual(1000)
      expect(idle.confidence).toBe('confirmed')
      expect(idle.evidence.join('\n')).toMatch(/client ping every 1\.0 s/)
      expect(Math.abs(report.measured.websocketIdleTimeoutMs! - 3000)).toBeLessThanOrEqual(1000)
      // The stream's idle time is counted from its last byte, which HAProxy delivered ~200 ms late.
      expect(Math.abs(report.measured.streamIdleTimeoutMs! - 2000)).toBeLessThanOrEqual(1000)
      expect(idle.evidence.join('\n')).toMatch(/different timer/)

      const delay = finding(report, 'coalescing-delay')!
      expect(delay).toBeDefined()
      expect(delay.measuredMs).toBeGreaterThanOrEqual(150)
      expect(delay.measuredMs).toBeLessThanOrEqual(300)
      expect(delay.knownDefaults?.join(' ')).toMatch(/http-no-delay/)
      expect(delay.remedy).toMatch(/option http-no-delay/)
      expect(report.measured.eventDelayMs).toBe(delay.measuredMs)
      expect(finding(report, 'buffering')).toBeUndefined()
      expect(finding(report, 'compression-buffering')).toBeUndefined()
    } finally {
      await haproxy.stop()
    }
  }, 30_000)
})

describe('the probe behind a TCP relay that ends every connection at 3 s of age', () => {
  it('reports a maximum lifetime, not an idle timeout', async () => {
    const relay = await startTcpRelay({ target: Number(new URL(playground.baseUrl).port), cut: { mode: 'lifetime', afterMs: 3000, action: 'fin' } })
    try {
      const report = await probe('sse', `${relay.url}/sse/ticker?interval=1000`, 12_000)
      const lifetime = finding(report, 'max-lifetime')!
      expect(lifetime).toBeDefined()
      expect(Math.abs(lifetime.measuredMs! - 3000)).toBeLessThanOrEqual(1000)
      expect(lifetime.confidence).toBe('confirmed')
      expect(lifetime.remedy).toMatch(/Heartbeats do not help/)
      expect(finding(report, 'idle-timeout')).toBeUndefined()
      expect(report.checks.find((c) => c.id === 'idle-timeout')!.detail).toMatch(/maximum lifetime, not an idle timeout/)
      const sse = report.matrix.find((r) => r.technique === 'sse')!
      expect(sse.verdict).toBe('degraded')
      expect(Math.abs(sse.cutAfterMs! - 3000)).toBeLessThanOrEqual(1000)
    } finally {
      await relay.stop()
    }
  }, 30_000)
})

describe('the probe through Squid as a forward proxy (CONNECT to the playground port refused)', () => {
  it("blames the proxy for the refused WebSocket tunnel, not the origin, and finds the rest working", async () => {
    const squid = await startSquid({ tunnelPorts: [] })
    try {
      const report = await probe('sse', `${playground.baseUrl}/sse/ticker?interval=500`, 5000, squid.url)
      const denied = finding(report, 'proxy-denied')!
      expect(denied).toBeDefined()
      expect(denied.intermediary).toBe('Squid')
      expect(denied.summary).toMatch(/refused to open a tunnel .* \(403\): the origin was never asked/)
      expect(denied.evidence).toContain('x-squid-error: ERR_ACCESS_DENIED 0')
      expect(finding(report, 'upgrade-stripped')).toBeUndefined()
      expect(report.checks.find((c) => c.id === 'connect')!.detail).toMatch(/through squid\/5\.\d/)
      const rows = Object.fromEntries(report.matrix.map((r) => [r.technique, r]))
      expect(rows.websocket).toMatchObject({ verdict: 'fails', connects: false, status: 403 })
      expect(rows.websocket!.note).toMatch(/the proxy refused the tunnel: 403 from Squid/)
      for (const technique of ['sse', 'long-polling', 'polling', 'streaming']) expect(rows[technique]!.verdict, JSON.stringify(rows[technique])).toBe('works')
    } finally {
      await squid.stop()
    }
  }, 20_000)
})

describe('the probe behind nginx with proxy_buffering on, gzip on text/event-stream and no WebSocket lines', () => {
  it('finds compression buffering cured by identity, headers held for the first event, and the stripped upgrade', async () => {
    const nginx = await startNginx('buffering', { ORIGIN: origin, BUFFERING: 'on', GZIP: 'on' })
    try {
      const report = await probe('sse', `${nginx.url}/sse/ticker?interval=500`, 6000)
      const compression = finding(report, 'compression-buffering')!
      expect(compression.summary).toMatch(/with Accept-Encoding: identity they stream/)
      expect(compression.intermediary).toMatch(/^nginx/)
      expect(compression.remedy).toMatch(/gzip_types/)
      const buffering = finding(report, 'buffering')!
      expect(buffering.summary).toMatch(/the headers waited for the first event/)
      expect(finding(report, 'upgrade-stripped')!.evidence[0]).toMatch(/→ 426$/)
      // The cut holds ask for identity, so the 3 s read timeout still shows.
      expect(Math.abs(finding(report, 'idle-timeout')!.measuredMs! - 3000)).toBeLessThanOrEqual(1000)
    } finally {
      await nginx.stop()
    }
  }, 20_000)
})
