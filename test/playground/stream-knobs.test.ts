// The /stream endpoint's fault and shape knobs, checked with plain HTTP clients.
import { request } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { UTF8_SAMPLE } from '../../main/playground/stream-records.js'
import { httpGet, rawHttp } from './helpers.js'

let playground: Playground
beforeAll(async () => {
  playground = await startPlayground()
})
afterAll(() => playground.close())

/** The chunk sizes of a chunked body on the wire, and whether the terminating chunk came. */
function chunkSizes(raw: string): { sizes: number[]; terminated: boolean } {
  let rest = raw.slice(raw.indexOf('\r\n\r\n') + 4)
  const sizes: number[] = []
  for (;;) {
    const line = rest.indexOf('\r\n')
    if (line < 0) return { sizes, terminated: false }
    const size = parseInt(rest.slice(0, line), 16)
    if (size === 0) return { sizes, terminated: true }
    sizes.push(size)
    rest = rest.slice(line + 2 + size + 2)
  }
}

/** A plain client's view: the body it got, and the socket error that ended it, if any. */
function bodyBytes(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer; error?: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let status = 0
    let headers: Record<string, unknown> = {}
    const failed = (error: NodeJS.ErrnoException) => resolve({ status, headers, body: Buffer.concat(chunks), error: error.code ?? error.message })
    request(url, { agent: false }, (res) => {
      status = res.statusCode ?? 0
      headers = res.headers
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status, headers, body: Buffer.concat(chunks) }))
      res.on('error', failed)
    })
      .on('error', failed)
      .end()
  })
}

describe('/stream knobs', () => {
  it('size pads each record', async () => {
    const { body } = await httpGet(`${playground.baseUrl}/stream?interval=5&count=2&size=300`)
    expect(body.split('\n').filter(Boolean).map((line) => line.length)).toEqual([300, 300])
  })

  it('fin=N: N records, then FIN without the terminating chunk', async () => {
    const raw = await rawHttp(playground.port, '/stream?interval=5&count=5&fin=2')
    expect(chunkSizes(raw)).toMatchObject({ terminated: false })
    expect(raw.match(/"seq":/g)).toHaveLength(2)
  })

  it('reset=N: N records, then a TCP reset', async () => {
    const result = await bodyBytes(`${playground.baseUrl}/stream?interval=20&count=5&reset=2`)
    expect(result.error).toBe('ECONNRESET')
    expect(result.body.toString().match(/"seq":/g)).toHaveLength(2)
  })

  it('silence=MS: headers at once, the first record only after the silence', async () => {
    const started = Date.now()
    let headersAt = 0
    let firstAt = 0
    await new Promise<void>((resolve) => {
      request(`${playground.baseUrl}/stream?silence=200&interval=5&count=1`, { agent: false }, (res) => {
        headersAt = Date.now() - started
        res.once('data', () => (firstAt = Date.now() - started))
        res.on('end', resolve)
        res.resume()
      }).end()
    })
    expect(headersAt).toBeLessThan(150)
    expect(firstAt).toBeGreaterThanOrEqual(190)
  })

  it('headerDelay=MS holds the headers back', async () => {
    const started = Date.now()
    await httpGet(`${playground.baseUrl}/stream?headerDelay=150&interval=5&count=1`)
    expect(Date.now() - started).toBeGreaterThanOrEqual(145)
  })

  it('gzip=1: a gzip body, flushed per record', async () => {
    const { headers, body } = await bodyBytes(`${playground.baseUrl}/stream?interval=5&count=3&gzip=1`)
    expect(headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(body).toString().split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([1, 2, 3])
  })

  it('split=byte writes one byte per chunk', async () => {
    const raw = await rawHttp(playground.port, '/stream?interval=5&count=2&split=byte')
    const { sizes, terminated } = chunkSizes(raw)
    expect(terminated).toBe(true)
    expect(new Set(sizes)).toEqual(new Set([1]))
  })

  it('split=utf8 cuts writes inside multi-byte characters', async () => {
    const raw = await rawHttp(playground.port, '/stream?interval=5&count=1&split=utf8')
    // Every 2-, 3- and 4-byte character is cut after each of its bytes but the last.
    expect(chunkSizes(raw).sizes.length).toBe(1 + 1 + 1 + 2 + 3)
    expect(Buffer.from(raw, 'latin1').toString('utf8')).toContain(UTF8_SAMPLE.slice(0, 2))
  })

  it('split=delimiter cuts inside the delimiter and inside </script>', async () => {
    const delimited = chunkSizes(await rawHttp(playground.port, `/stream?delimiter=${encodeURIComponent('<|>')}&interval=5&count=1&split=delimiter`))
    expect(delimited.sizes.slice(-3)).toEqual([1, 1, 1])
    const script = await rawHttp(playground.port, '/stream?format=script&interval=5&count=1&split=delimiter')
    expect(chunkSizes(script).sizes.filter((size) => size === 1)).toHaveLength('</script>\n'.length)
  })

  it('status= answers that status with a short text body', async () => {
    const { status, headers, body } = await httpGet(`${playground.baseUrl}/stream?status=503`)
    expect(status).toBe(503)
    expect(headers['x-playground-reason']).toBe('status')
    expect(body).toContain('503')
    expect((await httpGet(`${playground.baseUrl}/stream?status=204`)).body).toBe('')
  })

  it('type= sets the content type', async () => {
    const { headers } = await httpGet(`${playground.baseUrl}/stream?interval=5&count=1&type=${encodeURIComponent('application/json-seq')}`)
    expect(headers['content-type']).toBe('application/json-seq')
  })

  it('length=1 sends a Content-Length body instead of chunks; with fin it is cut short', async () => {
    const whole = await bodyBytes(`${playground.baseUrl}/stream?interval=5&count=3&length=1`)
    expect(whole.headers['transfer-encoding']).toBeUndefined()
    expect(Number(whole.headers['content-length'])).toBe(whole.body.length)
    const cut = await rawHttp(playground.port, '/stream?interval=5&count=3&length=1&fin=1')
    const declared = Number(/content-length: (\d+)/i.exec(cut)![1])
    expect(cut.length - cut.indexOf('\r\n\r\n') - 4).toBeLessThan(declared)
  })

  it.each([
    'fin=1&reset=1',
    'count=2&fin=2',
    'split=sideways',
    'split=byte&size=5000',
    'gzip=2',
    'length=1',
    'length=1&count=2&gzip=1',
    'status=99',
    'status=600',
    `type=${encodeURIComponent('text/plain\r\nX: y')}`,
    'silence=-1',
    'headerDelay=99999999999',
  ])('refuses %s with 400', async (query) => {
    expect((await httpGet(`${playground.baseUrl}/stream?${query}`)).status).toBe(400)
  })
})
