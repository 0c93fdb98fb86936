// `rti probe` end to end, as a user or a script runs it: the JSON report, the
// readable one with progress on stderr, Ctrl+C, and bad input in one line.
import { createServer } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { startNginx, type TestNginx } from '../helpers/nginx.js'
import { exited, linesOf, runRti, spawnRti, waitForOutput } from './run-rti.js'

let playground: Playground
const children: ReturnType<typeof spawnRti>[] = []

beforeAll(async () => {
  playground = await startPlayground({ port: 0 })
})
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})
afterAll(async () => {
  await playground.close()
})

describe('rti probe --json', () => {
  it('prints the report as one JSON object and exits 0 on a healthy path', async () => {
    const url = `${playground.baseUrl}/sse/ticker?interval=500`
    const result = await runRti(['probe', '-t', 'sse', url, '--max-time', '4', '--json', '--no-proxy'], { timeoutMs: 20_000 })
    expect(result.code).toBe(0)
    // A script reading stdout gets the object and nothing else; no progress chatter off a terminal.
    expect(result.stderr).toBe('')
    expect(linesOf(result.stdout)).toHaveLength(1)
    const report = JSON.parse(result.stdout) as { url: string; technique: string; state: string; findings: unknown[]; matrix: { technique: string; verdict: string }[]; checks: unknown[] }
    expect(report.url).toBe(url)
    expect(report.technique).toBe('sse')
    expect(report.state).toBe('done')
    expect(report.findings).toEqual([])
    expect(report.matrix.map((r) => `${r.technique}:${r.verdict}`)).toEqual(['websocket:works', 'sse:works', 'long-polling:works', 'polling:works', 'streaming:works'])
    expect(report.checks).toHaveLength(9)
  }, 25_000)
})

describe('rti probe, readable', () => {
  let nginx: TestNginx
  beforeAll(async () => {
    nginx = await startNginx('read-timeout', { ORIGIN: new URL(playground.baseUrl).host, TIMEOUT: 2 })
  })
  afterAll(async () => {
    await nginx.stop()
  })

  it('prints findings with evidence and remedy, the checks and the matrix, shows progress on stderr, and exits 1', async () => {
    const result = await runRti(['probe', '-t', 'sse', `${nginx.url}/sse/ticker`, '--max-time', '10', '--no-proxy'], { timeoutMs: 25_000 })
    expect(result.code).toBe(1)
    const out = result.stdout
    expect(out).toMatch(new RegExp(`^Probe of ${nginx.url}/sse/ticker \\(sse\\) — \\d+\\.\\d s\\n`))
    expect(out).toContain(`Playground: ${nginx.url}, reached through the same path`)
    expect(out).toMatch(/\nFindings\n {2}⚠ idle-timeout \(warning, confirmed\): nginx\/[\d.]+ cuts HTTP streams after 2\.\d s without a byte/)
    expect(out).toMatch(/\n {6}- silent HTTP stream \(SSE\) 1: cut after 2\.\d s without a byte/)
    expect(out).toMatch(/\n {6}remedy: .*proxy_read_timeout/)
    expect(out).toMatch(/\nChecks\n {2}✓ connect {7}200; headers after/)
    expect(out).toMatch(/\nTechnique matrix\n {2}technique {5}verdict +status +first byte +lag +cut after +note\n {2}websocket {5}works/)
    // Off a terminal: one plain line per check as it ends.
    const progress = linesOf(result.stderr)
    expect(progress.filter((line) => line.startsWith('probe: ')).length).toBe(9)
    expect(progress).toContainEqual(expect.stringMatching(/^probe: ✓ idle-timeout: done — cut after 2\.\d s of silence \(confirmed\)$/))
  }, 30_000)

  it('stops on Ctrl+C and prints what it has', async () => {
    const child = spawnRti(['probe', '-t', 'sse', `${playground.baseUrl}/sse/ticker`, '--max-time', '60', '--no-proxy'])
    children.push(child)
    const stdout = waitForOutput(child.stdout, (text) => text.includes('Technique matrix'), 10_000)
    await waitForOutput(child.stderr, (text) => text.includes('probe: ✓ upgrade: done'), 10_000)
    child.kill('SIGINT')
    const out = await stdout
    // What it saw before the stop was healthy: exit 0.
    expect({ ...(await exited(child)), out }).toEqual({ code: 0, signal: null, out })
    expect(out).toMatch(/^Probe of .* \(sse\) \(cancelled\) — /)
    expect(out).toMatch(/✓ upgrade +101 Switching Protocols/)
  }, 20_000)
})

