// A Content-Encoding the client did not ask for and cannot decode (graphql-sse's
// `none`, `identity`, an unknown name) is shown, and is not fatal when the body is
// plainly not encoded: the stream is parsed as it came. A body that really is encoded
// under an unknown name is still an error.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { looksUnencoded, notACoding } from '../../main/net/content-decoding.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'

let manager: SessionManager | undefined
let server: Server | undefined
afterEach(async () => {
  manager?.dispose()
  manager = undefined
  server?.closeAllConnections()
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
  server = undefined
})

/** One event stream labelled with `coding`, its body `body`, then the end. */
async function serve(coding: string, body: Buffer): Promise<string> {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': coding })
    res.end(body)
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

const STREAM = Buffer.from('data: one\n\ndata: two\n\n')

async function run(coding: string, body: Buffer) {
  const url = await serve(coding, body)
  manager = new SessionManager()
  const h = openSession(manager, { technique: 'sse', url, reconnect: { enabled: false } })
  await h.session.ended
  return h
}

describe('Content-Encoding the client cannot decode', () => {
  it.each(['none', 'identity', 'None'])('"%s" is a notice; the events come through', async (coding) => {
    const h = await run(coding, STREAM)
    expect(h.ofKind('event').map((e) => e.data)).toEqual(['one', 'two'])
    expect(h.ofKind('error')).toEqual([])
    const notice = h.ofKind('finding').find((f) => f.id === 'content-encoding')
    expect(notice).toMatchObject({ severity: 'info', evidence: [`Content-Encoding: ${coding}`] })
  })

  it('an unknown coding over a plain-text body: a warning, parsed as it came', async () => {
    const h = await run('x-custom', STREAM)
    expect(h.ofKind('event').map((e) => e.data)).toEqual(['one', 'two'])
    expect(h.ofKind('error')).toEqual([])
    expect(h.ofKind('finding').find((f) => f.id === 'content-encoding')).toMatchObject({ severity: 'warning', summary: expect.stringMatching(/x-custom.*reads as plain text/) })
  })

  it('an unknown coding over a body that is encoded: still an error', async () => {
    const h = await run('x-custom', gzipSync(STREAM))
    expect(h.ofKind('error').map((e) => e.code)).toEqual(['E_SSE_CONTENT_ENCODING'])
    expect(h.ofKind('event')).toEqual([])
  })

  it('tells plain text from encoded bytes, and names that are not codings', () => {
    expect(looksUnencoded(STREAM)).toBe(true)
    expect(looksUnencoded(Buffer.from('data: héllo wörld ✓\n\n'))).toBe(true)
    // A sample cut inside a character is still text.
    expect(looksUnencoded(Buffer.from('data: ✓').subarray(0, 8))).toBe(true)
    expect(looksUnencoded(gzipSync(STREAM))).toBe(false)
    expect(looksUnencoded(Buffer.alloc(0))).toBe(false)
    expect(notACoding('none')).toBe('none')
    expect(notACoding(['gzip', 'identity'])).toBe('gzip, identity')
    expect(notACoding('gzip')).toBeUndefined()
    expect(notACoding(undefined)).toBeUndefined()
  })
})
