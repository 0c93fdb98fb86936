// An in-memory engine for the recordings views: a folder of recordings (list, rename,
// delete, search) and playbacks that become sessions. Every method is a vi.fn, so a
// test can assert the calls or answer one differently.
import { vi } from 'vitest'
import { fail, ok, type FrameBatch, type FrameDiff, type MockInfo, type PlaybackInfo, type RecordingInfo, type Result, type SessionInfo, type StartMockParams } from '@contract'
import type { ApiClient } from '../../renderer/src/api'

export const recording = (name: string, extra: Partial<RecordingInfo> = {}): RecordingInfo => ({
  name,
  endpoint: 'ws://127.0.0.1:5000/ws/echo',
  technique: 'websocket',
  startedAt: Date.UTC(2026, 0, 2, 10, 20, 30),
  durationMs: 12_400,
  frames: 11,
  framesExact: true,
  bytes: 2_450,
  modifiedAt: Date.UTC(2026, 0, 2, 10, 20, 43),
  ...extra,
})

export const playbackInfo = (extra: Partial<PlaybackInfo> = {}): PlaybackInfo => ({
  name: 'r.rti.jsonl',
  path: '/data/recordings/r.rti.jsonl',
  position: 0,
  count: 10,
  speed: 1,
  paused: true,
  durationMs: 5_000,
  atTime: 1_000,
  ...extra,
})

const unused = async () => fail('E_TEST_UNUSED', 'not in this test')

/** Two short runs of an echo: one message the same, one changed, one only in each. */
export const sampleDiff = (): FrameDiff => ({
  a: { frames: 4, truncated: false },
  b: { frames: 4, truncated: false },
  alignment: 'lcs',
  summary: { same: 2, changed: 1, onlyA: 1, onlyB: 1, medianDeltaMs: 12, maxDeltaMs: 340 },
  pairs: [
    { status: 'same', a: { seq: 2, kind: 'message', direction: 'out', at: 10, preview: 'hello' }, b: { seq: 2, kind: 'message', direction: 'out', at: 22, preview: 'hello' }, deltaMs: 12 },
    { status: 'changed', a: { seq: 3, kind: 'message', direction: 'in', at: 40, preview: '{"n":1}' }, b: { seq: 3, kind: 'message', direction: 'in', at: 380, preview: '{"n":2}' }, deltaMs: 340 },
    { status: 'only-a', a: { seq: 4, kind: 'message', direction: 'in', at: 90, preview: 'bye' } },
    { status: 'only-b', b: { seq: 5, kind: 'message', direction: 'in', at: 95, preview: 'later' } },
    { status: 'same', a: { seq: 6, kind: 'close', direction: 'in', at: 120, preview: '1000' }, b: { seq: 6, kind: 'close', direction: 'in', at: 121, preview: '1000' }, deltaMs: 1 },
  ],
  totalPairs: 5,
})

