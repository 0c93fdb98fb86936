// The library through the engine's API, as the UI calls it: every method through
// dispatchApiCall, validation failures as Results, and the first-start connections
// really reaching the running playground.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatchApiCall, type EnvironmentInfo, type FrameBatch, type Result, type SavedConnection } from '../../main/contract/index.js'
import { createEngine, type Engine } from '../../main/engine.js'
import { tempDataDir } from './library-helpers.js'

let engine: Engine
let dataDir: string
let client: ReturnType<Engine['createClient']>
const call = <T>(method: string, argument?: unknown) => dispatchApiCall(client, method, argument) as Promise<Result<T>>

beforeAll(async () => {
  // Not tempDataDir(): its cleanup runs after each test, and this engine lives for the file.
  const { mkdtemp } = await import('node:fs/promises')
  const { tmpdir } = await import('node:os')
  dataDir = await mkdtemp(join(tmpdir(), 'rti-engine-library-'))
  engine = await createEngine({ playground: true, dataDir })
  client = engine.createClient('bridge')
})
afterAll(async () => {
  client.dispose()
  await engine.close()
  const { rm } = await import('node:fs/promises')
  await rm(dataDir, { recursive: true, force: true })
})

describe('the library in the engine API', () => {
  it('tells the UI where the connections live, in getEnvironment', async () => {
    const env = await call<EnvironmentInfo>('getEnvironment')
    expect(env).toMatchObject({ ok: true, value: { library: { connectionsDir: join(dataDir, 'connections'), snippetsFile: join(dataDir, 'snippets.json'), secrets: 'separate-file', problems: [] } } })
  })

  it('the first start lists one connection per technique, and each shows live traffic from the playground', async () => {
    const listed = await call<SavedConnection[]>('listConnections')
    if (!listed.ok) throw new Error(listed.error.message)
    const playground = listed.value.filter((c) => c.group === 'Playground')
    // The protocol examples (Socket.IO, GraphQL) are seeded beside them; the protocol tests drive those.
    expect(playground.filter((c) => c.spec.protocol.name !== 'auto').map((c) => c.spec.protocol.name).sort()).toEqual(['graphql-sse', 'graphql-transport-ws', 'socket.io', 'socket.io'])
    const seeds = playground.filter((c) => c.spec.protocol.name === 'auto')
    expect(seeds.map((c) => c.spec.technique).sort()).toEqual(['long-polling', 'polling', 'sse', 'streaming', 'websocket'])
    const batches: FrameBatch[] = []
    const stop = client.onFrames((batch) => batches.push(batch))
    try {
      const sessions = new Map<string, string>()
      for (const seed of seeds) {
        expect(seed.spec.url.startsWith(seed.spec.technique === 'websocket' ? engine.playground!.baseUrl.replace('http', 'ws') : engine.playground!.baseUrl)).toBe(true)
        const opened = await call<{ id: string }>('openSession', seed.spec)
        if (!opened.ok) throw new Error(`${seed.name}: ${opened.error.message}`)
        sessions.set(opened.value.id, seed.spec.technique)
        expect(await call('subscribe', { sessionId: opened.value.id })).toMatchObject({ ok: true })
      }
      const echo = [...sessions].find(([, technique]) => technique === 'websocket')![0]
      await expect.poll(() => batches.some((b) => b.sessionId === echo && b.state === 'open'), { timeout: 5000 }).toBe(true)
      expect(await call('send', { sessionId: echo, message: { type: 'text', data: 'hello seed' } })).toMatchObject({ ok: true })
      const receiving = () => new Set(batches.flatMap((b) => (b.frames.some((f) => f.direction === 'in' && (f.kind === 'message' || f.kind === 'event')) ? [sessions.get(b.sessionId)] : [])))
      await expect.poll(() => [...receiving()].sort(), { timeout: 8000 }).toEqual(['long-polling', 'polling', 'sse', 'streaming', 'websocket'])
      for (const id of sessions.keys()) await call('closeSession', id)
    } finally {
      stop()
    }
  })

  it('saves, lists, renames and deletes through dispatchApiCall', async () => {
    const spec = { technique: 'sse', url: `${engine.playground!.baseUrl}/sse/ticker?interval=200`, auth: { type: 'bearer', token: 'engine-token-xyz' } }
    const saved = await call<SavedConnection>('saveConnection', { name: 'Fast ticker', group: 'Mine', spec })
    expect(saved).toMatchObject({ ok: true, value: { id: 'fast-ticker', group: 'Mine', secrets: 'separate-file', spec: { url: spec.url, auth: spec.auth, sse: { compareWithEventSource: true } } } })
    const file = await readFile(join(dataDir, 'connections', 'fast-ticker.json'), 'utf8')
    expect(file).toContain('"url": "{playground}/sse/ticker?interval=200"')
    expect(file).not.toContain('engine-token-xyz')

    expect(await call('saveConnection', { id: 'fast-ticker', name: 'Faster ticker', group: 'Mine', spec })).toMatchObject({ ok: true, value: { id: 'fast-ticker', name: 'Faster ticker' } })
    const listed = await call<SavedConnection[]>('listConnections')
    expect(listed.ok && listed.value.filter((c) => c.group === 'Mine').map((c) => [c.id, c.name, c.spec.auth])).toEqual([['fast-ticker', 'Faster ticker', spec.auth]])
    expect(await call('deleteConnection', 'fast-ticker')).toEqual({ ok: true, value: undefined })
    expect(await call('deleteConnection', 'fast-ticker')).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_NOT_FOUND' } })
  })

  it('answers bad input with E_API_INVALID_ARGUMENT Results', async () => {
    expect(await call('saveConnection', { name: '', spec: { technique: 'sse', url: 'http://x/' } })).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT', message: expect.stringContaining('give the connection a name') } })
    expect(await call('saveConnection', { name: 'x', spec: { technique: 'websocket', url: 'http://x/' } })).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
    expect(await call('saveConnection', { id: '../../etc/passwd', name: 'x', spec: { technique: 'sse', url: 'http://x/' } })).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
    expect(await call('deleteConnection', '../secrets')).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
    expect(await call('saveSnippet', { name: 'x', encoding: 'morse', body: '' })).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
    expect(await call('deleteSnippet', 'Nope!')).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
  })

  it('saves, lists and deletes snippets', async () => {
    expect(await call('saveSnippet', { name: 'Hello', encoding: 'text', body: 'hello' })).toMatchObject({ ok: true, value: { id: 'hello' } })
    expect(await call('listSnippets')).toMatchObject({ ok: true, value: [{ id: 'hello', name: 'Hello', encoding: 'text', body: 'hello' }] })
    expect(await call('deleteSnippet', 'hello')).toEqual({ ok: true, value: undefined })
    expect(await call('listSnippets')).toEqual({ ok: true, value: [] })
  })
})

