// Saved connections as files: one readable JSON file each, only what differs from
// the defaults, ids that are safe file names, and files the store cannot read left
// exactly as they are.
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConnectionSpecSchema, type SavedConnection, type SavedConnectionInput } from '../../main/contract/index.js'
import { openLibrary, type LibraryOptions } from '../../main/library/index.js'
import { quiet, tempDataDir } from './library-helpers.js'

/** A library whose first start is behind it (an empty connections folder: no seeds). */
async function emptyLibrary(options: Partial<LibraryOptions> = {}) {
  const dataDir = await tempDataDir()
  await mkdir(join(dataDir, 'connections'))
  const warnings: string[] = []
  const library = openLibrary({ dataDir, warn: (m) => warnings.push(m), ...options })
  return { dataDir, dir: join(dataDir, 'connections'), library, warnings }
}

async function save(library: ReturnType<typeof openLibrary>, input: SavedConnectionInput): Promise<SavedConnection> {
  const saved = await library.connections.save(input)
  if (!saved.ok) throw new Error(`${saved.error.code}: ${saved.error.message}`)
  return saved.value
}

async function list(library: ReturnType<typeof openLibrary>): Promise<SavedConnection[]> {
  const listed = await library.connections.list()
  if (!listed.ok) throw new Error(`${listed.error.code}: ${listed.error.message}`)
  return listed.value
}

const richSpec = ConnectionSpecSchema.parse({
  technique: 'long-polling',
  url: 'https://api.example.com/feed?since=0',
  headers: [{ name: 'Accept', value: 'application/json' }],
  query: [{ name: 'page', value: '2' }],
  method: 'POST',
  body: '{"hello":"world"}',
  tls: { insecure: true },
  proxy: { mode: 'none' },
  reconnect: { enabled: true, maxAttempts: 0 },
  longPolling: { cursor: { from: 'header', name: 'X-Cursor' }, messagesPath: 'items' },
})

