// The contract's schemas are the gate for everything from outside: they must refuse
// malformed payloads with a message, and accept the frames the engine produces.
import { describe, expect, it } from 'vitest'
import { API_METHODS, ConnectionSpecSchema, describeCloseCode, dispatchApiCall, formatBytes, FrameSchema, ok, OutgoingMessageSchema, type InspectorApi } from '../../main/contract/index.js'
import { VERSION } from '../../main/version.js'
import packageJson from '../../package.json' with { type: 'json' }

describe('frame schema', () => {
  it('accepts every frame kind of docs/architecture.md ("The frame model")', () => {
    const base = { seq: 1, time: 1_700_000_000_000.5 }
    const frames = [
      { ...base, direction: 'system', kind: 'connecting', url: 'ws://x/', attempt: 1 },
      { ...base, direction: 'out', kind: 'request', method: 'GET', url: 'ws://x/', headers: { a: 'b', c: ['d', 'e'] } },
      { ...base, direction: 'in', kind: 'response', status: 101, headers: {}, httpVersion: '1.1', durationMs: 3 },
      { ...base, direction: 'system', kind: 'open', protocol: '' },
      { ...base, direction: 'in', kind: 'message', data: 'hi', size: 2 },
      { ...base, direction: 'in', kind: 'message', dataBase64: 'AAE=', binary: true, size: 2 },
      { ...base, direction: 'in', kind: 'event', event: 'message', data: 'x', id: '' },
      { ...base, direction: 'in', kind: 'comment', text: 'heartbeat' },
      { ...base, direction: 'in', kind: 'chunk', data: 'x', size: 1 },
      { ...base, direction: 'in', kind: 'ping', data: '' },
      { ...base, direction: 'out', kind: 'pong', data: '' },
      { ...base, direction: 'system', kind: 'close', code: 1006, reason: '', wasClean: false, idleMs: 60000, bytesIn: 1, bytesOut: 1, cause: 'fin' },
      { ...base, direction: 'system', kind: 'error', code: 'E_CONNECT_REFUSED', message: 'refused' },
      { ...base, direction: 'system', kind: 'reconnect', attempt: 2, delayMs: 1000 },
      { ...base, direction: 'system', kind: 'finding', id: 'idle-timeout', severity: 'warning', summary: 's', evidence: [], remedy: 'r' },
    ]
    for (const frame of frames) expect(FrameSchema.safeParse(frame).error).toBeUndefined()
  })

  it.each([
    ['an unknown kind', { seq: 1, time: 1, direction: 'in', kind: 'telepathy' }],
    ['seq 0', { seq: 0, time: 1, direction: 'in', kind: 'comment', text: '' }],
    ['a bad direction', { seq: 1, time: 1, direction: 'sideways', kind: 'comment', text: '' }],
    ['an unknown close cause', { seq: 1, time: 1, direction: 'system', kind: 'close', code: 1000, reason: '', wasClean: true, idleMs: 0, bytesIn: 0, bytesOut: 0, cause: 'gremlins' }],
    ['an error code without E_ prefix', { seq: 1, time: 1, direction: 'system', kind: 'error', code: 'boom', message: '' }],
    ['a string where a number belongs', { seq: '1', time: 1, direction: 'in', kind: 'comment', text: '' }],
  ])('refuses %s', (_, frame) => {
    expect(FrameSchema.safeParse(frame).success).toBe(false)
  })
})

