// Recording a live session: every frame the session stamps is in the file, as the
// session handed it out (also the ones a flood skips from batches), secrets never in
// clear, a size cap that stops the recording and not the session, and a file on disk
// within 100 ms.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConnectionSpecSchema, type ConnectionSpecInput, type Frame, type FrameBatch } from '../../main/contract/index.js'
import { createEngine } from '../../main/engine.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { openRecording } from '../../main/recording/read-recording.js'
import { RecordingWriter } from '../../main/recording/recording-writer.js'
import { recordingHeader } from '../../main/recording/recording-writer-header.js'
import { createRecordingFile, recordingBaseName } from '../../main/recording/recording-writer-path.js'
import type { Session } from '../../main/session/session.js'
import { SessionManager, type OpenOptions } from '../../main/session/session-manager.js'

let playground: Playground
let dir: string
let ws: string
beforeAll(async () => {
  playground = await startPlayground()
  ws = playground.baseUrl.replace(/^http/, 'ws')
  dir = await mkdtemp(join(tmpdir(), 'rti-writer-'))
})
afterAll(async () => {
  await playground.close()
  await rm(dir, { recursive: true, force: true })
})

interface Recorded {
  session: Session
  /** Every frame delivered to the subscriber. */
  delivered: Frame[]
  skipped: number
  manager: SessionManager
}

function record(spec: ConnectionSpecInput, options: OpenOptions = {}, maxFramesPerBatch = 100_000, managerOptions: ConstructorParameters<typeof SessionManager>[0] = { recordingsDir: dir }): Recorded {
  const manager = new SessionManager(managerOptions)
  const opened = manager.open(spec, options)
  if (!opened.ok) throw new Error(opened.error.message)
  const result: Recorded = { session: opened.value, delivered: [], skipped: 0, manager }
  opened.value.subscribe((batch: FrameBatch) => {
    result.delivered.push(...batch.frames)
    result.skipped += batch.skipped
  }, maxFramesPerBatch)
  return result
}

async function readBack(path: string) {
  const reader = await openRecording(path)
  const frames: Frame[] = []
  for await (const frame of reader.frames) frames.push(frame)
  return { header: reader.header, frames, problems: reader.problems }
}

async function finish(recorded: Recorded) {
  await recorded.session.ended
  await recorded.manager.dispose()
  return readBack(recorded.session.info().recording!.path)
}