describe('saving and listing connections', () => {
  it('lists a saved connection with the same spec, name, group and id', async () => {
    const { library } = await emptyLibrary()
    const saved = await save(library, { name: 'Feed (staging)', group: 'Staging', spec: richSpec })
    expect(saved).toMatchObject({ id: 'feed-staging', name: 'Feed (staging)', group: 'Staging', secrets: 'none' })
    expect(await list(library)).toEqual([saved])
    expect((await list(library))[0]!.spec).toEqual(richSpec)
  })

  it('writes one pretty-printed JSON file per connection, keeping only what differs from the defaults', async () => {
    const { library, dir } = await emptyLibrary()
    await save(library, { name: 'Echo', spec: ConnectionSpecSchema.parse({ technique: 'websocket', url: 'wss://echo.example.com/socket', websocket: { subprotocols: ['chat'] } }) })
    const text = await readFile(join(dir, 'echo.json'), 'utf8')
    expect(text.endsWith('}\n')).toBe(true)
    expect(text).toContain('\n  "spec": {\n    "technique": "websocket",')
    const file = JSON.parse(text)
    expect(Object.keys(file)).toEqual(['version', 'name', 'group', 'updatedAt', 'spec'])
    expect(file.spec).toEqual({ technique: 'websocket', url: 'wss://echo.example.com/socket', websocket: { subprotocols: ['chat'] } })
    expect(new Date(file.updatedAt).toISOString()).toBe(file.updatedAt)
  })

  it('keeps the file short for a technique with nested options (only the changed leaves)', async () => {
    const { library, dir } = await emptyLibrary()
    await save(library, { name: 'Feed', spec: richSpec })
    const { spec } = JSON.parse(await readFile(join(dir, 'feed.json'), 'utf8'))
    expect(spec).toEqual({
      technique: 'long-polling',
      url: 'https://api.example.com/feed?since=0',
      headers: [{ name: 'Accept', value: 'application/json' }],
      query: [{ name: 'page', value: '2' }],
      method: 'POST',
      body: '{"hello":"world"}',
      tls: { insecure: true },
      proxy: { mode: 'none' },
      reconnect: { enabled: true, maxAttempts: 0 },
      longPolling: { cursor: { from: 'header', name: 'X-Cursor' }, messagesPath: 'items' },
    })
  })

  it('sorts by group, then name', async () => {
    const { library } = await emptyLibrary()
    for (const [name, group] of [['b', 'Prod'], ['a', 'Prod'], ['z', ''], ['c', 'Dev']]) {
      await save(library, { name: name!, group, spec: { technique: 'sse', url: 'http://example.com/events' } })
    }
    expect((await list(library)).map((c) => `${c.group}/${c.name}`)).toEqual(['/z', 'Dev/c', 'Prod/a', 'Prod/b'])
  })

  it('saving with an id replaces that connection: a rename keeps the id and the file', async () => {
    const { library, dir } = await emptyLibrary()
    const first = await save(library, { name: 'Old name', spec: { technique: 'sse', url: 'http://example.com/a' } })
    const renamed = await save(library, { id: first.id, name: 'New name', group: 'G', spec: { technique: 'sse', url: 'http://example.com/b' } })
    expect(renamed.id).toBe(first.id)
    expect(await readdir(dir)).toEqual(['old-name.json'])
    expect(await list(library)).toEqual([renamed])
    expect(renamed.spec.url).toBe('http://example.com/b')
  })

  it('saving with an unknown id is E_LIBRARY_NOT_FOUND and writes nothing', async () => {
    const { library, dir } = await emptyLibrary()
    const result = await library.connections.save({ id: 'nope', name: 'x', spec: { technique: 'sse', url: 'http://example.com/a' } })
    expect(result).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_NOT_FOUND' } })
    expect(await readdir(dir)).toEqual([])
  })

  it('delete removes the file; deleting again is E_LIBRARY_NOT_FOUND', async () => {
    const { library, dir } = await emptyLibrary()
    const saved = await save(library, { name: 'Gone', spec: { technique: 'polling', url: 'http://example.com/poll' } })
    expect(await library.connections.delete(saved.id)).toEqual({ ok: true, value: undefined })
    expect(await readdir(dir)).toEqual([])
    expect(await list(library)).toEqual([])
    expect(await library.connections.delete(saved.id)).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_NOT_FOUND' } })
  })

  it('does not leave temporary files behind', async () => {
    const { library, dataDir } = await emptyLibrary()
    for (let i = 0; i < 5; i++) await save(library, { name: 'Same', spec: { technique: 'sse', url: 'http://example.com/a' } })
    expect((await readdir(dataDir, { recursive: true })).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })
})

describe('ids', () => {
  it('come from the name as a slug, made unique with -2, -3…', async () => {
    const { library } = await emptyLibrary()
    const spec = { technique: 'sse' as const, url: 'http://example.com/a' }
    const ids = []
    for (const name of ['Chat — Prod', 'chat prod', 'CHAT/PROD', 'Ünïcödé', '!!!']) ids.push((await save(library, { name, spec })).id)
    expect(ids).toEqual(['chat-prod', 'chat-prod-2', 'chat-prod-3', 'unicode', 'connection'])
  })

  it('are unique even when many saves run at once', async () => {
    const { library } = await emptyLibrary()
    const results = await Promise.all(Array.from({ length: 8 }, () => library.connections.save({ name: 'Busy', spec: { technique: 'sse', url: 'http://example.com/a' } })))
    const ids = results.map((r) => (r.ok ? r.value.id : r.error.code))
    expect(new Set(ids).size).toBe(8)
    expect(await list(library)).toHaveLength(8)
  })

  it('that could leave the folder are refused, whatever the call', async () => {
    const { library, dataDir } = await emptyLibrary()
    await writeFile(join(dataDir, 'victim.json'), '{"keep":true}')
    for (const id of ['../victim', '..', '/etc/passwd', 'a/b', 'A', '']) {
      expect(await library.connections.delete(id)).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^E_(LIBRARY_NOT_FOUND|API_INVALID_ARGUMENT)$/) } })
      expect(await library.connections.save({ id, name: 'x', spec: { technique: 'sse', url: 'http://example.com/a' } })).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
    }
    expect(await readFile(join(dataDir, 'victim.json'), 'utf8')).toBe('{"keep":true}')
  })
})

