// A Squid that wants credentials (Basic, via its basic_ncsa_auth helper) and also
// listens with TLS: its 407 is the proxy's answer, credentials in the proxy URL
// are sent (and never shown), and an https:// proxy is verified like an origin.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionSpecInput, TechniqueName } from '../../main/contract/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'
import { startSquid, type TestProxy } from '../helpers/squid.js'
import { startOrigin, type TestOrigin } from '../helpers/test-origin.js'
import { makeTestPki, type TestPki } from '../helpers/test-pki.js'

const USER = 'alice'
const PASSWORD = 'p@ss word'

let pki: TestPki
let origin: TestOrigin
let tlsOrigin: TestOrigin
let squid: TestProxy
let manager: SessionManager

beforeAll(async () => {
  pki = makeTestPki()
  await Promise.all([startOrigin().then((o) => (origin = o)), startOrigin({ cert: pki.serverCert, key: pki.serverKey }).then((o) => (tlsOrigin = o))])
  squid = await startSquid({ tunnelPorts: [origin.port, tlsOrigin.port], auth: { user: USER, password: PASSWORD }, tls: { cert: pki.serverCert, key: pki.serverKey } })
})
afterAll(async () => {
  await Promise.all([squid?.stop(), origin?.close(), tlsOrigin?.close()])
  pki?.remove()
})
afterEach(() => manager?.dispose())

const withCredentials = (proxyUrl: string) => proxyUrl.replace('://', `://${USER}:${encodeURIComponent(PASSWORD)}@`)
const open = (technique: TechniqueName, url: string, proxyUrl: string, extra: Partial<ConnectionSpecInput> = {}) => {
  manager = new SessionManager()
  return openSession(manager, { technique, url, proxy: { mode: 'url', url: proxyUrl }, reconnect: { enabled: false }, ...extra })
}
const header = (headers: Record<string, string | string[]>, name: string) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1]

describe('a proxy that wants credentials', () => {
  it.each([
    ['websocket', () => origin.url('/echo', 'ws')],
    ['sse', () => tlsOrigin.url('/sse')],
  ] as const)("%s: the 407 to CONNECT is the proxy's answer, E_PROXY_AUTH", async (technique, url) => {
    const h = open(technique, url(), squid.url, { tls: { caFile: pki.caFile } })
    const error = await h.waitFor('error')
    expect(error.code).toBe('E_PROXY_AUTH')
    expect(error.message).toMatch(/requires authentication: 407/)
    const response = h.ofKind('response')[0]!
    expect(response).toMatchObject({ from: 'proxy', status: 407 })
    expect(header(response.headers, 'proxy-authenticate')).toMatch(/^Basic realm="rti-test"/)
  })

  it('websocket: tunnels with the credentials from the proxy URL, and never shows the password', async () => {
    const h = open('websocket', origin.url('/echo', 'ws'), withCredentials(squid.url))
    await h.waitFor('open')
    h.session.send({ type: 'text', data: 'authorised' })
    await h.waitFor('message', (f) => f.direction === 'in' && f.data === 'authorised')
    expect(h.ofKind('connecting')[0]!.proxy).toBe(squid.url.replace('http://', `http://${USER}:***@`))
    expect(JSON.stringify(h.frames)).not.toContain(encodeURIComponent(PASSWORD))
  })

  it('sse over https://: tunnels with the credentials', async () => {
    const h = open('sse', tlsOrigin.url('/sse'), withCredentials(squid.url), { tls: { caFile: pki.caFile } })
    await h.waitFor('open')
    expect(h.ofKind('response')[0]!.status).toBe(200)
  })

  it("sse over http://: forwarded, the proxy's 407 arrives as the answer; with credentials the origin's 200", async () => {
    const refused = open('sse', origin.url('/sse'), squid.url)
    const answer = await refused.waitFor('response')
    expect(answer.status).toBe(407)
    expect(header(answer.headers, 'x-squid-error')).toMatch(/^ERR_CACHE_ACCESS_DENIED/)
    manager.dispose()

    const h = open('sse', origin.url('/sse'), withCredentials(squid.url))
    await h.waitFor('open')
    expect(header(h.ofKind('response')[0]!.headers, 'via')).toMatch(/squid/)
    // The proxy's credentials go to the proxy only.
    expect(origin.requests.at(-1)!.headers['proxy-authorization']).toBeUndefined()
  })
})

describe('an https:// proxy', () => {
  it.each([
    ['websocket', () => tlsOrigin.url('/echo', 'ws')],
    ['sse', () => origin.url('/sse')],
    ['long-polling', () => tlsOrigin.url('/poll')],
  ] as const)('%s: verified with the CA file, like the origin', async (technique, url) => {
    const h = open(technique, url(), withCredentials(squid.tlsUrl!), { tls: { caFile: pki.caFile } })
    await h.waitFor('open')
    expect(h.ofKind('error')).toHaveLength(0)
  })

  it('without the CA: E_PROXY_TLS naming the proxy, not the origin', async () => {
    const h = open('websocket', origin.url('/echo', 'ws'), withCredentials(squid.tlsUrl!))
    const error = await h.waitFor('error')
    expect(error.code).toBe('E_PROXY_TLS')
    expect(error.message).toMatch(/TLS with the proxy https:\/\/alice:\*\*\*@127\.0\.0\.1:\d+ failed: .*unknown certificate authority/)
  })

  it('with verification off: works, and the session says so', async () => {
    const h = open('sse', origin.url('/sse'), withCredentials(squid.tlsUrl!), { tls: { insecure: true } })
    await h.waitFor('open')
    const finding = h.ofKind('finding').find((f) => f.id === 'tls-verification-off')
    expect(finding?.evidence.join('\n')).toMatch(/https:\/\/alice:\*\*\*@127\.0\.0\.1:\d+ \(its certificate is not verified either\)/)
  })
})