describe('recording a session', () => {
  it('holds every frame of a WebSocket echo session, identical to what the session emitted', async () => {
    const recorded = record({ technique: 'websocket', url: `${ws}/ws/echo` })
    const { session } = recorded
    await new Promise<void>((resolve) => session.subscribe((b) => b.frames.some((f) => f.kind === 'open') && resolve()))
    for (const text of ['hello', 'quote " and \\ and é 😀', '{"json":[1,2]}']) session.send({ type: 'text', data: text })
    session.send({ type: 'binary', base64: Buffer.from([0, 1, 2, 255]).toString('base64') })
    await new Promise((resolve) => setTimeout(resolve, 150))
    session.close(1000, 'done')
    const { header, frames, problems } = await finish(recorded)

    expect(problems).toEqual([])
    expect(header).toMatchObject({ format: 'rti-session', version: 1, sessionId: session.id, startedAt: session.startedAt, spec: { technique: 'websocket', url: `${ws}/ws/echo` } })
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1))
    expect(frames).toEqual(recorded.delivered)
    expect(frames.filter((f) => f.kind === 'message' && f.direction === 'in').map((f) => (f as { data?: string }).data)).toEqual(['hello', 'quote " and \\ and é 😀', '{"json":[1,2]}', undefined])
    expect(session.info().recording).toMatchObject({ frames: frames.length, bytes: (await stat(session.info().recording!.path)).size })
    expect(session.info().recording!.stopped).toBeUndefined()
  })

  it('holds every frame of an SSE session: events, comments, chunks, reconnects', async () => {
    const recorded = record({ technique: 'sse', url: `${playground.baseUrl}/sse/ticker?interval=10&count=12&fin=6&retry=20` })
    const { frames, problems } = await finish(recorded)
    expect(problems).toEqual([])
    expect(frames).toEqual(recorded.delivered)
    const kinds = new Set(frames.map((f) => f.kind))
    for (const kind of ['event', 'comment', 'chunk', 'reconnect', 'close']) expect(kinds).toContain(kind)
    expect(frames.filter((f) => f.kind === 'event')).toHaveLength(12)
  })

  it('holds the frames a flood skips from batches, each as the session would have materialised it', async () => {
    const count = 60_000
    const recorded = record({ technique: 'websocket', url: `${ws}/ws/ticker?interval=0&count=${count}` }, {}, 500)
    const { frames, problems } = await finish(recorded)
    expect(problems).toEqual([])
    expect(recorded.skipped).toBeGreaterThan(0)
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1))
    expect(frames.filter((f) => f.kind === 'message')).toHaveLength(count)
    const bySeq = new Map(frames.map((f) => [f.seq, f]))
    for (const frame of recorded.delivered) expect(bySeq.get(frame.seq)).toEqual(frame)
    expect(frames.at(-1)).toMatchObject({ kind: 'close', code: 1000 })
  })

  it('never writes a secret in clear text, in the header or in the frames', async () => {
    const secrets = ['pass-in-url', 'token-in-url', 'bearer-secret', 'api-key-secret', 'query-secret', 'proxy-pass', 'cookie-secret']
    const recorded = record({
      technique: 'websocket',
      url: `ws://me:pass-in-url@127.0.0.1:${new URL(playground.baseUrl).port}/ws/echo?access_token=token-in-url`,
      auth: { type: 'bearer', token: 'bearer-secret' },
      headers: [{ name: 'X-Api-Key', value: 'api-key-secret' }, { name: 'Cookie', value: 'sid=cookie-secret' }, { name: 'X-Trace', value: 'kept' }],
      query: [{ name: 'api_key', value: 'query-secret' }],
      proxy: { mode: 'none', url: 'http://user:proxy-pass@127.0.0.1:9' },
    })
    await new Promise<void>((resolve) => recorded.session.subscribe((b) => b.frames.some((f) => f.kind === 'open') && resolve()))
    recorded.session.close()
    const { header, frames } = await finish(recorded)
    const bytes = await readFile(recorded.session.info().recording!.path, 'utf8')
    for (const secret of secrets) expect(bytes).not.toContain(secret)
    expect(header.spec).toMatchObject({ auth: { type: 'bearer', token: '[redacted]' }, headers: [{ value: '[redacted]' }, { value: '[redacted]' }, { value: 'kept' }], proxy: { url: '[redacted]' } })
    expect(frames.find((f) => f.kind === 'request')).toMatchObject({ headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', 'x-trace': 'kept' } })
    // The session itself still used the secrets: the server accepted the handshake.
    expect(frames.some((f) => f.kind === 'open')).toBe(true)
  })

  it('keeps TLS file paths in the header: they name the files, they are not the keys', () => {
    const spec = ConnectionSpecSchema.parse({ technique: 'sse', url: 'https://h.example/e', auth: { type: 'basic', username: 'me', password: 'pw' }, tls: { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' } })
    const header = recordingHeader(spec, 1, 'id')
    expect(header.spec).toMatchObject({ auth: { type: 'basic', username: 'me', password: '[redacted]' }, tls: { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' } })
    expect(spec.auth).toEqual({ type: 'basic', username: 'me', password: 'pw' })
  })

  it('stops recording at the size cap with a clear error frame; the session goes on and the file stays valid', async () => {
    const maxBytes = 64 * 1024
    const count = 5000
    const recorded = record({ technique: 'websocket', url: `${ws}/ws/ticker?interval=0&count=${count}`, record: { maxBytes } })
    const { frames, problems } = await finish(recorded)
    const info = recorded.session.info()
    expect(info.stats.messagesIn).toBe(count)
    expect(info.recording!.stopped).toMatch(/size cap of 64 KiB/)
    const stop = recorded.delivered.find((f) => f.kind === 'error')
    expect(stop).toMatchObject({ code: 'E_RECORDING_LIMIT', message: info.recording!.stopped })
    expect(problems).toEqual([])
    // The reason is the recording's last line, after the last frame that fit.
    expect(frames.at(-1)).toEqual(stop)
    const size = (await stat(info.recording!.path)).size
    expect(size).toBeLessThanOrEqual(maxBytes + 512)
    expect(size).toBe(info.recording!.bytes)
    expect(frames.slice(0, -1).map((f) => f.seq)).toEqual(frames.slice(0, -1).map((_, i) => i + 1))
  })

  it('holds a bounded amount in memory: a disk that cannot keep up stops the recording, and says so', async () => {
    const path = join(dir, 'behind.rti.jsonl')
    const stops: [string, string][] = []
    const header = recordingHeader(ConnectionSpecSchema.parse({ technique: 'websocket', url: 'ws://127.0.0.1:1/' }), 1, 'behind')
    const writer = new RecordingWriter({ target: { path, exclusive: true }, header, maxPendingBytes: 2 * 1024 * 1024, onStop: (code, message) => stops.push([code, message]) })
    // Appended without a turn of the event loop, so no write can complete: what
    // waits to be written only grows, as it does when the disk stalls.
    const data = Buffer.alloc(1000, 'x')
    for (let seq = 1; seq <= 10_000; seq++) writer.message(data, false, seq, 1795504077599 + seq)
    expect(stops).toEqual([['E_RECORDING_BEHIND', expect.stringMatching(/^recording stopped: the disk could not keep up \(2\.0 MiB waiting to be written to .*\); the session goes on unrecorded$/)]])
    expect(writer.recording).toBe(false)
    await writer.close()
    const { frames, problems } = await readBack(path)
    expect(problems).toEqual([])
    expect(frames).toHaveLength(writer.info().frames)
    expect(frames.length).toBeLessThan(3000)
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1))
  })

  it('has each frame on disk within 100 ms of being stamped, without a close', async () => {
    const recorded = record({ technique: 'websocket', url: `${ws}/ws/echo` })
    const { session } = recorded
    await new Promise<void>((resolve) => session.subscribe((b) => b.frames.some((f) => f.kind === 'open') && resolve()))
    const path = session.info().recording!.path
    const lags: number[] = []
    for (let i = 0; i < 5; i++) {
      session.send({ type: 'text', data: `probe-${i}` })
      const echo = () => recorded.delivered.find((f) => f.kind === 'message' && f.direction === 'in' && (f as { data?: string }).data === `probe-${i}`)
      while (!(await readFile(path, 'utf8')).includes(`"direction":"in","data":"probe-${i}"`)) await new Promise((resolve) => setTimeout(resolve, 2))
      // From the moment the echo was stamped (the session clock is wall-clock time) to the moment it was seen in the file.
      const stamped = echo()?.time ?? Date.now()
      lags.push(Date.now() - stamped)
    }
    session.close()
    await finish(recorded)
    // 100 ms promised; the poll above adds up to a few ms of its own.
    expect(Math.max(...lags)).toBeLessThan(110)
  })

  it('is off for a spec that says so, and for an engine without a data folder', async () => {
    const off = record({ technique: 'websocket', url: `${ws}/ws/ticker?interval=5&count=2`, record: { enabled: false } })
    await off.session.ended
    await off.manager.dispose()
    expect(off.session.info().recording).toBeUndefined()
    const none = record({ technique: 'websocket', url: `${ws}/ws/ticker?interval=5&count=2` }, {}, 100, {})
    await none.session.ended
    await none.manager.dispose()
    expect(none.session.info().recording).toBeUndefined()
  })

  it('is on by default in an engine with a data folder, under recordings/ with a name saying when, how and where', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rti-writer-engine-'))
    try {
      const engine = await createEngine({ dataDir })
      const opened = engine.sessions.open({ technique: 'websocket', url: `${ws}/ws/ticker?interval=5&count=3` })
      if (!opened.ok) throw new Error(opened.error.message)
      await opened.value.ended
      await engine.close()
      const files = await readdir(join(dataDir, 'recordings'))
      expect(files).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-websocket-127\.0\.0\.1_\d+\.rti\.jsonl$/)])
      const { frames } = await readBack(join(dataDir, 'recordings', files[0]!))
      expect(frames.filter((f) => f.kind === 'message')).toHaveLength(3)
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })

  it('never replaces a file: automatic names take the next free number, a named file that exists is refused', async () => {
    const base = recordingBaseName(Date.UTC(2025, 0, 2, 3, 4, 5, 6), 'sse', 'http://[::1]:8080/x')
    expect(base).toBe('2025-01-02T03-04-05.006Z-sse-___1__8080')
    const sub = join(dir, 'unique')
    const paths = [1, 2, 3].map(() => createRecordingFile({ dir: sub, baseName: base }).path)
    expect(paths.map((p) => p.slice(sub.length + 1))).toEqual([`${base}.rti.jsonl`, `${base}-2.rti.jsonl`, `${base}-3.rti.jsonl`])
    expect(() => createRecordingFile({ path: paths[0]!, exclusive: true })).toThrow(/EEXIST/)
  })

  it('goes on without recording, and says why, when the file cannot be created', async () => {
    const recorded = record({ technique: 'websocket', url: `${ws}/ws/ticker?interval=5&count=2` }, { recordTo: { path: join(dir, 'missing', 'sub', 'x.rti.jsonl'), exclusive: true } })
    await recorded.session.ended
    await recorded.manager.dispose()
    expect(recorded.delivered[0]).toMatchObject({ kind: 'error', code: 'E_RECORDING_OPEN', message: expect.stringMatching(/cannot record to .*ENOENT/) })
    expect(recorded.delivered.filter((f) => f.kind === 'message')).toHaveLength(2)
    expect(recorded.session.info().recording).toMatchObject({ frames: 0, stopped: expect.stringMatching(/ENOENT/) })
  })
})
