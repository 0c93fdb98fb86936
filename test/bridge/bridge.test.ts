// Browser mode's gate: only a caller with the token (or the session cookie it was
// traded for), from our own origin, on a loopback Host, reaches the engine. The token
// leaves the address bar at once, can be rotated, and no spelling of the page's path
// skips the check.
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
let rendererDir: string
beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'rti-renderer-'))
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

  it('refuses the page under every encoded spelling of its path', async () => {
    // Raw paths: fetch would normalise some of them before they reach the server.
    const { get } = await import('node:http')
    const statusOf = (path: string) => new Promise<number>((resolve) => get({ host: '127.0.0.1', port: bridge.port, path }, (r) => (r.resume(), resolve(r.statusCode ?? 0))))
    for (const path of ['/index.html', '/%69ndex.html', '/index%2ehtml', '/%2findex.html', '//index.html', '/./index.html', '/assets/../index.html', '/assets/..%2findex.html', '/%2e/index.html'])
      expect(await statusOf(path), path).toBe(403)
  })

  it('sends a browser opening the URL on to the bare URL with a session cookie (HttpOnly, SameSite=Strict, this host only)', async () => {
    const opened = await fetch(bridge.url, { redirect: 'manual', headers: { 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' } })
    expect(opened.status).toBe(303)
    expect(opened.headers.get('location')).toBe('/')
    const cookie = opened.headers.get('set-cookie')!
    expect(cookie).toMatch(new RegExp(`^rti-session-${bridge.port}=[\\w-]+; `))
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).toMatch(/; SameSite=Strict/)
    expect(cookie).toMatch(/; Path=\//)
    expect(cookie).not.toMatch(/Domain=|Expires=|Max-Age=/i)
    expect(cookie).not.toContain(bridge.token)
    const session = cookie.split(';')[0]!

    const page = await fetch(`${bridge.origin}/`, { headers: { Cookie: session } })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toMatch(/connect-src 'self'(;|$)/)
    expect(await handshakeStatus(apiUrl(undefined), { Origin: bridge.origin, Cookie: session })).toBe(101)
    expect(await handshakeStatus(apiUrl(''), { Origin: bridge.origin, Cookie: session })).toBe(101)
    // The session is no key for another page's script.
    expect(await handshakeStatus(apiUrl(undefined), { Origin: 'http://127.0.0.1:1', Cookie: session })).toBe(403)
    expect(await handshakeStatus(apiUrl(undefined), { Origin: bridge.origin, Cookie: `${session}x` })).toBe(403)
  })

  it('rotating the token retires the old URL, its sessions and the open tabs', async () => {
    const own = await startBridge({ engine, rendererDir })
    try {
      const oldUrl = own.url
      const session = (await fetch(oldUrl, { redirect: 'manual', headers: { 'Sec-Fetch-Mode': 'navigate' } })).headers.get('set-cookie')!.split(';')[0]!
      const tab = new WebSocket(`ws://127.0.0.1:${own.port}/api`, { origin: own.origin, headers: { Cookie: session } })
      await new Promise((resolve, reject) => (tab.once('open', resolve), tab.once('error', reject)))
      const closed = new Promise<number>((resolve) => tab.once('close', (code) => resolve(code)))

      const newUrl = own.rotateToken()
      expect(newUrl).not.toBe(oldUrl)
      expect(own.url).toBe(newUrl)
      expect(await closed).toBe(1008)
      expect((await fetch(oldUrl)).status).toBe(403)
      expect((await fetch(`${own.origin}/`, { headers: { Cookie: session } })).status).toBe(403)
      expect(await handshakeStatus(`ws://127.0.0.1:${own.port}/api`, { Origin: own.origin, Cookie: session })).toBe(403)
      expect((await fetch(newUrl)).status).toBe(200)
    } finally {
      await own.close()
    }
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
