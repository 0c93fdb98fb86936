// Re-send: a real recording's client messages sent again as a new recorded session —
// to the same echo at the recorded pace, at max speed, to another server, and to the
// mock server of that same recording (recording → mock → re-send closes the loop).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { startMockServer } from '../../main/replay/mock-server.js'
import { loadResendPlan, ResendError } from '../../main/replay/resend-plan.js'
import { readFrames, received, recordEcho, resendAndWait, sent, sinceOpen } from './resend-helpers.js'

const MESSAGES = ['one', 'two', '{"three":3}', 'four']
const AT = [50, 200, 350, 600]

let dir: string
let playground: Playground
let echoUrl: string
let recording: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-resend-'))
  playground = await startPlayground({})
  echoUrl = playground.baseUrl.replace(/^http/, 'ws') + '/ws/echo'
  recording = await recordEcho(dir, echoUrl, MESSAGES, AT)
})
afterAll(async () => {
  await playground.close()
  await rm(dir, { recursive: true, force: true })
})

/** Gaps between consecutive messages, within 30 ms + 10 % of the recorded gap. */
function expectGaps(actual: number[], recorded: number[]): void {
  const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - xs[i]!)
  const want = gaps(recorded)
  gaps(actual).forEach((gap, i) => expect(Math.abs(gap - want[i]!), `gap ${i}: ${gap.toFixed(1)} vs recorded ${want[i]!.toFixed(1)}`).toBeLessThanOrEqual(30 + 0.1 * want[i]!))
}

