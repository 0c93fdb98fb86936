// The engine's safety net: every API method is made to throw, by a dependency of the
// real engine that throws (the session manager, the saved-connections library, the
// recordings folder, mocks, probes, the maps that hold a client's handles). Each call
// answers E_INTERNAL, the fault is reported with the method's name, and the engine and
// a live session beside it go on. A fault that escapes every call (thrown from a timer,
// a rejection nobody awaited) is reported by the process guard instead of ending it.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebSocketServer } from 'ws'
import { guardApi } from '../../main/api-guard.js'
import { API_METHOD_NAMES, dispatchApiCall, ok, type ApiMethod, type InspectorApi } from '../../main/contract/index.js'
import { createEngine, type Engine } from '../../main/engine.js'
import { ROOT } from '../cli/run-rti.js'

let dir: string
let echo: WebSocketServer
let url: string
let engine: Engine
let api: InspectorApi & { dispose(): void }
const reports: { where: string; error: unknown }[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-api-guard-'))
  echo = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  echo.on('connection', (ws) => ws.on('message', (data) => ws.send(data)))
  await new Promise((resolve) => echo.once('listening', resolve))
  url = `ws://127.0.0.1:${(echo.address() as { port: number }).port}/echo`
  engine = await createEngine({ dataDir: dir, report: (where, error) => reports.push({ where, error }) })
  api = engine.createClient('bridge')
})
afterEach(() => vi.restoreAllMocks())
afterAll(async () => {
  api.dispose()
  await engine.close()
  await new Promise((resolve) => echo.close(resolve))
  await rm(dir, { recursive: true, force: true })
})

const injected = () => new RangeError('Invalid string length (injected)')
const throwing = () => {
  throw injected()
}
const rejecting = () => Promise.reject(injected())
/** The next Map#get throws: the first thing these methods do is look up a handle. */
const mapGetThrowsOnce = () => vi.spyOn(Map.prototype, 'get').mockImplementationOnce(throwing)

/** For each method: how a real dependency of it is made to throw, and an argument. */
const faults: Record<ApiMethod, { inject: () => void; argument: unknown }> = {
  getEnvironment: { inject: () => vi.spyOn(engine.library!, 'info').mockImplementation(rejecting), argument: undefined },
  listSessions: { inject: () => vi.spyOn(engine.sessions, 'list').mockImplementation(throwing), argument: undefined },
  openSession: { inject: () => vi.spyOn(engine.sessions, 'open').mockImplementation(throwing), argument: { technique: 'websocket', url: 'ws://127.0.0.1:1/' } },
  closeSession: { inject: () => vi.spyOn(engine.sessions, 'close').mockImplementation(throwing), argument: 'some-session' },
  send: { inject: () => vi.spyOn(engine.sessions, 'get').mockImplementation(throwing), argument: { sessionId: 'some-session', message: { type: 'text', data: 'x' } } },
  subscribe: { inject: () => vi.spyOn(engine.sessions, 'get').mockImplementation(throwing), argument: { sessionId: 'some-session' } },
  unsubscribe: { inject: mapGetThrowsOnce, argument: 'some-session' },
  listConnections: { inject: () => vi.spyOn(engine.library!.connections, 'list').mockImplementation(rejecting), argument: undefined },
  saveConnection: { inject: () => vi.spyOn(engine.library!.connections, 'save').mockImplementation(rejecting), argument: { name: 'x', spec: { technique: 'websocket', url: 'ws://127.0.0.1:1/' } } },
  deleteConnection: { inject: () => vi.spyOn(engine.library!.connections, 'delete').mockImplementation(rejecting), argument: 'abc' },
  listSnippets: { inject: () => vi.spyOn(engine.library!.snippets, 'list').mockImplementation(rejecting), argument: undefined },
  saveSnippet: { inject: () => vi.spyOn(engine.library!.snippets, 'save').mockImplementation(rejecting), argument: { name: 'x', encoding: 'text', body: '' } },
  deleteSnippet: { inject: () => vi.spyOn(engine.library!.snippets, 'delete').mockImplementation(rejecting), argument: 'abc' },
  listRecordings: { inject: () => vi.spyOn(engine.recordings!, 'list').mockImplementation(rejecting), argument: undefined },
  renameRecording: { inject: () => vi.spyOn(engine.recordings!, 'rename').mockImplementation(rejecting), argument: { name: 'a.rti.jsonl', newName: 'b.rti.jsonl' } },
  deleteRecording: { inject: () => vi.spyOn(engine.recordings!, 'delete').mockImplementation(rejecting), argument: 'a.rti.jsonl' },
  searchRecordings: { inject: () => vi.spyOn(engine.recordings!, 'search').mockImplementation(rejecting), argument: { text: 'x' } },
  openRecording: { inject: () => vi.spyOn(engine.recordings!, 'pathOf').mockImplementation(throwing), argument: { name: 'a.rti.jsonl' } },
  recordingFrames: { inject: mapGetThrowsOnce, argument: { id: 'abc', from: 0, count: 10 } },
  filterRecording: { inject: mapGetThrowsOnce, argument: { id: 'abc', query: { text: 'x' } } },
  closeRecording: { inject: mapGetThrowsOnce, argument: 'abc' },
  openPlayback: { inject: () => vi.spyOn(engine.sessions, 'all').mockImplementation(throwing), argument: { name: 'a.rti.jsonl' } },
  controlPlayback: { inject: () => vi.spyOn(engine.sessions, 'get').mockImplementation(throwing), argument: { sessionId: 'abc', action: 'play' } },
  uploadRecording: {
    inject: () => Object.defineProperty(engine.recordings!, 'dir', { configurable: true, get: throwing }),
    argument: { fileName: 'a.rti.jsonl', offset: 0, base64: '', final: false },
  },
  resendRecording: { inject: () => vi.spyOn(engine.recordings!, 'pathOf').mockImplementation(throwing), argument: { recording: { name: 'a.rti.jsonl' } } },
  diffRecordings: { inject: () => vi.spyOn(engine.recordings!, 'pathOf').mockImplementation(throwing), argument: { a: { name: 'a.rti.jsonl' }, b: { name: 'b.rti.jsonl' } } },
  startMock: { inject: () => vi.spyOn(engine.mocks, 'startMock').mockImplementation(rejecting), argument: { recording: { name: 'a.rti.jsonl' } } },
  stopMock: { inject: () => vi.spyOn(engine.mocks, 'stopMock').mockImplementation(throwing), argument: 'abc' },
  listMocks: { inject: () => vi.spyOn(engine.mocks, 'listMocks').mockImplementation(throwing), argument: undefined },
  startProbe: { inject: () => vi.spyOn(engine.probes, 'startProbe').mockImplementation(rejecting), argument: { spec: { technique: 'websocket', url: 'ws://127.0.0.1:1/' } } },
  probeStatus: { inject: () => vi.spyOn(engine.probes, 'probeStatus').mockImplementation(throwing), argument: 'abc' },
  cancelProbe: { inject: () => vi.spyOn(engine.probes, 'cancelProbe').mockImplementation(throwing), argument: 'abc' },
}

