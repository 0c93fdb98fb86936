// Browser mode: a page holding the bridge's token saves and lists connections over
// the bridge's WebSocket, the same calls the UI makes.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { BridgeServerMessage } from '../../main/contract/index.js'
import { startBridge, type Bridge } from '../../main/bridge/index.js'
import { createEngine, type Engine } from '../../main/engine.js'

let engine: Engine
let bridge: Bridge
let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rti-library-bridge-'))
  await mkdir(join(root, 'renderer'))
  await writeFile(join(root, 'renderer', 'index.html'), '<!doctype html><title>Realtime Inspector</title>')
  engine = await createEngine({ playground: true, dataDir: join(root, 'data') })
  bridge = await startBridge({ engine, rendererDir: join(root, 'renderer') })
})
afterAll(async () => {
  await bridge.close()
  await engine.close()
  await rm(root, { recursive: true, force: true })
})

function connect(): Promise<{ call: (method: string, argument?: unknown) => Promise<unknown>; ws: WebSocket }> {
  const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`, { origin: bridge.origin })
  const pending = new Map<number, (result: unknown) => void>()
  let nextId = 1
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as BridgeServerMessage
    if (message.type === 'result') pending.get(message.id)?.(message.result)
  })
  const call = (method: string, argument?: unknown) =>
    new Promise((resolve) => {
      const id = nextId++
      pending.set(id, resolve)
      ws.send(JSON.stringify({ type: 'call', id, method, argument }))
    })
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ call, ws }))
    ws.once('error', reject)
  })
}

it('a browser client saves a connection and another tab lists it', async () => {
  const first = await connect()
  const second = await connect()
  try {
    const url = `${engine.playground!.baseUrl.replace('http', 'ws')}/ws/echo`
    expect(await first.call('saveConnection', { name: 'My echo', group: 'Mine', spec: { technique: 'websocket', url } })).toMatchObject({ ok: true, value: { id: 'my-echo', secrets: 'none' } })
    const listed = (await second.call('listConnections')) as { ok: true; value: { id: string; group: string; spec: { url: string } }[] }
    expect(listed.value.map((c) => c.group)).toEqual(['Mine', ...Array<string>(9).fill('Playground')])
    expect(listed.value[0]).toMatchObject({ id: 'my-echo', spec: { url } })
    expect(await second.call('deleteConnection', '../../x')).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
  } finally {
    first.ws.close()
    second.ws.close()
  }
})