describe('the plan read from a recording', () => {
  it('holds the client messages with their times after open, and how the client closed', async () => {
    const plan = await loadResendPlan(recording)
    expect(plan.technique).toBe('websocket')
    expect(plan.steps.map((s) => s.message)).toEqual(MESSAGES.map((data) => ({ type: 'text', data })))
    const original = await readFrames(recording)
    expect(plan.steps.map((s) => s.at)).toEqual(sinceOpen(original, sent(original)))
    expect(plan.end).toMatchObject({ by: 'client', code: 1000, reason: 'done' })
    expect(plan.expected).toEqual({ what: 'messages', count: MESSAGES.length })
  })

  it('leaves out the secrets the recording kept only as "[redacted]", and says which', async () => {
    const { writeFile } = await import('node:fs/promises')
    const original = await readFrames(recording)
    const redacted = join(dir, 'redacted.rti.jsonl')
    const spec = {
      technique: 'websocket',
      url: echoUrl + '?room=1&access_token=%5Bredacted%5D',
      headers: [{ name: 'Authorization', value: '[redacted]' }, { name: 'X-Trace', value: 'kept' }],
      auth: { type: 'bearer', token: '[redacted]' },
    }
    const header = { format: 'rti-session', version: 1, spec, startedAt: original[0]!.time }
    await writeFile(redacted, [header, ...original].map((line) => JSON.stringify(line)).join('\n') + '\n')
    const plan = await loadResendPlan(redacted)
    expect(plan.omitted).toEqual(['auth (bearer)', 'header Authorization', 'a credential in the URL'])
    expect(plan.spec.auth).toEqual({ type: 'none' })
    expect(plan.spec.headers).toEqual([{ name: 'X-Trace', value: 'kept' }])
  })

  it('refuses a --to URL of another technique with one clear error', async () => {
    const error = await loadResendPlan(recording, { to: 'http://127.0.0.1:1/x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ResendError)
    expect((error as ResendError).code).toBe('E_RESEND_URL')
    expect((error as Error).message).toMatch(/websocket needs a ws:\/\/ or wss:\/\/ URL/)
  })
})

describe('re-sending a WebSocket recording', () => {
  it('at 1×: the same messages, the recorded gaps, echoed back, in a new recording', async () => {
    const original = await readFrames(recording)
    const run = await resendAndWait(dir, recording, { speed: 1 })
    expect(run.path).not.toBe(recording)
    expect(sent(run.frames).map((m) => m.data)).toEqual(MESSAGES)
    expect(received(run.frames).map((m) => m.data)).toEqual(MESSAGES)
    const times = sinceOpen(run.frames, sent(run.frames))
    const recorded = sinceOpen(original, sent(original))
    expectGaps(times, recorded)
    // Relative to open too, not only to each other.
    times.forEach((t, i) => expect(Math.abs(t - recorded[i]!), `message ${i} at ${t.toFixed(1)} ms, recorded at ${recorded[i]!.toFixed(1)} ms`).toBeLessThanOrEqual(30 + 0.1 * recorded[i]!))
    expect(run.frames.find((f) => f.kind === 'close')).toMatchObject({ code: 1000, reason: 'done', cause: 'local' })
  })

  it('at 2×: the gaps halved', async () => {
    const original = await readFrames(recording)
    const run = await resendAndWait(dir, recording, { speed: 2 })
    expect(sent(run.frames).map((m) => m.data)).toEqual(MESSAGES)
    expectGaps(sinceOpen(run.frames, sent(run.frames)), sinceOpen(original, sent(original)).map((t) => t / 2))
  })

  it('at max speed: everything sent promptly after open, and the session closes once the echoes are back', async () => {
    const started = performance.now()
    const run = await resendAndWait(dir, recording, { speed: 'max' })
    expect(sent(run.frames).map((m) => m.data)).toEqual(MESSAGES)
    expect(received(run.frames).map((m) => m.data)).toEqual(MESSAGES)
    for (const t of sinceOpen(run.frames, sent(run.frames))) expect(t).toBeLessThan(40)
    // Not the recorded 600 ms, nor the settle time: closed when the last echo came.
    expect(performance.now() - started).toBeLessThan(800)
  })

  it('to another URL: a scripted server gets the messages (same technique, another endpoint)', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    await new Promise((resolve) => wss.once('listening', resolve))
    const got: string[] = []
    wss.on('connection', (ws) => ws.on('message', (data) => got.push(String(data))))
    try {
      const port = (wss.address() as { port: number }).port
      const run = await resendAndWait(dir, recording, { speed: 'max', to: `ws://127.0.0.1:${port}/other` })
      expect(run.frames.find((f) => f.kind === 'connecting')).toMatchObject({ url: `ws://127.0.0.1:${port}/other` })
      expect(got).toEqual(MESSAGES)
      expect(received(run.frames)).toHaveLength(0)
    } finally {
      for (const client of wss.clients) client.terminate()
      await new Promise((resolve) => wss.close(resolve))
    }
  })

  it('against the mock of the same recording: recording → mock → re-send gives the recorded conversation back', async () => {
    const mock = await startMockServer(recording, { afterClientMessage: true })
    try {
      const original = await readFrames(recording)
      const run = await resendAndWait(dir, recording, { speed: 1, to: mock.url })
      expect(sent(run.frames).map((m) => m.data)).toEqual(MESSAGES)
      expect(received(run.frames).map((m) => m.data)).toEqual(received(original).map((m) => m.data))
      expectGaps(sinceOpen(run.frames, received(run.frames)), sinceOpen(original, received(original)))
    } finally {
      await mock.close()
    }
  })

  it('--after-server-message: a message that answered the server waits for the server', async () => {
    // The recording: the server speaks first (a ticker), the client answers each tick.
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    await new Promise((resolve) => wss.once('listening', resolve))
    wss.on('connection', (ws) => {
      let n = 0
      const tick = setInterval(() => (++n > 3 ? (clearInterval(tick), ws.close(1000)) : ws.send(`tick ${n}`)), 120)
      ws.on('close', () => clearInterval(tick))
      ws.on('message', () => {})
    })
    try {
      const port = (wss.address() as { port: number }).port
      const { SessionManager } = await import('../../main/session/session-manager.js')
      const { openSession } = await import('../helpers/session-harness.js')
      const manager = new SessionManager({ net: {}, recordingsDir: dir })
      const h = openSession(manager, { technique: 'websocket', url: `ws://127.0.0.1:${port}/` })
      for (let i = 1; i <= 3; i++) {
        await h.waitFor('message', (m) => m.data === `tick ${i}`)
        h.session.send({ type: 'text', data: `ack ${i}` })
      }
      await h.waitFor('close')
      const answered = h.session.info().recording!.path
      await manager.dispose()

      // Served by a mock that is four times slower: without waiting, the acks would run ahead of the ticks.
      const slow = await startMockServer(answered, { speed: 0.25 })
      try {
        const run = await resendAndWait(dir, answered, { speed: 1, afterServerMessage: true, to: slow.url })
        const order = run.frames.filter((f) => f.kind === 'message').map((m) => (m as { data: string }).data)
        expect(order).toEqual(['tick 1', 'ack 1', 'tick 2', 'ack 2', 'tick 3', 'ack 3'])
      } finally {
        await slow.close()
      }
    } finally {
      for (const client of wss.clients) client.terminate()
      await new Promise((resolve) => wss.close(resolve))
    }
  })
})
