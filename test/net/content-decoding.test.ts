// Content-Encoding decoding for streamed bodies: each coding browsers accept,
// decoded incrementally (output before the end), and broken streams told apart.
import { brotliCompressSync, constants, createBrotliCompress, createDeflate, createDeflateRaw, createGzip, deflateRawSync, deflateSync, gzipSync } from 'node:zlib'
import type { Transform } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { BodyDecoder, contentCoding, decodeEvidence, type Coding } from '../../main/net/content-decoding.js'

function collect(coding: Coding) {
  const out: Buffer[] = []
  const result = { out, error: undefined as Error | undefined, ended: false }
  const decoder = new BodyDecoder(coding, { data: (bytes) => out.push(bytes), error: (error) => (result.error = error), end: () => (result.ended = true) })
  return { decoder, result, text: () => Buffer.concat(out).toString() }
}

/** Compress records one at a time with a sync flush after each, as a streaming server does. */
async function flushedRecords(encoder: Transform, records: string[], flushKind: number): Promise<Buffer[]> {
  const pieces: Buffer[] = []
  encoder.on('data', (bytes: Buffer) => pieces.push(bytes))
  const perRecord: Buffer[] = []
  for (const record of records) {
    const before = pieces.length
    encoder.write(record)
    await new Promise<void>((resolve) => (encoder as unknown as { flush(kind: number, cb: () => void): void }).flush(flushKind, resolve))
    perRecord.push(Buffer.concat(pieces.slice(before)))
  }
  return perRecord
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

describe('Content-Encoding', () => {
  it.each([
    [undefined, { kind: 'identity' }],
    ['identity', { kind: 'identity' }],
    ['gzip', { kind: 'decode', coding: 'gzip' }],
    ['X-GZIP', { kind: 'decode', coding: 'gzip' }],
    ['deflate', { kind: 'decode', coding: 'deflate' }],
    ['br', { kind: 'decode', coding: 'br' }],
    ['zstd', { kind: 'unsupported', coding: 'zstd' }],
    ['gzip, br', { kind: 'unsupported', coding: 'gzip, br' }],
  ])('%s → %o', (header, expected) => {
    expect(contentCoding(header)).toEqual(expected)
  })

  it.each([
    ['gzip', () => createGzip(), constants.Z_SYNC_FLUSH],
    ['deflate', () => createDeflate(), constants.Z_SYNC_FLUSH],
    ['deflate', () => createDeflateRaw(), constants.Z_SYNC_FLUSH],
    ['br', () => createBrotliCompress(), constants.BROTLI_OPERATION_FLUSH],
  ] as const)('decodes %s record by record, before the stream ends', async (coding, makeEncoder, flushKind) => {
    const pieces = await flushedRecords(makeEncoder(), ['{"seq":1}\n', '{"seq":2}\n'], flushKind)
    const { decoder, result, text } = collect(coding)
    decoder.write(pieces[0]!)
    await settle()
    expect(text()).toBe('{"seq":1}\n')
    decoder.write(pieces[1]!)
    await settle()
    expect(text()).toBe('{"seq":1}\n{"seq":2}\n')
    expect(result.error).toBeUndefined()
  })

  it('reports a truncated stream at a proper end, but not when flushing after a break', async () => {
    const whole = gzipSync('{"seq":1}\n{"seq":2}\n')
    const cut = collect('gzip')
    cut.decoder.write(whole.subarray(0, whole.length - 6))
    await new Promise<void>((resolve) => cut.decoder.flush(resolve))
    expect(cut.result.error).toBeUndefined()
    expect(cut.text()).toBe('{"seq":1}\n{"seq":2}\n')
    cut.decoder.end()
    await settle()
    expect(cut.result.error?.message).toMatch(/unexpected end/i)
  })

  it('reports bytes that are not the coding at all', async () => {
    const { decoder, result } = collect('gzip')
    decoder.write(Buffer.from('this is not gzip'))
    await settle()
    expect(result.error).toBeDefined()
  })

  it('decodes a bounded evidence body at once, and gives up on garbage', () => {
    expect(decodeEvidence('gzip', gzipSync('error page'), 1024)?.toString()).toBe('error page')
    expect(decodeEvidence('deflate', deflateSync('zlib'), 1024)?.toString()).toBe('zlib')
    expect(decodeEvidence('deflate', deflateRawSync('raw'), 1024)?.toString()).toBe('raw')
    expect(decodeEvidence('br', brotliCompressSync('brotli'), 1024)?.toString()).toBe('brotli')
    expect(decodeEvidence('gzip', Buffer.from('plain'), 1024)).toBeUndefined()
    expect(decodeEvidence('gzip', gzipSync('x'.repeat(5000)), 1024)).toBeUndefined()
  })
})
