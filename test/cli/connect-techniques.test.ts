// Every technique through the real `rti connect` bin against the playground, and the
// shared options that only show on the wire (auth, proxy). Each case is one child
// process; the usage-error table lives in connect-spec.test.ts, in-process.
import { afterAll, beforeAll, describe, it } from 'vitest'
import { FrameSchema, type Frame, type FrameOf } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { linesOf, runRti } from './run-rti.js'
import { freePort } from '../helpers/free-port.js'

let playground: Playground
let http: string

beforeAll(async () => {
  playground = await startPlayground()
  http = playground.baseUrl
})
afterAll(() => playground?.close())

/** Every stdout line must be a contract frame. */
const framesOf = (stdout: string): Frame[] => linesOf(stdout).map((line) => FrameSchema.parse(JSON.parse(line)))
const ofKind = <K extends Frame['kind']>(frames: Frame[], kind: K) => frames.filter((f): f is FrameOf<K> => f.kind === kind)


// Each case waits mostly on a child process starting: run them side by side.
describe.concurrent('rti connect, one technique each', () => {
  it('-t sse prints the events, with ids, as contract frames', async ({ expect }) => {
    const result = await runRti(['connect', '-t', 'sse', `${http}/sse/ticker?interval=20&count=3`, '--no-reconnect', '--json'])

    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const frames = framesOf(result.stdout)
    expect(ofKind(frames, 'event').map((e) => [e.event, e.id])).toEqual([
      ['tick', '1'],
      ['message', '2'],
      ['tick', '3'],
    ])
    expect(ofKind(frames, 'chunk').length).toBeGreaterThan(0)
    expect(frames.at(-1)).toMatchObject({ kind: 'close', cause: 'remote-close', wasClean: true })
  })

  it('-t sse for people: "< [type #id] data", comments, and no chunks with --no-chunks', async ({ expect }) => {
    const result = await runRti(['connect', '-t', 'sse', `${http}/sse/ticker?interval=20&count=3&heartbeat=10`, '--no-reconnect', '--no-chunks'])

    expect(result.code).toBe(0)
    const lines = linesOf(result.stdout)
    expect(lines.find((l) => l.startsWith('< [tick #1] '))).toMatch(/^< \[tick #1\] \{"seq":1,/)
    expect(lines.some((l) => l.startsWith('< [message #2] '))).toBe(true)
    expect(lines).toContain(': heartbeat')
    expect(lines.filter((l) => l.includes('chunk'))).toEqual([])
    expect(lines.at(-1)).toMatch(/^✕ close ".*" cause=remote-close$/)
  })

  it('-t long-polling --cursor header:X-Cursor sends each answer\'s cursor back in the next request', async ({ expect }) => {
    const result = await runRti(['connect', '-t', 'long-polling', `${http}/longpoll?hold=2000&every=10`, '--cursor', 'header:X-Cursor', '--messages-path', 'messages', '--json', '-n', '16'])

    expect(result.code).toBe(0)
    const frames = framesOf(result.stdout)
    const cursors = ofKind(frames, 'request').map((r) => new URL(r.url).searchParams.get('cursor'))
    expect(cursors.length).toBeGreaterThanOrEqual(3)
    expect(cursors[0]).toBeNull()
    const sent = cursors.slice(1).map(Number)
    for (let i = 1; i < sent.length; i++) expect(sent[i]).toBeGreaterThan(sent[i - 1]!)
    // With --messages-path, each element of `messages` is one message.
    expect(ofKind(frames, 'message')[0]!.data).toMatch(/^\{"seq":1,/)
  })

  it('-t polling --interval 50 marks an unchanged answer: a 304 to a conditional request', async ({ expect }) => {
    const result = await runRti(['connect', '-t', 'polling', `${http}/poll?every=600000`, '--interval', '50', '--json', '-n', '9'])

    expect(result.code).toBe(0)
    const responses = ofKind(framesOf(result.stdout), 'response')
    expect(responses[0]).toMatchObject({ status: 200 })
    expect(responses.slice(1).every((r) => r.status === 304 && r.unchanged === true)).toBe(true)
  })

  it('-t streaming --framing ndjson prints one message per line of the body', async ({ expect }) => {
    const result = await runRti(['connect', '-t', 'streaming', `${http}/stream?format=ndjson&interval=10&count=3`, '--framing', 'ndjson', '--json'])

    expect(result.code).toBe(0)
    const frames = framesOf(result.stdout)
    expect(ofKind(frames, 'message').map((m) => (JSON.parse(m.data!) as { seq: number }).seq)).toEqual([1, 2, 3])
    expect(frames.at(-1)).toMatchObject({ kind: 'close', cause: 'remote-close' })
  })
})

describe.concurrent('rti connect shared options on the wire', () => {
  it('--user sends basic auth (the playground echoes the handshake headers)', async ({ expect }) => {
    const ws = http.replace(/^http/, 'ws')
    const result = await runRti(['connect', `${ws}/ws/headers`, '--user', 'a:b', '--json', '-n', '5'])

    expect(result.code).toBe(0)
    const message = ofKind(framesOf(result.stdout), 'message')[0]!
    const { headers } = JSON.parse(message.data!) as { headers: Record<string, string> }
    expect(headers.authorization).toBe(`Basic ${Buffer.from('a:b').toString('base64')}`)
  })

  it('an unreachable --proxy: exit 1 and one line naming the proxy', async ({ expect }) => {
    const port = await freePort()
    const result = await runRti(['connect', '-t', 'sse', `${http}/sse/ticker`, '--no-reconnect', '--proxy', `http://127.0.0.1:${port}`, '--json'])

    expect(result.code).toBe(1)
    expect(linesOf(result.stderr)).toEqual([expect.stringMatching(new RegExp(`^rti: cannot connect to .*cannot reach the proxy http://127\\.0\\.0\\.1:${port}.*\\(E_PROXY_UNREACHABLE\\)$`))])
    expect(framesOf(result.stdout).at(-1)).toMatchObject({ kind: 'error', code: 'E_PROXY_UNREACHABLE' })
  })
})

describe.concurrent('rti connect usage errors for the new flags (exit 2, one line)', () => {
  it.for([
    [['connect', 'http://127.0.0.1:1/events'], /^rti: "http:\/\/127\.0\.0\.1:1\/events" needs a technique: add -t sse\|long-polling\|polling\|streaming/],
    [['connect', '-t', 'sse', 'http://127.0.0.1:1/', '--proxy', 'ftp://x'], /^rti: --proxy: proxies must be http:\/\/, https:\/\/ or socks5:\/\/, not ftp:\/\/$/],
    [['connect', '-t', 'sse', 'http://127.0.0.1:1/', '--reconnect-jitter', '2'], /^rti: --reconnect-jitter must be between 0 and 1 \(got 2\)$/],
  ] as const)('rti %j', async ([args, message], { expect }) => {
    const result = await runRti([...args])

    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(linesOf(result.stderr)).toHaveLength(1)
    expect(result.stderr.trimEnd()).toMatch(message)
  })
})