describe('files the store cannot read', () => {
  it('are skipped and reported, the others still list, and the file is never rewritten or deleted', async () => {
    const { library, dir, warnings } = await emptyLibrary()
    const good = await save(library, { name: 'Good', spec: { technique: 'sse', url: 'http://example.com/a' } })
    const broken = '{ "name": "Broken", "spec": { "technique": "sse", '
    const invalid = JSON.stringify({ name: 'Invalid', spec: { technique: 'sse', url: 'ftp://example.com' } })
    await writeFile(join(dir, 'broken.json'), broken)
    await writeFile(join(dir, 'invalid.json'), invalid)
    await writeFile(join(dir, 'Not An Id.json'), '{}')

    expect(await list(library)).toEqual([good])
    const problems = await library.connections.problems()
    expect(problems.ok && problems.value.map((p) => [p.file, p.message])).toEqual([
      [join(dir, 'Not An Id.json'), expect.stringContaining('file name')],
      [join(dir, 'broken.json'), expect.stringContaining('not valid JSON')],
      [join(dir, 'invalid.json'), expect.stringContaining('spec.url')],
    ])
    expect(warnings).toHaveLength(3)

    expect(await library.connections.save({ id: 'broken', name: 'Mine now', spec: { technique: 'sse', url: 'http://example.com/a' } })).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_UNREADABLE' } })
    expect(await library.connections.delete('invalid')).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_UNREADABLE' } })
    // A new connection named like a broken file gets another id rather than its place.
    expect((await save(library, { name: 'Broken', spec: { technique: 'sse', url: 'http://example.com/a' } })).id).toBe('broken-2')
    expect(await readFile(join(dir, 'broken.json'), 'utf8')).toBe(broken)
    expect(await readFile(join(dir, 'invalid.json'), 'utf8')).toBe(invalid)
    await list(library)
    expect(warnings).toHaveLength(3) // each problem is told once
  })

  it('a hand-written file with only a name and a spec lists, with the file time as updatedAt', async () => {
    const { library, dir } = await emptyLibrary()
    await writeFile(join(dir, 'by-hand.json'), JSON.stringify({ name: 'By hand', spec: { technique: 'streaming', url: 'http://example.com/s', streaming: { framing: 'delimiter', delimiter: '\\x1e' } } }))
    const [connection] = await list(library)
    expect(connection).toMatchObject({ id: 'by-hand', name: 'By hand', group: '', secrets: 'none' })
    expect(connection!.spec).toEqual(ConnectionSpecSchema.parse({ technique: 'streaming', url: 'http://example.com/s', streaming: { framing: 'delimiter', delimiter: '\\x1e' } }))
    expect(connection!.updatedAt).toBeGreaterThan(Date.now() - 60_000)
  })

  it('a file from a newer format version is skipped', async () => {
    const { library, dir } = await emptyLibrary()
    await writeFile(join(dir, 'future.json'), JSON.stringify({ version: 2, name: 'Future', spec: { technique: 'sse', url: 'http://example.com/a' } }))
    expect(await list(library)).toEqual([])
    const problems = await library.connections.problems()
    expect(problems.ok && problems.value[0]?.message).toContain('newer')
  })
})

describe('the playground placeholder', () => {
  const base = 'http://127.0.0.1:4512'

  it('is stored for URLs of the running playground and resolved to the running one when listed', async () => {
    let running: string | undefined = base
    const { library, dir } = await emptyLibrary({ playgroundBaseUrl: () => running })
    await save(library, { name: 'Echo', spec: { technique: 'websocket', url: 'ws://127.0.0.1:4512/ws/echo' } })
    await save(library, { name: 'Ticker', spec: { technique: 'sse', url: `${base}/sse/ticker?interval=1000` } })
    await save(library, { name: 'Other port', spec: { technique: 'sse', url: 'http://127.0.0.1:4513/x' } })
    await save(library, { name: 'Longer port', spec: { technique: 'sse', url: `${base}9/x` } })
    const stored = async (id: string) => JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')).spec.url
    expect(await stored('echo')).toBe('{playground}/ws/echo')
    expect(await stored('ticker')).toBe('{playground}/sse/ticker?interval=1000')
    expect(await stored('other-port')).toBe('http://127.0.0.1:4513/x')
    expect(await stored('longer-port')).toBe(`${base}9/x`)

    running = 'http://127.0.0.1:50000' // the next start
    const urls = Object.fromEntries((await list(library)).map((c) => [c.id, c.spec.url]))
    expect(urls).toEqual({ echo: 'ws://127.0.0.1:50000/ws/echo', ticker: 'http://127.0.0.1:50000/sse/ticker?interval=1000', 'other-port': 'http://127.0.0.1:4513/x', 'longer-port': `${base}9/x` })
  })

  it('stays visible when no playground runs, and the connection still lists', async () => {
    const { library, dir } = await emptyLibrary()
    await writeFile(join(dir, 'echo.json'), JSON.stringify({ name: 'Echo', spec: { technique: 'websocket', url: '{playground}/ws/echo', websocket: { perMessageDeflate: true } } }))
    const [echo] = await list(library)
    expect(echo!.spec.url).toBe('{playground}/ws/echo')
    expect(echo!.spec.websocket.perMessageDeflate).toBe(true)
    // Opening it fails validation with a message instead of connecting somewhere else.
    expect(ConnectionSpecSchema.safeParse(echo!.spec).success).toBe(false)
  })
})