describe('rti probe, bad input', () => {
  it.each([
    [['-t', 'sse', 'ftp://x'], /^rti: "ftp:\/\/x" is not a valid URL for sse/],
    [['http://127.0.0.1:1/x'], /needs a technique: add -t/],
    [['-t', 'bogus', 'ws://x'], /argument 'bogus' is invalid/],
    [['ws://127.0.0.1:1/x', '--max-time', '1'], /expected a number of seconds from 2 to 3600/],
    [['ws://127.0.0.1:1/x', '--playground', 'nope'], /--playground "nope" is not a valid URL/],
    [['ws://127.0.0.1:1/x', '--bogus-flag'], /unknown option '--bogus-flag'/],
  ])('rti probe %j exits 2 with one line', async (args, message) => {
    const result = await runRti(['probe', ...args])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(linesOf(result.stderr)).toHaveLength(1)
    expect(result.stderr).toMatch(message)
  })

  it('says in one line when the proxy cannot be reached, and exits 3', async () => {
    const result = await runRti(['probe', '-t', 'sse', `${playground.baseUrl}/sse/ticker`, '--proxy', 'http://127.0.0.1:1', '--max-time', '10'])
    expect(result.code).toBe(3)
    expect(result.stdout).toBe('')
    expect(linesOf(result.stderr)).toEqual([expect.stringMatching(/^rti: cannot probe .*: E_PROXY_UNREACHABLE: cannot reach the proxy http:\/\/127\.0\.0\.1:1/)])
  })

  it('documents its checks, exit codes and examples in --help', async () => {
    const result = await runRti(['probe', '--help'])
    expect(result.code).toBe(0)
    for (const text of ['--max-time <seconds>', '--playground <url>', 'Exit codes:', '1    findings of severity warning or error', '$ rti probe -t sse', 'idle-timeout', 'matrix']) expect(result.stdout).toContain(text)
  })
})

describe('rti probe, the request as given', () => {
  it('sends -X and --body to the endpoint, and offers -s subprotocols', async () => {
    const seen: { method: string; body: string }[] = []
    const http = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString()))
      req.on('end', () => {
        seen.push({ method: req.method!, body })
        res.writeHead(200, { 'Content-Type': 'text/event-stream' }).write('data: hi\n\n')
      })
    })
    const offered: string[][] = []
    const ws = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (protocols) => (offered.push([...protocols]), [...protocols][0] ?? false) })
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    try {
      const httpUrl = `http://127.0.0.1:${(http.address() as { port: number }).port}/events`
      const wsUrl = `ws://127.0.0.1:${(ws.address() as { port: number }).port}/socket`
      const [post, sub] = await Promise.all([
        runRti(['probe', '-t', 'sse', '-X', 'POST', '--body', '{"query":"subscription { tick }"}', httpUrl, '--max-time', '3', '--json', '--no-proxy'], { timeoutMs: 20_000 }),
        runRti(['probe', '-s', 'graphql-transport-ws', '--protocol', 'none', wsUrl, '--max-time', '3', '--json', '--no-proxy'], { timeoutMs: 20_000 }),
      ])
      expect(post.stderr).toBe('')
      expect(JSON.parse(post.stdout)).toMatchObject({ technique: 'sse' })
      expect(seen).toContainEqual({ method: 'POST', body: '{"query":"subscription { tick }"}' })
      expect(JSON.parse(sub.stdout)).toMatchObject({ technique: 'websocket' })
      expect(offered).toContainEqual(['graphql-transport-ws'])
    } finally {
      http.closeAllConnections()
      await new Promise((resolve) => http.close(resolve))
      await new Promise((resolve) => ws.close(resolve))
    }
  }, 30_000)

  it('documents -X, --body, -s and --protocol in --help', async () => {
    const result = await runRti(['probe', '--help'])
    for (const text of ['-X, --method <method>', '--body <text>', '-s, --subprotocol <name>', '--protocol <name>', 'socket.io']) expect(result.stdout).toContain(text)
  })
})
