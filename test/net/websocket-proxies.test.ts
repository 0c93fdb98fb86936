// WebSocket through real proxies from Debian: Squid and tinyproxy tunnel with
// CONNECT, Dante over SOCKS5. A proxy's refusal is recorded as the proxy's answer,
// never as the origin's; a proxy that is not there is not an origin refusing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { systemProxyResolver } from '../../electron/pac-result.js'
import type { ConnectionSpecInput } from '../../main/contract/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { startDante } from '../helpers/dante.js'
import { freePort } from '../helpers/free-port.js'
import { openSession } from '../helpers/session-harness.js'
import { startSquid, type TestProxy } from '../helpers/squid.js'
import { startOrigin, type TestOrigin } from '../helpers/test-origin.js'
import { startTinyproxy } from '../helpers/tinyproxy.js'

let origin: TestOrigin
/** An origin the proxies will not tunnel to. */
let forbidden: TestOrigin
let squid: TestProxy
let tinyproxy: TestProxy
let dante: TestProxy
let manager: SessionManager

beforeAll(async () => {
  ;[origin, forbidden] = await Promise.all([startOrigin(), startOrigin()])
  // Assigned one by one, so the ones that started are stopped even if another fails.
  await Promise.all([
    startSquid({ tunnelPorts: [origin.port] }).then((p) => (squid = p)),
    startTinyproxy({ connectPorts: [origin.port] }).then((p) => (tinyproxy = p)),
    startDante({ blockedPorts: [forbidden.port] }).then((p) => (dante = p)),
  ])
})
afterAll(async () => {
  await Promise.all([squid?.stop(), tinyproxy?.stop(), dante?.stop(), origin?.close(), forbidden?.close()])
})
afterEach(() => manager?.dispose())

const open = (url: string, extra: Partial<ConnectionSpecInput> = {}) => {
  manager = new SessionManager()
  return openSession(manager, { technique: 'websocket', url, ...extra })
}
const via = (proxyUrl: string) => ({ proxy: { mode: 'url' as const, url: proxyUrl } })

async function echoRoundTrip(proxyUrl: string) {
  const before = origin.upgrades.length
  const h = open(origin.url('/echo?through=proxy', 'ws'), via(proxyUrl))
  await h.waitFor('open')
  h.session.send({ type: 'text', data: 'hello through the tunnel' })
  await h.waitFor('message', (f) => f.direction === 'in' && f.data === 'hello through the tunnel')
  expect(h.ofKind('connecting')[0]).toMatchObject({ proxy: proxyUrl })
  expect(h.ofKind('response')[0]).toMatchObject({ status: 101 })
  expect(h.ofKind('response')[0]!.from).toBeUndefined()
  // Through a tunnel the origin sees our own handshake, untouched by the proxy.
  expect(origin.upgrades.length).toBe(before + 1)
  expect(origin.upgrades.at(-1)).toMatchObject({ url: '/echo?through=proxy' })
  expect(origin.upgrades.at(-1)!.headers.via).toBeUndefined()
  return h
}

