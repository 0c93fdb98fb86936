// The HTTP techniques' dispatcher through real proxies from Debian: plain http://
// is forwarded (the proxy's own headers and error pages arrive as answers, which is
// the evidence), https:// tunnels with CONNECT, SOCKS5 always tunnels. A refused
// tunnel is the proxy's answer, never the origin's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FrameBody } from '../../main/contract/index.js'
import type { TechniqueSink } from '../../main/frames/sink.js'
import { createHttpDispatcher } from '../../main/net/dispatcher.js'
import { errorCodeOf, errorMessageOf } from '../../main/net/error-codes.js'
import { sendHttpRequest } from '../../main/net/http-exchange.js'
import { loadTls } from '../../main/net/tls-options.js'
import { startDante } from '../helpers/dante.js'
import { freePort } from '../helpers/free-port.js'
import { SQUID_HOSTNAME, startSquid, type TestProxy } from '../helpers/squid.js'
import { startOrigin, type TestOrigin } from '../helpers/test-origin.js'
import { startTinyproxy } from '../helpers/tinyproxy.js'
import { makeTestPki, type TestPki } from '../helpers/test-pki.js'

let pki: TestPki
let origin: TestOrigin
let tlsOrigin: TestOrigin
let forbidden: TestOrigin
let squid: TestProxy
let tinyproxy: TestProxy
let dante: TestProxy

beforeAll(async () => {
  pki = makeTestPki()
  await Promise.all([
    startOrigin().then((o) => (origin = o)),
    startOrigin({ cert: pki.serverCert, key: pki.serverKey }).then((o) => (tlsOrigin = o)),
    startOrigin().then((o) => (forbidden = o)),
  ])
  const ports = [origin.port, tlsOrigin.port]
  await Promise.all([
    startSquid({ tunnelPorts: ports }).then((p) => (squid = p)),
    startTinyproxy({ connectPorts: ports }).then((p) => (tinyproxy = p)),
    startDante({ blockedPorts: [forbidden.port] }).then((p) => (dante = p)),
  ])
})
afterAll(async () => {
  await Promise.all([squid?.stop(), tinyproxy?.stop(), dante?.stop(), origin?.close(), tlsOrigin?.close(), forbidden?.close()])
  pki?.remove()
})

/** Sends one GET through `proxyUrl` and keeps what the request helper recorded. */
async function get(url: string, proxyUrl: string | undefined, tls: { caFile?: string } = {}) {
  const frames: FrameBody[] = []
  const sink: TechniqueSink = { frame: (f) => frames.push(f), messageIn: () => {}, chunkIn: () => {}, eventIn: () => {}, eventsIn: () => {}, state: () => {}, now: () => performance.now(), hint: () => {} }
  const dispatcher = createHttpDispatcher(url, proxyUrl, await loadTls({ insecure: false, ...tls }))
  try {
    const answer = await sendHttpRequest(sink, { method: 'GET', url, headers: {}, dispatcher, headersTimeoutMs: 10_000 })
    const body = await new Promise<string>((resolve, reject) => {
      let text = ''
      answer.body.on('data', (chunk: Buffer) => (text += chunk.toString()))
      answer.body.once('end', () => resolve(text))
      answer.body.once('error', reject)
    })
    return { answer, body, frames, error: undefined }
  } catch (error) {
    return { answer: undefined, body: '', frames, error: { code: errorCodeOf(error), message: errorMessageOf(error) } }
  } finally {
    await dispatcher.destroy()
  }
}

const header = (headers: Record<string, string | string[]>, name: string) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1]