describe('the first start', () => {
  it('seeds one connection per technique and the protocol examples to the playground, in the group "Playground"', async () => {
    const dataDir = await tempDataDir()
    const library = openLibrary({ dataDir: join(dataDir, 'not-yet'), playgroundBaseUrl: () => 'http://127.0.0.1:40000', warn: quiet })
    const seeded = await list(library)
    expect(seeded.map((c) => [c.group, c.name, c.spec.technique, c.spec.url, c.spec.protocol.name])).toEqual([
      ['Playground', 'GraphQL over SSE', 'sse', 'http://127.0.0.1:40000/graphql/stream', 'graphql-sse'],
      ['Playground', 'GraphQL subscription (graphql-ws)', 'websocket', 'ws://127.0.0.1:40000/graphql', 'graphql-transport-ws'],
      ['Playground', 'Long-poll feed', 'long-polling', 'http://127.0.0.1:40000/longpoll?cursor=0&hold=10000', 'auto'],
      ['Playground', 'NDJSON stream', 'streaming', 'http://127.0.0.1:40000/stream?format=ndjson&interval=1000', 'auto'],
      ['Playground', 'Polled counter', 'polling', 'http://127.0.0.1:40000/poll', 'auto'],
      ['Playground', 'Socket.IO chat', 'websocket', 'ws://127.0.0.1:40000/socket.io/', 'socket.io'],
      ['Playground', 'Socket.IO over polling', 'long-polling', 'http://127.0.0.1:40000/socket.io/', 'socket.io'],
      ['Playground', 'SSE ticker', 'sse', 'http://127.0.0.1:40000/sse/ticker?interval=1000', 'auto'],
      ['Playground', 'WebSocket echo', 'websocket', 'ws://127.0.0.1:40000/ws/echo', 'auto'],
    ])
    const longPoll = seeded.find((c) => c.spec.technique === 'long-polling')!
    expect(longPoll.spec.longPolling).toMatchObject({ cursor: { from: 'json', name: 'cursor' }, messagesPath: 'messages' })
    const subscription = seeded.find((c) => c.name === 'GraphQL subscription (graphql-ws)')!
    expect(subscription.spec.protocol.graphql.operations).toEqual([{ query: 'subscription { ticks(count: 5) { n sentAt } }', variables: '', operationName: '' }])
    const files = await readdir(join(dataDir, 'not-yet', 'connections'))
    expect(files).toHaveLength(9)
    expect(files).toEqual(expect.arrayContaining(['long-poll-feed.json', 'ndjson-stream.json', 'polled-counter.json', 'sse-ticker.json', 'websocket-echo.json', 'socket-io-chat.json']))
    expect(JSON.parse(await readFile(join(dataDir, 'not-yet', 'connections', 'websocket-echo.json'), 'utf8')).spec).toEqual({ technique: 'websocket', url: '{playground}/ws/echo' })
    // Only what differs from a fresh spec is stored: the protocol's name.
    expect(JSON.parse(await readFile(join(dataDir, 'not-yet', 'connections', 'socket-io-chat.json'), 'utf8')).spec).toEqual({ technique: 'websocket', url: '{playground}/socket.io/', protocol: { name: 'socket.io' } })
    expect((await readdir(join(dataDir, 'not-yet'))).filter((name) => name.startsWith('.'))).toEqual([])
  })

  it('happens once: deleted seeds do not come back, in this run or the next', async () => {
    const dataDir = await tempDataDir()
    const first = openLibrary({ dataDir, warn: quiet })
    for (const connection of await list(first)) expect(await first.connections.delete(connection.id)).toMatchObject({ ok: true })
    expect(await list(first)).toEqual([])
    expect(await list(openLibrary({ dataDir, warn: quiet }))).toEqual([])
  })

  it('does not seed into an existing folder', async () => {
    const { library } = await emptyLibrary()
    expect(await list(library)).toEqual([])
  })

  it('seeds again only if the whole folder is gone before the next start', async () => {
    const dataDir = await tempDataDir()
    await list(openLibrary({ dataDir, warn: quiet }))
    await rm(join(dataDir, 'connections'), { recursive: true })
    expect(await list(openLibrary({ dataDir, warn: quiet }))).toHaveLength(9)
    expect(existsSync(join(dataDir, 'connections', 'websocket-echo.json'))).toBe(true)
  })
})