describe('connection spec schema', () => {
  it('fills defaults for a minimal spec', () => {
    const spec = ConnectionSpecSchema.parse({ technique: 'websocket', url: 'ws://127.0.0.1:1/' })
    expect(spec.headers).toEqual([])
    expect(spec.websocket).toMatchObject({ subprotocols: [], perMessageDeflate: false })
  })

  it.each([
    ['a header with a line break (header injection)', { headers: [{ name: 'X-A', value: 'a\r\nHost: evil' }] }],
    ['a header name with a space', { headers: [{ name: 'X A', value: 'a' }] }],
    ['a wrong scheme', { url: 'ftp://host/' }],
    ['an unknown technique', { technique: 'carrier-pigeon' }],
    ['a huge URL', { url: 'ws://x/' + 'a'.repeat(10_000) }],
    ['a negative maxPayload', { websocket: { maxPayload: -1 } }],
  ])('refuses %s', (_, change) => {
    expect(ConnectionSpecSchema.safeParse({ technique: 'websocket', url: 'ws://127.0.0.1:1/', ...change }).success).toBe(false)
  })
})

describe('outgoing messages', () => {
  it('refuses close codes an endpoint may not send, and bad base64', () => {
    expect(OutgoingMessageSchema.safeParse({ type: 'close', code: 1006 }).success).toBe(false)
    expect(OutgoingMessageSchema.safeParse({ type: 'close', code: 4000 }).success).toBe(true)
    expect(OutgoingMessageSchema.safeParse({ type: 'binary', base64: 'not base64!' }).success).toBe(false)
    expect(OutgoingMessageSchema.safeParse({ type: 'ping', data: 'x'.repeat(126) }).success).toBe(false)
  })

  it('explains close codes', () => {
    expect(describeCloseCode(1000)).toBe('normal closure')
    expect(describeCloseCode(4321)).toMatch(/application/)
    expect(describeCloseCode(99)).toMatch(/not a valid/)
  })
})

describe('dispatch', () => {
  const api = { listSessions: async () => ok([]), openSession: async () => ok('opened') } as unknown as InspectorApi

  it('refuses unknown methods, including prototype names', async () => {
    for (const name of ['dropTables', 'constructor', '__proto__', 42]) {
      const result = await dispatchApiCall(api, name, undefined)
      expect(result).toMatchObject({ ok: false, error: { code: 'E_API_UNKNOWN_METHOD' } })
    }
  })

  it('refuses an invalid argument before the engine sees it', async () => {
    const result = await dispatchApiCall(api, 'openSession', { technique: 'websocket', url: 'http://x' })
    expect(result).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT', message: expect.stringContaining('url') } })
  })

  it('answers with a Result when the implementation throws', async () => {
    const throwing = { listSessions: async () => { throw new Error('kaboom') } } as unknown as InspectorApi
    expect(await dispatchApiCall(throwing, 'listSessions', undefined)).toMatchObject({ ok: false, error: { code: 'E_INTERNAL', message: 'kaboom' } })
  })

  it('has a schema for every method of the API', () => {
    expect(Object.keys(API_METHODS).sort()).toEqual([
      'cancelProbe', 'closeRecording', 'closeSession', 'controlPlayback', 'deleteConnection', 'deleteRecording', 'deleteSnippet', 'diffRecordings', 'filterRecording', 'getEnvironment',
      'listConnections', 'listMocks', 'listRecordings', 'listSessions', 'listSnippets', 'openPlayback', 'openRecording', 'openSession', 'probeStatus', 'recordingFrames',
      'renameRecording', 'resendRecording', 'saveConnection', 'saveSnippet', 'searchRecordings', 'send', 'startMock', 'startProbe', 'stopMock', 'subscribe',
      'unsubscribe', 'uploadRecording',
    ])
  })
})

it('reports the same version as package.json', () => {
  expect(VERSION).toBe(packageJson.version)
})

describe('formatBytes', () => {
  it('reads the same in the engine, the CLI (KiB) and the UI (KB)', () => {
    expect([512, 1536, 64 * 1024, 2 * 1024 ** 2, 1024 ** 3].map((n) => formatBytes(n))).toEqual(['512 B', '1.5 KiB', '64 KiB', '2.0 MiB', '1.0 GiB'])
    expect(formatBytes(1536, 'KB')).toBe('1.5 KB')
  })
})
