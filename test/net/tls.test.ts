// TLS for every technique, against real TLS servers with certificates made by the
// openssl CLI: a custom CA, a client certificate, skipping verification (always
// with a visible warning), and failures named by their cause.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionSpecInput, TechniqueName } from '../../main/contract/index.js'
import { SUPPORTED_TECHNIQUES } from '../../main/techniques/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'
import { startSquid, type TestProxy } from '../helpers/squid.js'
import { startOrigin, type TestOrigin } from '../helpers/test-origin.js'
import { makeTestPki, type TestPki } from '../helpers/test-pki.js'

let pki: TestPki
let trusted: TestOrigin
let selfSigned: TestOrigin
let wrongName: TestOrigin
let clientCertRequired: TestOrigin
let squid: TestProxy
let manager: SessionManager

beforeAll(async () => {
  pki = makeTestPki()
  await Promise.all([
    startOrigin({ cert: pki.serverCert, key: pki.serverKey }).then((o) => (trusted = o)),
    startOrigin({ cert: pki.selfSignedCert, key: pki.selfSignedKey }).then((o) => (selfSigned = o)),
    startOrigin({ cert: pki.wrongNameCert, key: pki.wrongNameKey }).then((o) => (wrongName = o)),
    startOrigin({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, requestCert: true, rejectUnauthorized: true }).then((o) => (clientCertRequired = o)),
  ])
  squid = await startSquid({ tunnelPorts: [trusted.port] })
})
afterAll(async () => {
  await Promise.all([squid?.stop(), trusted?.close(), selfSigned?.close(), wrongName?.close(), clientCertRequired?.close()])
  pki?.remove()
})
afterEach(() => manager?.dispose())

/** Where each technique finds something to read on the test origin. */
const PATHS: Record<TechniqueName, { path: string; scheme: 'http' | 'ws' }> = {
  websocket: { path: '/echo', scheme: 'ws' },
  sse: { path: '/sse', scheme: 'http' },
  'long-polling': { path: '/poll', scheme: 'http' },
  polling: { path: '/poll', scheme: 'http' },
  streaming: { path: '/ndjson', scheme: 'http' },
}
const techniques = SUPPORTED_TECHNIQUES

const open = (technique: TechniqueName, server: TestOrigin, extra: Partial<ConnectionSpecInput> = {}) => {
  manager = new SessionManager()
  const { path, scheme } = PATHS[technique]
  // One attempt: a failure must show as it is, not be retried.
  return openSession(manager, { technique, url: server.url(path, scheme), proxy: { mode: 'none' }, reconnect: { enabled: false }, ...extra })
}

describe.each(techniques)('%s over TLS', (technique) => {
  it('trusts a server signed by the CA given as a CA file', async () => {
    const h = open(technique, trusted, { tls: { caFile: pki.caFile } })
    await h.waitFor('open')
    expect(h.ofKind('error')).toHaveLength(0)
    expect(h.ofKind('finding').filter((f) => f.id === 'tls-verification-off')).toHaveLength(0)
  })

  it('refuses that server without the CA: E_TLS, unknown certificate authority', async () => {
    const h = open(technique, trusted)
    const error = await h.waitFor('error')
    expect(error.code).toBe('E_TLS')
    expect(error.message).toMatch(/unknown certificate authority/)
    expect(h.ofKind('open')).toHaveLength(0)
  })

  it('names a self-signed certificate', async () => {
    const h = open(technique, selfSigned)
    const error = await h.waitFor('error')
    expect(error).toMatchObject({ code: 'E_TLS', message: expect.stringMatching(/self-signed/) })
  })

  it('names a hostname mismatch', async () => {
    const h = open(technique, wrongName, { tls: { caFile: pki.caFile } })
    const error = await h.waitFor('error')
    expect(error).toMatchObject({ code: 'E_TLS', message: expect.stringMatching(/hostname mismatch/) })
  })

  it('connects with verification off, and says so once, right after connecting', async () => {
    const h = open(technique, selfSigned, { tls: { insecure: true } })
    await h.waitFor('open')
    const findings = h.ofKind('finding').filter((f) => f.id === 'tls-verification-off')
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ severity: 'warning', summary: expect.stringMatching(/verification is off/), remedy: expect.stringMatching(/CA file/) })
    expect(h.frames[0]!.kind).toBe('connecting')
    expect(h.frames[1]!.kind).toBe('finding')
  })

  it('is refused by a server that requires a client certificate, and accepted with one', async () => {
    const without = open(technique, clientCertRequired, { tls: { caFile: pki.caFile } })
    const error = await without.waitFor('error')
    expect(error).toMatchObject({ code: 'E_TLS', message: expect.stringMatching(/requires a client certificate/) })
    manager.dispose()

    const seen = clientCertRequired.requests.length + clientCertRequired.upgrades.length
    const withCert = open(technique, clientCertRequired, { tls: { caFile: pki.caFile, certFile: pki.clientCertFile, keyFile: pki.clientKeyFile } })
    await withCert.waitFor('open')
    const reached = [...clientCertRequired.requests, ...clientCertRequired.upgrades]
    expect(reached.length).toBe(seen + 1)
    expect(clientCertRequired.upgrades.concat(clientCertRequired.requests).some((r) => r.clientCertCN === 'rti-test-client')).toBe(true)
  })

  it('says which TLS file it cannot read: E_TLS_FILE', async () => {
    const h = open(technique, trusted, { tls: { caFile: `${pki.dir}/no-such-ca.pem` } })
    const error = await h.waitFor('error')
    expect(error.code).toBe('E_TLS_FILE')
    expect(error.message).toContain('no-such-ca.pem')
    expect(error.message).toMatch(/ENOENT/)
  })

  it('verifies the origin through a CONNECT tunnel (Squid)', async () => {
    const h = open(technique, trusted, { tls: { caFile: pki.caFile }, proxy: { mode: 'url', url: squid.url } })
    await h.waitFor('open')
    expect(h.ofKind('error')).toHaveLength(0)
  })
})
