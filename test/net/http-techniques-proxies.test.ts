// The HTTP techniques (SSE, long-polling, polling, streaming) through real proxies
// from Debian: forwarded http:// shows the proxy in the answer's headers, https://
// tunnels with CONNECT, and a refused tunnel is the proxy's answer.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionSpecInput, TechniqueName } from '../../main/contract/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { SUPPORTED_TECHNIQUES } from '../../main/techniques/index.js'
import { openSession } from '../helpers/session-harness.js'
import { SQUID_HOSTNAME, startSquid, type TestProxy } from '../helpers/squid.js'
import { startOrigin, type TestOrigin } from '../helpers/test-origin.js'
import { makeTestPki, type TestPki } from '../helpers/test-pki.js'
import { startTinyproxy } from '../helpers/tinyproxy.js'

let pki: TestPki
let origin: TestOrigin
let tlsOrigin: TestOrigin
let forbidden: TestOrigin
let squid: TestProxy
let tinyproxy: TestProxy
let manager: SessionManager

beforeAll(async () => {
  pki = makeTestPki()
  await Promise.all([
    startOrigin().then((o) => (origin = o)),
    startOrigin({ cert: pki.serverCert, key: pki.serverKey }).then((o) => (tlsOrigin = o)),
    startOrigin({ cert: pki.serverCert, key: pki.serverKey }).then((o) => (forbidden = o)),
  ])
  await Promise.all([
    startSquid({ tunnelPorts: [tlsOrigin.port] }).then((p) => (squid = p)),
    startTinyproxy({ connectPorts: [tlsOrigin.port] }).then((p) => (tinyproxy = p)),
  ])
})
afterAll(async () => {
  await Promise.all([squid?.stop(), tinyproxy?.stop(), origin?.close(), tlsOrigin?.close(), forbidden?.close()])
  pki?.remove()
})
afterEach(() => manager?.dispose())

const PATHS: Partial<Record<TechniqueName, string>> = { sse: '/sse', 'long-polling': '/poll', polling: '/poll', streaming: '/ndjson' }
const httpTechniques = SUPPORTED_TECHNIQUES.filter((t) => t !== 'websocket')

const open = (technique: TechniqueName, url: string, extra: Partial<ConnectionSpecInput> = {}) => {
  manager = new SessionManager()
  return openSession(manager, { technique, url, reconnect: { enabled: false }, ...extra })
}
const via = (proxyUrl: string) => ({ proxy: { mode: 'url' as const, url: proxyUrl } })
const header = (headers: Record<string, string | string[]>, name: string) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1]

describe.each(httpTechniques)('%s through proxies', (technique) => {
  const path = PATHS[technique]!

  it('is forwarded by Squid: Via and X-Cache: MISS in the response frame', async () => {
    const h = open(technique, origin.url(path), via(squid.url))
    await h.waitFor('open')
    const response = h.ofKind('response')[0]!
    expect(response.status).toBe(200)
    expect(response.from).toBeUndefined()
    expect(header(response.headers, 'via')).toMatch(new RegExp(`${SQUID_HOSTNAME} \\(squid/`))
    expect(header(response.headers, 'x-cache')).toMatch(/^MISS from /)
    expect(origin.requests.at(-1)!.headers.via).toMatch(/squid/)
    // The UI, the recording and the proxy-denied detector learn the proxy from here.
    expect(h.ofKind('connecting')).toEqual([expect.objectContaining({ url: origin.url(path), attempt: 1, proxy: squid.url })])
  })

  it('is forwarded by tinyproxy: its Via in the response frame', async () => {
    const h = open(technique, origin.url(path), via(tinyproxy.url))
    await h.waitFor('open')
    expect(header(h.ofKind('response')[0]!.headers, 'via')).toMatch(/tinyproxy/)
  })

  it.each([
    ['Squid', () => squid],
    ['tinyproxy', () => tinyproxy],
  ])('tunnels https:// through %s with CONNECT', async (_name, proxy) => {
    const h = open(technique, tlsOrigin.url(path), { ...via(proxy().url), tls: { caFile: pki.caFile } })
    await h.waitFor('open')
    const response = h.ofKind('response')[0]!
    expect(response.status).toBe(200)
    // Inside the tunnel the proxy adds nothing.
    expect(header(response.headers, 'via')).toBeUndefined()
    expect(h.ofKind('connecting').map((f) => f.proxy)).toEqual([proxy().url])
  })

  it("records Squid's 403 to a denied CONNECT as the proxy's answer, and stops", async () => {
    const h = open(technique, forbidden.url(path), { ...via(squid.url), tls: { caFile: pki.caFile } })
    const error = await h.waitFor('error')
    expect(error.code).toBe('E_PROXY_REFUSED')
    const responses = h.ofKind('response')
    expect(responses).toHaveLength(1)
    expect(responses[0]).toMatchObject({ from: 'proxy', status: 403, headers: { 'X-Squid-Error': 'ERR_ACCESS_DENIED 0' } })
    expect(h.ofKind('open')).toHaveLength(0)
    expect(forbidden.requests).toHaveLength(0)
    expect(h.ofKind('connecting').map((f) => f.proxy)).toEqual([squid.url])
  })
})

describe.each(httpTechniques)('%s and the proxy environment variables', (technique) => {
  const path = PATHS[technique]!
  const names = ['HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'] as const
  const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]))
  afterEach(() => {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
  })
  const setEnv = (values: Partial<Record<(typeof names)[number], string>>) => {
    for (const name of names) delete process.env[name]
    Object.assign(process.env, values)
  }

  it('goes through HTTP_PROXY by default', async () => {
    setEnv({ HTTP_PROXY: squid.url })
    const h = open(technique, origin.url(path))
    await h.waitFor('open')
    expect(header(h.ofKind('response')[0]!.headers, 'via')).toMatch(/squid/)
    expect(h.ofKind('connecting').map((f) => f.proxy)).toEqual([squid.url])
  })

  it('goes direct when NO_PROXY names the host', async () => {
    setEnv({ HTTP_PROXY: squid.url, NO_PROXY: '127.0.0.1' })
    const h = open(technique, origin.url(path))
    await h.waitFor('open')
    expect(header(h.ofKind('response')[0]!.headers, 'via')).toBeUndefined()
    expect(h.ofKind('connecting').map((f) => f.proxy)).toEqual([undefined])
  })
})