export function recordingsStandIn(seed: RecordingInfo[] = []) {
  const folder = [...seed]
  let deliver: (batch: FrameBatch) => void = () => {}
  let nextSession = 1
  const uploads = new Map<string, string>()
  const sessionFor = (target: { name?: string; path?: string }, speed: PlaybackInfo['speed'] = 'instant', paused = false): SessionInfo => ({
    id: `p${nextSession++}`,
    spec: { technique: 'websocket', url: 'ws://127.0.0.1:5000/ws/echo' } as SessionInfo['spec'],
    state: 'open',
    startedAt: 1_000,
    stats: { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 },
    playback: playbackInfo({ ...(target.name ? { name: target.name } : {}), path: target.path ?? `/data/recordings/${target.name}`, speed, paused }),
  })

  const mocks: MockInfo[] = []
  let nextMock = 1
  const liveSession = (url: string): SessionInfo => ({
    id: `live${nextSession++}`,
    spec: { technique: 'websocket', url } as SessionInfo['spec'],
    state: 'connecting',
    startedAt: 2_000,
    stats: { frames: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, reconnects: 0 },
  })

  const client = {
    getEnvironment: vi.fn(async () => ok({ version: '9.9.9', transport: 'bridge' as const })),
    listSessions: vi.fn(async () => ok([] as SessionInfo[])),
    openSession: vi.fn(async (): Promise<Result<SessionInfo>> => fail('E_TEST_UNUSED', 'not in this test')),
    closeSession: vi.fn(async () => ok(undefined)),
    send: vi.fn(unused),
    subscribe: vi.fn(async () => ok(undefined)),
    unsubscribe: vi.fn(async () => ok(undefined)),
    listConnections: vi.fn(async () => ok([])),
    saveConnection: vi.fn(unused),
    deleteConnection: vi.fn(unused),
    listSnippets: vi.fn(async () => ok([])),
    saveSnippet: vi.fn(unused),
    deleteSnippet: vi.fn(unused),
    listRecordings: vi.fn(async () => ok({ dir: '/data/recordings', recordings: [...folder], problems: [] as { name: string; message: string }[] })),
    renameRecording: vi.fn(async ({ name, newName }: { name: string; newName: string }) => {
      const index = folder.findIndex((r) => r.name === name)
      if (index < 0) return fail('E_RECORDING_NOT_FOUND', `no recording ${name}`)
      const full = newName.endsWith('.rti.jsonl') ? newName : `${newName}.rti.jsonl`
      if (folder.some((r) => r.name === full)) return fail('E_RECORDING_EXISTS', `${full} already exists`)
      folder[index] = { ...folder[index]!, name: full }
      return ok(folder[index]!)
    }),
    deleteRecording: vi.fn(async (name: string) => {
      const index = folder.findIndex((r) => r.name === name)
      if (index < 0) return fail('E_RECORDING_NOT_FOUND', `no recording ${name}`)
      folder.splice(index, 1)
      return ok(undefined)
    }),
    searchRecordings: vi.fn(async ({ endpoint, text }: { endpoint?: string; text?: string }) => {
      const hits = folder.filter((r) => !endpoint || r.endpoint.includes(endpoint)).map((r) => (text ? { ...r, matches: 2, complete: true } : r))
      return ok({ hits, complete: true })
    }),
    openRecording: vi.fn(unused),
    recordingFrames: vi.fn(unused),
    filterRecording: vi.fn(unused),
    closeRecording: vi.fn(unused),
    resendRecording: vi.fn(async (params: { recording: { name: string } | { path: string }; to?: string }) => ok(liveSession(params.to ?? 'ws://127.0.0.1:5000/ws/echo'))),
    diffRecordings: vi.fn(async (): Promise<Result<FrameDiff>> => ok(sampleDiff())),
    startMock: vi.fn(async (params: StartMockParams): Promise<Result<MockInfo>> => {
      const info: MockInfo = { id: `m${nextMock}`, url: `ws://127.0.0.1:${40000 + nextMock++}/ws/echo`, technique: 'websocket', recording: params.recording, speed: params.speed ?? 1, afterClientMessage: false, startedAt: 3_000, problems: 0 }
      mocks.push(info)
      return ok(info)
    }),
    stopMock: vi.fn(async (id: string): Promise<Result<void>> => {
      const index = mocks.findIndex((m) => m.id === id)
      if (index < 0) return fail('E_MOCK_UNKNOWN', `no mock server ${id}`)
      mocks.splice(index, 1)
      return ok(undefined)
    }),
    listMocks: vi.fn(async () => ok([...mocks])),
    startProbe: vi.fn(unused),
    probeStatus: vi.fn(unused),
    cancelProbe: vi.fn(unused),
    openPlayback: vi.fn(async (params: { name?: string; path?: string; speed?: PlaybackInfo['speed']; paused?: boolean }) => ok(sessionFor(params, params.speed, params.paused))),
    controlPlayback: vi.fn(async (params: { sessionId: string; action: string }) => ok({ ...sessionFor({ name: 'r.rti.jsonl' }), id: params.sessionId })),
    uploadRecording: vi.fn(async ({ fileName, offset, base64, final }: { fileName: string; offset: number; base64: string; final: boolean }) => {
      const sofar = (offset === 0 ? '' : (uploads.get(fileName) ?? '')) + atob(base64)
      uploads.set(fileName, sofar)
      return ok({ bytes: sofar.length, ...(final ? { name: `uploaded-${fileName}` } : {}) })
    }),
    onFrames: (listener: (batch: FrameBatch) => void) => {
      deliver = listener
      return () => {}
    },
    onTransportLost: () => () => {},
  } satisfies ApiClient
  return { client, folder, uploads, mocks, push: (batch: FrameBatch) => deliver(batch) }
}