describe('WebSocket through an HTTP proxy (CONNECT tunnel)', () => {
  it('works through Squid, which logs the tunnel', async () => {
    const h = await echoRoundTrip(squid.url)
    // Squid logs a tunnel when it ends.
    h.session.close()
    await h.session.ended
    await expect.poll(() => squid.log(), { timeout: 5000 }).toMatch(new RegExp(`TCP_TUNNEL/200 \\d+ CONNECT 127\\.0\\.0\\.1:${origin.port}`))
  })

  it('works through tinyproxy', async () => {
    await echoRoundTrip(tinyproxy.url)
    expect(tinyproxy.log()).toMatch(new RegExp(`CONNECT 127\\.0\\.0\\.1:${origin.port}`))
  })

  it("records Squid's 403 to a denied CONNECT as the proxy's answer, not the origin's", async () => {
    const h = open(forbidden.url('/echo', 'ws'), via(squid.url))
    const error = await h.waitFor('error')
    expect(error.code).toBe('E_PROXY_REFUSED')
    expect(error.message).toMatch(/refused the tunnel.*403 Forbidden.*X-Squid-Error: ERR_ACCESS_DENIED 0/)
    const responses = h.ofKind('response')
    expect(responses).toHaveLength(1)
    expect(responses[0]).toMatchObject({ from: 'proxy', status: 403, statusText: 'Forbidden' })
    expect(responses[0]!.headers).toMatchObject({ 'X-Squid-Error': 'ERR_ACCESS_DENIED 0', Server: expect.stringMatching(/^squid\//) })
    // The whole error page is kept: Squid says how long it is.
    expect(Buffer.byteLength(responses[0]!.body ?? '')).toBe(Number(responses[0]!.headers['Content-Length']))
    expect(responses[0]!.body).toMatch(/ERR_ACCESS_DENIED|Access Denied/)
    expect(forbidden.upgrades).toHaveLength(0)
    await expect(h.session.ended).resolves.toBe('failed')
  })

  it("records tinyproxy's refusal the same way", async () => {
    const h = open(forbidden.url('/echo', 'ws'), via(tinyproxy.url))
    const error = await h.waitFor('error')
    expect(error.code).toBe('E_PROXY_REFUSED')
    expect(h.ofKind('response')[0]).toMatchObject({ from: 'proxy', status: 403, headers: { Server: expect.stringMatching(/^tinyproxy\//) } })
    expect(h.ofKind('response')[0]!.body).toMatch(/CONNECT method not allowed/)
  })

  it('tells a proxy that is not there from an origin that refuses', async () => {
    const nobody = await freePort()
    const h = open(origin.url('/echo', 'ws'), via(`http://127.0.0.1:${nobody}`))
    const error = await h.waitFor('error')
    expect(error.code).toBe('E_PROXY_UNREACHABLE')
    expect(error.message).toMatch(new RegExp(`cannot reach the proxy http://127\\.0\\.0\\.1:${nobody}.*ECONNREFUSED`))
    expect(h.ofKind('response')).toHaveLength(0)
  })

  it('hides the proxy password in frames and sends it to the proxy', async () => {
    // Squid here asks for no credentials; it simply ignores them.
    const withPassword = squid.url.replace('http://', 'http://user:s3cret@')
    const h = open(origin.url('/echo', 'ws'), via(withPassword))
    await h.waitFor('open')
    expect(h.ofKind('connecting')[0]!.proxy).toBe(squid.url.replace('http://', 'http://user:***@'))
    expect(JSON.stringify(h.frames)).not.toContain('s3cret')
  })
})

describe('WebSocket and the proxy environment variables', () => {
  const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY, http_proxy: process.env.http_proxy, no_proxy: process.env.no_proxy }
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })

  it('uses HTTP_PROXY for ws:// by default', async () => {
    delete process.env.http_proxy
    delete process.env.no_proxy
    delete process.env.NO_PROXY
    process.env.HTTP_PROXY = squid.url
    const h = open(origin.url('/echo?env=1', 'ws'))
    await h.waitFor('open')
    expect(h.ofKind('connecting')[0]!.proxy).toBe(squid.url)
    h.session.close()
    await h.session.ended
    await expect.poll(() => squid.log(), { timeout: 5000 }).toMatch(new RegExp(`CONNECT 127\\.0\\.0\\.1:${origin.port}`))
  })

  it('goes direct when NO_PROXY names the host', async () => {
    delete process.env.http_proxy
    delete process.env.no_proxy
    process.env.HTTP_PROXY = `http://127.0.0.1:${await freePort()}`
    process.env.NO_PROXY = '127.0.0.1'
    const h = open(origin.url('/echo', 'ws'))
    await h.waitFor('open')
    expect(h.ofKind('connecting')[0]!.proxy).toBeUndefined()
  })

  it('ignores the variables when the spec says no proxy', async () => {
    process.env.HTTP_PROXY = `http://127.0.0.1:${await freePort()}`
    const h = open(origin.url('/echo', 'ws'), { proxy: { mode: 'none' } })
    await h.waitFor('open')
    expect(h.ofKind('connecting')[0]!.proxy).toBeUndefined()
  })
})

describe('WebSocket and the system proxy', () => {
  it("follows the host app's resolver (Electron's PAC answer, translated)", async () => {
    const asked: string[] = []
    manager = new SessionManager({
      net: {
        resolveSystemProxy: systemProxyResolver(async (url) => {
          asked.push(url)
          return `PROXY 127.0.0.1:${squid.port}; DIRECT`
        }),
      },
    })
    const h = openSession(manager, { technique: 'websocket', url: origin.url('/echo?system=1', 'ws'), proxy: { mode: 'system' } })
    await h.waitFor('open')
    expect(asked).toEqual([origin.url('/echo?system=1')])
    expect(h.ofKind('connecting')[0]!.proxy).toBe(squid.url)
  })
})

describe('WebSocket closed while its proxy is still being resolved', () => {
  it('ends the attempt as closed, without connecting', async () => {
    let answer!: (pac: string) => void
    manager = new SessionManager({ net: { resolveSystemProxy: systemProxyResolver(() => new Promise((resolve) => (answer = resolve))) } })
    const before = origin.upgrades.length
    const h = openSession(manager, { technique: 'websocket', url: origin.url('/echo', 'ws'), proxy: { mode: 'system' } })
    h.session.close()
    answer(`PROXY 127.0.0.1:${squid.port}`)
    await expect(h.session.ended).resolves.toBe('closed')
    expect(h.ofKind('error').map((e) => e.code)).toEqual(['E_ABORTED'])
    expect(h.ofKind('request')).toHaveLength(0)
    expect(origin.upgrades.length).toBe(before)
  })
})

describe('WebSocket through a SOCKS5 proxy (Dante)', () => {
  it.each(['socks5', 'socks5h'])('works through %s://', async (scheme) => {
    await echoRoundTrip(dante.url.replace('socks5:', `${scheme}:`))
  })

  it("reports Dante's refusal as the proxy's", async () => {
    const h = open(forbidden.url('/echo', 'ws'), via(dante.url))
    const error = await h.waitFor('error')
    expect(error.code).toBe('E_PROXY_REFUSED')
    expect(error.message).toMatch(/SOCKS proxy .* refused/)
    expect(forbidden.upgrades).toHaveLength(0)
  })

  it('tells a SOCKS proxy that is not there', async () => {
    const h = open(origin.url('/echo', 'ws'), via(`socks5://127.0.0.1:${await freePort()}`))
    expect((await h.waitFor('error')).code).toBe('E_PROXY_UNREACHABLE')
  })
})
