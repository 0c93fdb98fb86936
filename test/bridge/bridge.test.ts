// Browser mode's gate: only a caller with the token, from our own origin, on a
// loopback Host, reaches the engine.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { BridgeServerMessage, FrameBatch } from '../../main/contract/index.js'
import { startBridge, type Bridge } from '../../main/bridge/index.js'
import { createEngine, type Engine } from '../../main/engine.js'

let engine: Engine
let bridge: Bridge
beforeAll(async () => {
  const rendererDir = await mkdtemp(join(tmpdir(), 'rti-renderer-'))
  await mkdir(join(rendererDir, 'assets'))
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Realtime Inspector</title>')
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  engine = await createEngine({ playground: true })
  bridge = await startBridge({ engine, rendererDir })
})
afterAll(async () => {
  await bridge.close()
  await engine.close()
})

const apiUrl = (token: string | undefined) => `ws://127.0.0.1:${bridge.port}/api${token === undefined ? '' : `?token=${token}`}`

/** The handshake's HTTP status, or 101 when the bridge accepted it. */
function handshakeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('error', (error) => (error.message.includes('closed before') ? undefined : reject(error)))
  })
}

function connect(): Promise<{ call: (method: string, argument?: unknown) => Promise<unknown>; batches: FrameBatch[]; ws: WebSocket }> {
  const ws = new WebSocket(apiUrl(bridge.token), { origin: bridge.origin })
  const pending = new Map<number, (result: unknown) => void>()
  const batches: FrameBatch[] = []
  let nextId = 1
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as BridgeServerMessage
    if (message.type === 'result') pending.get(message.id)?.(message.result)
    else batches.push(message.batch)
  })
  const call = (method: string, argument?: unknown) =>
    new Promise((resolve) => {
      const id = nextId++
      pending.set(id, resolve)
      ws.send(JSON.stringify({ type: 'call', id, method, argument }))
    })
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ call, batches, ws }))
    ws.once('error', reject)
  })
}

describe('bridge access', () => {
  it('refuses the page without the token, and serves it with the token', async () => {
    expect((await fetch(`${bridge.origin}/`)).status).toBe(403)
    expect((await fetch(`${bridge.origin}/?token=wrong`)).status).toBe(403)
    const page = await fetch(bridge.url)
    expect(page.status).toBe(200)
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect(await page.text()).toContain('Realtime Inspector')
  })

  it('refuses the API without the token or with a wrong one', async () => {
    expect(await handshakeStatus(apiUrl(undefined), { Origin: bridge.origin })).toBe(403)
    expect(await handshakeStatus(apiUrl('x'.repeat(bridge.token.length)), { Origin: bridge.origin })).toBe(403)
  })

  it('refuses a foreign Origin even with the token', async () => {
    expect(await handshakeStatus(apiUrl(bridge.token), { Origin: 'http://evil.example' })).toBe(403)
    expect(await handshakeStatus(apiUrl(bridge.token), { Origin: 'http://127.0.0.1:1' })).toBe(403)
  })

  it('refuses a rebound Host name (DNS rebinding)', async () => {
    expect(await handshakeStatus(apiUrl(bridge.token), { Origin: 'http://evil.example', Host: `evil.example:${bridge.port}` })).toBe(403)
    const res = await new Promise<number>((resolve) => {
      import('node:http').then(({ get }) => get({ host: '127.0.0.1', port: bridge.port, path: `/?token=${bridge.token}`, headers: { Host: 'attacker.test' } }, (r) => resolve(r.statusCode ?? 0)))
    })
    expect(res).toBe(403)
  })

  it('does not serve files outside the renderer build', async () => {
    // Raw paths: fetch would normalise the dots away before they reach the server.
    const { get } = await import('node:http')
    const statusOf = (path: string) => new Promise<number>((resolve) => get({ host: '127.0.0.1', port: bridge.port, path }, (r) => resolve(r.statusCode ?? 0)))
    expect(await statusOf('/../../package.json')).toBe(404)
    expect(await statusOf('/%2e%2e%2f%2e%2e%2fpackage.json')).toBe(404)
    expect(await statusOf('/assets/..%2f..%2f..%2fetc%2fpasswd')).toBe(404)
    expect((await fetch(`${bridge.origin}/assets/app.js`)).status).toBe(200)
  })
})

describe('bridge API', () => {
  it('serves the InspectorApi: environment, a session, frames in batches', async () => {
    const { call, batches, ws } = await connect()
    const env = (await call('getEnvironment')) as { ok: true; value: { transport: string; playground: { endpoints: { url: string; name: string }[] } } }
    expect(env.value.transport).toBe('bridge')
    const echo = env.value.playground.endpoints.find((e) => e.name === 'WebSocket echo')!
    const opened = (await call('openSession', { technique: 'websocket', url: echo.url })) as { ok: true; value: { id: string } }
    expect(opened.ok).toBe(true)
    const sessionId = opened.value.id
    expect(await call('subscribe', { sessionId })).toEqual({ ok: true })
    await expect.poll(() => batches.some((b) => b.state === 'open'), { timeout: 5000 }).toBe(true)
    expect(await call('send', { sessionId, message: { type: 'text', data: 'over the bridge' } })).toEqual({ ok: true })
    await expect
      .poll(() => batches.flatMap((b) => b.frames).filter((f) => f.kind === 'message' && f.data === 'over the bridge').map((f) => f.direction), { timeout: 5000 })
      .toEqual(['out', 'in'])
    ws.close()
  })

  it('answers invalid calls with an error Result, not a crash', async () => {
    const { call, ws } = await connect()
    expect(await call('nope')).toMatchObject({ ok: false, error: { code: 'E_API_UNKNOWN_METHOD' } })
    expect(await call('openSession', { technique: 'websocket', url: 'javascript:alert(1)' })).toMatchObject({ ok: false, error: { code: 'E_API_INVALID_ARGUMENT' } })
    expect(await call('listSessions')).toMatchObject({ ok: true })
    ws.close()
  })
})