describe('the API safety net', () => {
  it('answers E_INTERNAL and reports, for every method whose dependency throws; the engine and a live session go on', async () => {
    const live = await api.openSession({ technique: 'websocket', url })
    expect(live.ok).toBe(true)
    const sessionId = (live as { value: { id: string } }).value.id
    await vi.waitFor(() => expect(engine.sessions.get(sessionId)!.info().state).toBe('open'), { timeout: 10_000 })
    expect(Object.keys(faults).sort()).toEqual([...API_METHOD_NAMES].sort())
    const dirDescriptor = Object.getOwnPropertyDescriptor(engine.recordings!, 'dir')!
    for (const method of API_METHOD_NAMES) {
      reports.length = 0
      const { inject, argument } = faults[method]
      inject()
      let result: unknown
      try {
        result = await (api[method] as (a: unknown) => Promise<unknown>)(argument)
      } finally {
        vi.restoreAllMocks()
        Object.defineProperty(engine.recordings!, 'dir', dirDescriptor)
      }
      expect(result, method).toEqual({ ok: false, error: { code: 'E_INTERNAL', message: expect.stringContaining(`${method} failed inside the engine: Invalid string length (injected)`) } })
      expect(reports.map((r) => r.where), method).toEqual([method])
    }
    console.log(`safety net: ${API_METHOD_NAMES.length} API methods made to throw, each answered E_INTERNAL and was reported`)
    expect((await api.listSessions()).ok).toBe(true)
    expect(engine.sessions.get(sessionId)!.info().state).toBe('open')
    expect(await api.send({ sessionId, message: { type: 'text', data: 'still here' } })).toEqual(ok(undefined))
    await api.closeSession(sessionId)
  })

  it('answers a Result even for a thrown value that cannot be printed, sync or async', async () => {
    const hostile = [Object.create(null), new Proxy({}, { get: throwing, getPrototypeOf: throwing }), undefined, Symbol('s')]
    for (const value of hostile) {
      const base = { ...api, listSessions: () => { throw value }, listMocks: async () => { throw value } } as InspectorApi
      const seen: string[] = []
      const guarded = guardApi(base, (where) => seen.push(where))
      expect(await guarded.listSessions()).toMatchObject({ ok: false, error: { code: 'E_INTERNAL' } })
      expect(await guarded.listMocks()).toMatchObject({ ok: false, error: { code: 'E_INTERNAL' } })
      expect(seen).toEqual(['listSessions', 'listMocks'])
      // The transports' gate too, with no guard beneath it.
      expect(await dispatchApiCall(base, 'listSessions', undefined)).toMatchObject({ ok: false, error: { code: 'E_INTERNAL' } })
    }
  })

  it('keeps answering when the reporter itself throws', async () => {
    const guarded = guardApi({ ...api, listSessions: throwing } as InspectorApi, throwing)
    expect(await guarded.listSessions()).toMatchObject({ ok: false, error: { code: 'E_INTERNAL' } })
  })

  it('reports a fault thrown later from a timer or an unawaited rejection, and the process goes on', { timeout: 60_000 }, async () => {
    const script = join(dir, 'escape.ts')
    await writeFile(
      script,
      `import { guardProcess, stderrReporter } from ${JSON.stringify(join(ROOT, 'main/api-guard.ts'))}
guardProcess(stderrReporter())
setImmediate(() => { throw new RangeError('Invalid string length') })
void Promise.reject(new TypeError('nobody awaited this'))
setTimeout(() => { process.stdout.write('still running\\n') }, 300)
`,
    )
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: 'pipe' })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const code = await new Promise((resolve) => child.on('close', resolve))
    expect(stdout).toBe('still running\n')
    expect(code).toBe(0)
    expect(stderr).toMatch(/rti: internal error in the engine process \(the engine goes on\): RangeError: Invalid string length\n\s+at /)
    expect(stderr).toMatch(/rti: internal error in the engine process \(a rejected promise\) \(the engine goes on\): TypeError: nobody awaited this/)
  })
})
