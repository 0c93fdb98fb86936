// How `rti connect` explains a connection that never opened: one line on stderr, in the
// error-code catalogue's words where Node's own text is terse, ending with the code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../main/contract/index.js'
import { freePort } from '../helpers/free-port.js'
import { startOrigin, type TestOrigin } from '../helpers/test-origin.js'
import { makeTestPki, type TestPki } from '../helpers/test-pki.js'
import { linesOf, runRti } from './run-rti.js'

let pki: TestPki
let selfSigned: TestOrigin

beforeAll(async () => {
  pki = makeTestPki()
  selfSigned = await startOrigin({ cert: pki.selfSignedCert, key: pki.selfSignedKey })
})
afterAll(async () => {
  await selfSigned?.close()
  pki?.remove()
})

describe('rti connect, when the connection never opens', () => {
  it("puts the catalogue's words before Node's text for a TLS failure", async () => {
    const result = await runRti(['connect', selfSigned.url('/echo', 'ws')])

    expect(result.code).toBe(1)
    expect(ERROR_CODES.E_TLS.words).toBe('The TLS handshake failed.')
    expect(linesOf(result.stderr)).toEqual([expect.stringMatching(/^rti: cannot connect to wss:\/\/127\.0\.0\.1:\d+\/echo: the TLS handshake failed: .*self-signed.* \(E_TLS\)$/)])
  })

  it('keeps its own sentence where the code alone would say less (the host that refused)', async () => {
    const port = await freePort()
    const result = await runRti(['connect', `ws://127.0.0.1:${port}/`])

    expect(result.code).toBe(1)
    expect(linesOf(result.stderr)).toEqual([`rti: cannot connect to ws://127.0.0.1:${port}/: connection refused — nothing is listening on 127.0.0.1:${port} (E_CONNECT_REFUSED)`])
  })
})
