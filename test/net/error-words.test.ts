// The words and codes a person sees when TLS or a proxy fails: the cause named,
// our own stable codes kept over the socket error inside them.
import { describe, expect, it } from 'vitest'
import { ConnectionSpecSchema } from '../../main/contract/index.js'
import { errorCodeOf, errorMessageOf } from '../../main/net/error-codes.js'
import { ProxyRefusedError, ProxyUnreachableError, refusalMessage } from '../../main/net/proxy-errors.js'
import { describeTlsError } from '../../main/net/tls-errors.js'
import { tlsVerificationOffFinding } from '../../main/net/tls-warning.js'

const nodeError = (code: string, message = 'x') => Object.assign(new Error(message), { code })

describe('TLS failures in words', () => {
  it.each([
    ['DEPTH_ZERO_SELF_SIGNED_CERT', /self-signed/],
    ['SELF_SIGNED_CERT_IN_CHAIN', /unknown certificate authority/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /unknown certificate authority/],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', /unknown certificate authority/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', /hostname mismatch/],
    ['CERT_HAS_EXPIRED', /expired/],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', /requires a client certificate/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', /did not answer with TLS/],
  ])('%s', (code, words) => {
    const error = nodeError(code, 'node says')
    expect(errorCodeOf(error)).toBe('E_TLS')
    expect(errorMessageOf(error)).toMatch(words)
    expect(errorMessageOf(error)).toContain(`${code}: node says`)
  })

  it('finds the TLS error undici keeps as a cause', () => {
    const wrapped = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET', cause: nodeError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') })
    expect(errorCodeOf(wrapped)).toBe('E_TLS')
    expect(errorMessageOf(wrapped)).toMatch(/client certificate/)
  })

  it('leaves other errors alone', () => {
    expect(describeTlsError(nodeError('ECONNREFUSED'))).toBeUndefined()
    expect(errorMessageOf(nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'))).toBe('connect ECONNREFUSED 127.0.0.1:1')
  })
})

describe('proxy failures', () => {
  it('keeps E_PROXY_UNREACHABLE over the ECONNREFUSED inside it', () => {
    const error = new ProxyUnreachableError('http://u:pw@proxy.test:3128', nodeError('ECONNREFUSED', 'connect ECONNREFUSED'))
    expect(errorCodeOf(error)).toBe('E_PROXY_UNREACHABLE')
    expect(errorMessageOf(error)).toBe('cannot reach the proxy http://u:***@proxy.test:3128: connect ECONNREFUSED')
  })

  it('calls a TLS failure with the proxy E_PROXY_TLS', () => {
    expect(errorCodeOf(new ProxyUnreachableError('https://proxy.test', nodeError('DEPTH_ZERO_SELF_SIGNED_CERT')))).toBe('E_PROXY_TLS')
  })

  it('names 407 E_PROXY_AUTH and other refusals E_PROXY_REFUSED, with the proxy error tag', () => {
    const answer = (status: number, statusText: string) => ({ status, statusText, headers: { 'X-Squid-Error': 'ERR_CONNECT_FAIL 111' }, httpVersion: '1.1', durationMs: 1 })
    expect(new ProxyRefusedError('', answer(407, 'Proxy Authentication Required')).code).toBe('E_PROXY_AUTH')
    expect(new ProxyRefusedError('', answer(403, 'Forbidden')).code).toBe('E_PROXY_REFUSED')
    expect(new ProxyRefusedError('a SOCKS refusal').code).toBe('E_PROXY_REFUSED')
    expect(refusalMessage('http://proxy.test:3128', 'origin.test:443', answer(503, 'Service Unavailable'))).toBe(
      'the proxy http://proxy.test:3128 could not open a tunnel to origin.test:443: 503 Service Unavailable (X-Squid-Error: ERR_CONNECT_FAIL 111)',
    )
  })
})

describe('the tls-verification-off finding', () => {
  const spec = (input: object) => ConnectionSpecSchema.parse({ technique: 'sse', url: 'https://example.test/events', ...input })

  it('is there only when verification is off', () => {
    expect(tlsVerificationOffFinding(spec({}))).toBeUndefined()
    expect(tlsVerificationOffFinding(spec({ tls: { insecure: true } }))).toMatchObject({ kind: 'finding', id: 'tls-verification-off', severity: 'warning' })
  })

  it('says when the URL itself is not TLS', () => {
    const finding = tlsVerificationOffFinding(spec({ url: 'http://example.test/events', tls: { insecure: true } }))
    expect(finding?.kind === 'finding' && finding.evidence.join(' ')).toMatch(/not TLS itself/)
  })
})