describe('an engine without a data folder', () => {
  it('lists nothing and answers saves with E_LIBRARY_UNAVAILABLE', async () => {
    const bare = await createEngine()
    const api = bare.createClient('ipc')
    try {
      expect(await dispatchApiCall(api, 'listConnections', undefined)).toEqual({ ok: true, value: [] })
      expect(await dispatchApiCall(api, 'listSnippets', undefined)).toEqual({ ok: true, value: [] })
      expect(await dispatchApiCall(api, 'saveConnection', { name: 'x', spec: { technique: 'sse', url: 'http://x/' } })).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_UNAVAILABLE', message: expect.stringContaining('data folder') } })
      expect(await dispatchApiCall(api, 'deleteConnection', 'x')).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_UNAVAILABLE' } })
      expect(await dispatchApiCall(api, 'saveSnippet', { name: 'x', encoding: 'text', body: '' })).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_UNAVAILABLE' } })
      expect(await dispatchApiCall(api, 'deleteSnippet', 'x')).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_UNAVAILABLE' } })
      const env = await api.getEnvironment()
      expect(env.ok && 'library' in env.value).toBe(false)
    } finally {
      api.dispose()
      await bare.close()
    }
  })

  it('a data folder that cannot be used gives E_LIBRARY_* Results, not exceptions', async () => {
    const dir = await tempDataDir()
    const { writeFile } = await import('node:fs/promises')
    await writeFile(join(dir, 'file'), '')
    const broken = await createEngine({ dataDir: join(dir, 'file', 'below-a-file') })
    const api = broken.createClient('ipc')
    try {
      // The first start cannot create the connections folder; the snippets list cannot be read.
      expect(await dispatchApiCall(api, 'listConnections', undefined)).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_WRITE', message: expect.stringContaining('ENOTDIR') } })
      expect(await dispatchApiCall(api, 'saveSnippet', { name: 'x', encoding: 'text', body: '' })).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_READ', message: expect.stringContaining('snippets.json') } })
    } finally {
      api.dispose()
      await broken.close()
    }
  })
})
