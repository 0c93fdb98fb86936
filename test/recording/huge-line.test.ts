// A recording whose header is followed by a 1 GiB line (a sparse file: it takes no
// disk) offered to every reader, every API method that reads a recording and every
// command: each answers (the line reported as too long, the frames around it read)
// and the engine and its live session go on. Building that line as one string used
// to throw "Invalid string length" outside any handler and end the process.
import { appendFile, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { dispatchApiCall, RECORDING_FORMAT, RECORDING_VERSION, type Frame, type InspectorApi } from '../../main/contract/index.js'
import { createEngine, type Engine } from '../../main/engine.js'
import { openRecording } from '../../main/recording/read-recording.js'
import { openIndexedRecording } from '../../main/recording/recording-index.js'
import { exited, runRti, spawnRti, waitForOutput } from '../cli/run-rti.js'

const GIB = 1 << 30
const T = 1_700_000_000_000

let dir: string
let path: string
let echo: WebSocketServer
let url: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-huge-line-'))
  await mkdir(join(dir, 'recordings'))
  echo = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  echo.on('connection', (ws) => ws.on('message', (data, binary) => ws.send(data, { binary })))
  await new Promise((resolve) => echo.once('listening', resolve))
  url = `ws://127.0.0.1:${(echo.address() as { port: number }).port}/echo`
  path = join(dir, 'recordings', 'huge.rti.jsonl')
  const before: Frame[] = [
    { seq: 1, time: T, direction: 'system', kind: 'connecting', url, attempt: 1 },
    { seq: 2, time: T + 5, direction: 'system', kind: 'open', protocol: '' },
  ]
  const after: Frame[] = [
    { seq: 3, time: T + 25, direction: 'out', kind: 'message', data: 'after', size: 5 },
    { seq: 4, time: T + 45, direction: 'system', kind: 'close', code: 1000, reason: 'bye', wasClean: true, idleMs: 20, bytesIn: 0, bytesOut: 5, cause: 'remote-close' },
  ]
  const head = [{ format: RECORDING_FORMAT, version: RECORDING_VERSION, spec: { technique: 'websocket', url }, startedAt: T }, ...before].map((l) => JSON.stringify(l) + '\n').join('')
  await writeFile(path, head)
  // The line: 1 GiB of zero bytes without a line break, as a hole in the file (no disk used).
  const handle = await open(path, 'r+')
  await handle.truncate(Buffer.byteLength(head) + GIB)
  await handle.close()
  await appendFile(path, '\n' + after.map((l) => JSON.stringify(l)).join('\n') + '\n')
})

afterAll(async () => {
  await new Promise((resolve) => echo.close(resolve))
  await rm(dir, { recursive: true, force: true })
})

describe('a 1 GiB line in a recording', () => {
  it('is reported by the reader as too long; the frames before and after it are read', { timeout: 120_000 }, async () => {
    const reader = await openRecording(path)
    const seqs: number[] = []
    for await (const frame of reader.frames) seqs.push(frame.seq)
    expect(seqs).toEqual([1, 2, 3, 4])
    expect(reader.problems).toEqual([{ line: 4, message: expect.stringMatching(/^line 4 is longer than 134217728 bytes \(1073741824 bytes\); skipped$/) }])
    const index = await openIndexedRecording(path)
    try {
      expect(index.count).toBe(4)
    } finally {
      await index.close()
    }
  })

  it('offered to every API method that reads a recording, leaves the engine and a live session running', { timeout: 240_000 }, async () => {
    const engine: Engine = await createEngine({ dataDir: dir })
    const api: InspectorApi & { dispose(): void } = engine.createClient('bridge')
    try {
      const live = await dispatchApiCall(api, 'openSession', { technique: 'websocket', url })
      expect(live.ok).toBe(true)
      const sessionId = (live as { value: { id: string } }).value.id
      const byName = { name: 'huge.rti.jsonl' }
      const calls: [string, unknown][] = [
        ['listRecordings', undefined],
        ['searchRecordings', { text: 'after' }],
        ['openRecording', byName],
        ['openPlayback', byName],
        ['startMock', { recording: byName }],
        ['diffRecordings', { a: byName, b: { path } }],
        ['resendRecording', { recording: byName, speed: 'max' }],
      ]
      for (const [method, argument] of calls) {
        const result = await dispatchApiCall(api, method, argument)
        // Every one answers; none needs the huge line, so each works.
        expect(result, method).toMatchObject({ ok: true })
        const value = (result as { value: Record<string, unknown> }).value
        if (method === 'startMock') await dispatchApiCall(api, 'stopMock', value['id'])
        if (method === 'openPlayback' || method === 'resendRecording') await dispatchApiCall(api, 'closeSession', value['id'])
        if (method === 'openRecording') await dispatchApiCall(api, 'closeRecording', value['handle'] ?? value['id'])
      }
      const session = engine.sessions.get(sessionId)!
      expect(session.info().state).toBe('open')
      expect((await dispatchApiCall(api, 'send', { sessionId, message: { type: 'text', data: 'still here' } })).ok).toBe(true)
    } finally {
      api.dispose()
      await engine.close()
    }
  })

  it('offered to rti mock, diff, replay and export, is one warning and the commands go on', { timeout: 240_000 }, async () => {
    const out = (name: string) => join(dir, name)
    const mock = spawnRti(['mock', path])
    let mockErr = ''
    mock.stderr.setEncoding('utf8').on('data', (chunk: string) => (mockErr += chunk))
    const served = await waitForOutput(mock.stdout, (text) => text.includes('\n'), 120_000)
    expect(served).toMatch(/^Mock websocket server for .* on ws:\/\/127\.0\.0\.1:\d+\/echo\n$/)
    mock.kill('SIGINT')
    expect((await exited(mock)).code).toBe(0)
    expect(mockErr).toMatch(/warning: line 4 is longer than/)
    const [diff, exported, har, replay] = await Promise.all([
      runRti(['diff', path, path, '--json'], { timeoutMs: 120_000 }),
      runRti(['export', path, '--ndjson', out('huge.ndjson')], { timeoutMs: 120_000 }),
      runRti(['export', path, '--har', out('huge.har')], { timeoutMs: 120_000 }),
      runRti(['replay', path, '--speed', 'max', '--out', out('replayed.rti.jsonl')], { timeoutMs: 120_000 }),
    ])
    for (const [name, run] of Object.entries({ diff, exported, har, replay })) {
      expect(run.stderr, name).not.toMatch(/RangeError|Invalid string length|\n\s+at /)
      expect(run.code, `${name}: ${run.stderr}`).toBe(0)
    }
    expect(exported.stderr).toMatch(/line 4 is longer than/)
  })
})