describe('plain http:// through an HTTP proxy is forwarded', () => {
  it("through Squid: the proxy's Via and X-Cache arrive with the origin's answer", async () => {
    const before = origin.requests.length
    const { answer, body } = await get(origin.url('/hello?via=squid'), squid.url)
    expect(answer?.status).toBe(200)
    expect(body).toBe('hello from the origin')
    expect(header(answer!.headers, 'via')).toMatch(new RegExp(`1\\.1 ${SQUID_HOSTNAME} \\(squid/`))
    expect(header(answer!.headers, 'x-cache')).toMatch(/^MISS from /)
    // The origin saw the forwarded request, with the proxy's Via on it.
    expect(origin.requests.length).toBe(before + 1)
    expect(origin.requests.at(-1)).toMatchObject({ url: '/hello?via=squid', headers: { via: expect.stringMatching(/squid/) } })
    // Squid logs the URL without its query (strip_query_terms).
    await expect.poll(() => squid.log(), { timeout: 5000 }).toMatch(new RegExp(`TCP_MISS/200 \\d+ GET http://127\\.0\\.0\\.1:${origin.port}/hello\\? `))
  })

  it('through tinyproxy: its Via arrives with the answer', async () => {
    const { answer } = await get(origin.url('/hello'), tinyproxy.url)
    expect(answer?.status).toBe(200)
    expect(header(answer!.headers, 'via')).toMatch(/tinyproxy/)
  })

  it("keeps the proxy's own error page as an answer when the origin is down (Squid 503)", async () => {
    const down = await freePort()
    const { answer, body, error } = await get(`http://127.0.0.1:${down}/hello`, squid.url)
    expect(error).toBeUndefined()
    expect(answer?.status).toBe(503)
    expect(header(answer!.headers, 'x-squid-error')).toMatch(/^ERR_CONNECT_FAIL/)
    expect(body).toMatch(/ERR_CONNECT_FAIL|Connection to 127\.0\.0\.1 failed/)
  })

  it('tells a proxy that is not there from an origin that refuses', async () => {
    const { error } = await get(origin.url('/hello'), `http://127.0.0.1:${await freePort()}`)
    expect(error?.code).toBe('E_PROXY_UNREACHABLE')
  })
})

describe('https:// through an HTTP proxy tunnels with CONNECT', () => {
  it.each([
    ['Squid', () => squid],
    ['tinyproxy', () => tinyproxy],
  ])('through %s, with the origin verified against the given CA', async (_name, proxy) => {
    const before = tlsOrigin.requests.length
    const { answer, body, error } = await get(tlsOrigin.url('/hello'), proxy().url, { caFile: pki.caFile })
    expect(error).toBeUndefined()
    expect(answer?.status).toBe(200)
    expect(body).toBe('hello from the origin')
    // Inside the tunnel nobody adds headers.
    expect(header(answer!.headers, 'via')).toBeUndefined()
    expect(tlsOrigin.requests.length).toBe(before + 1)
  })

  it("records Squid's 403 to a denied CONNECT as the proxy's answer", async () => {
    const { frames, error } = await get(`https://127.0.0.1:${forbidden.port}/hello`, squid.url)
    expect(error?.code).toBe('E_PROXY_REFUSED')
    expect(error?.message).toMatch(/X-Squid-Error: ERR_ACCESS_DENIED 0/)
    const response = frames.find((f) => f.kind === 'response')
    expect(response).toMatchObject({ from: 'proxy', status: 403, headers: { 'X-Squid-Error': 'ERR_ACCESS_DENIED 0' } })
    expect(forbidden.requests).toHaveLength(0)
  })

  it('tells an unreachable proxy apart for tunnels too', async () => {
    const { error } = await get(tlsOrigin.url('/hello'), `http://127.0.0.1:${await freePort()}`, { caFile: pki.caFile })
    expect(error?.code).toBe('E_PROXY_UNREACHABLE')
  })

  it('reports a TLS failure of the origin behind the tunnel as TLS, not as the proxy', async () => {
    const { error } = await get(tlsOrigin.url('/hello'), squid.url)
    expect(error?.code).toBe('E_TLS')
    expect(error?.message).toMatch(/unknown certificate authority/)
  })
})

describe('HTTP through a SOCKS5 proxy (Dante)', () => {
  it('works for http:// and https://', async () => {
    expect((await get(origin.url('/hello'), dante.url)).body).toBe('hello from the origin')
    expect((await get(tlsOrigin.url('/hello'), dante.url.replace('socks5:', 'socks5h:'), { caFile: pki.caFile })).body).toBe('hello from the origin')
  })

  it("reports Dante's refusal as the proxy's", async () => {
    const { error } = await get(forbidden.url('/hello'), dante.url)
    expect(error?.code).toBe('E_PROXY_REFUSED')
    expect(forbidden.requests).toHaveLength(0)
  })
})
