// Content-Encoding for bodies read as they arrive. undici's `request` hands over the
// bytes as sent, so a gzip/deflate/br stream is decoded here, incrementally: each
// chunk is flushed through on its own, so a compressed stream still shows its
// messages when they arrive (unless the server buffered them before compressing).
import type { Transform } from 'node:stream'
import { brotliDecompressSync, constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib'

export type Coding = 'gzip' | 'deflate' | 'br'

export type CodingChoice = { kind: 'identity' } | { kind: 'decode'; coding: Coding } | { kind: 'unsupported'; coding: string }

/**
 * Names a server puts in Content-Encoding to say "not encoded". Neither is a content
 * coding (RFC 9110 §8.4.1: `identity` belongs in Accept-Encoding only; `none` is in no
 * registry), but servers send them: graphql-sse answers `Content-Encoding: none` so that
 * compression middleware leaves its event stream alone. The body is read as it came.
 */
const NOT_ENCODED = new Set(['identity', 'none'])

const codingsOf = (header: string | string[] | undefined) =>
  (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '')

/** What a Content-Encoding header asks for; more than one coding is shown as it came. */
export function contentCoding(header: string | string[] | undefined): CodingChoice {
  const codings = codingsOf(header).filter((coding) => !NOT_ENCODED.has(coding))
  if (codings.length === 0) return { kind: 'identity' }
  if (codings.length > 1) return { kind: 'unsupported', coding: codings.join(', ') }
  const coding = codings[0]!
  if (coding === 'gzip' || coding === 'x-gzip') return { kind: 'decode', coding: 'gzip' }
  if (coding === 'deflate' || coding === 'br') return { kind: 'decode', coding }
  return { kind: 'unsupported', coding }
}

/**
 * A Content-Encoding that says "not encoded" in words that are not a coding (`none`,
 * `identity`): the value as sent, to be shown; undefined for an ordinary header.
 */
export function notACoding(header: string | string[] | undefined): string | undefined {
  const codings = codingsOf(header)
  return codings.some((coding) => NOT_ENCODED.has(coding)) ? (Array.isArray(header) ? header.join(', ') : header) : undefined
}

/**
 * Whether the first bytes of a body read as plain text (UTF-8 without control
 * characters other than tab and line ends): a body labelled with a coding that cannot
 * be decoded here is then plainly not encoded. Compressed bytes are almost never valid
 * UTF-8 for long; an empty start proves nothing.
 */
export function looksUnencoded(first: Buffer): boolean {
  if (first.length === 0) return false
  let bytes = first.subarray(0, 1024)
  // A character cut at the end of the sample is not a flaw of the body.
  let cut = 0
  while (cut < 3 && cut < bytes.length && (bytes[bytes.length - 1 - cut]! & 0xc0) === 0x80) cut++
  if (cut < bytes.length && bytes[bytes.length - 1 - cut]! >= 0xc0) bytes = bytes.subarray(0, bytes.length - 1 - cut)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return false
  }
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)
}

export interface DecoderEvents {
  data(bytes: Buffer): void
  error(error: Error): void
  end(): void
}

export class BodyDecoder {
  private stream: Transform | undefined
  private destroyed = false

  constructor(
    private readonly coding: Coding,
    private readonly events: DecoderEvents,
  ) {}

  /** False when the decoder is behind: wait for `onDrain` before writing more. */
  write(chunk: Buffer): boolean {
    if (this.destroyed || chunk.length === 0) return true
    return (this.stream ??= this.create(chunk)).write(chunk)
  }

  onDrain(callback: () => void): void {
    if (this.stream) this.stream.once('drain', callback)
    else callback()
  }

  /** The body ended properly: decode the rest; a truncated stream is an error then. */
  end(): void {
    if (this.destroyed) return
    if (this.stream) this.stream.end()
    else this.events.end()
  }

  /** The body broke off: decode what came, without claiming the stream is complete. */
  flush(callback: () => void): void {
    const stream = this.stream as (Transform & { flush(callback: () => void): void }) | undefined
    if (this.destroyed || !stream) return callback()
    stream.flush(callback)
  }

  destroy(): void {
    this.destroyed = true
    this.stream?.removeAllListeners()
    // A late error from the dying stream must not become an unhandled 'error'.
    this.stream?.on('error', () => {})
    this.stream?.destroy()
  }

  private create(first: Buffer): Transform {
    const stream = makeDecoder(this.coding, first)
    stream.on('data', (bytes: Buffer) => this.events.data(bytes))
    stream.once('error', (error: Error) => this.events.error(error))
    stream.once('end', () => this.events.end())
    return stream
  }
}

function makeDecoder(coding: Coding, first: Buffer): Transform {
  if (coding === 'br') return createBrotliDecompress({ flush: constants.BROTLI_OPERATION_FLUSH })
  const options = { flush: constants.Z_SYNC_FLUSH }
  if (coding === 'gzip') return createGunzip(options)
  // "deflate" should be zlib-wrapped (RFC 9110), but some servers send raw deflate;
  // browsers accept both, told apart by the zlib header's compression method.
  return (first[0]! & 0x0f) === 0x08 ? createInflate(options) : createInflateRaw(options)
}

/**
 * A whole (bounded) body decoded at once, for evidence such as an error page; a
 * body that does not decode, or decodes too large, is shown as it came.
 */
export function decodeEvidence(coding: Coding, bytes: Buffer, maxOutput: number): Buffer | undefined {
  // A page cut at the evidence limit is still worth reading as far as it goes.
  const options = { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: maxOutput }
  try {
    if (coding === 'gzip') return gunzipSync(bytes, options)
    if (coding === 'br') return brotliDecompressSync(bytes, { finishFlush: constants.BROTLI_OPERATION_FLUSH, maxOutputLength: maxOutput })
    return (bytes[0]! & 0x0f) === 0x08 ? inflateSync(bytes, options) : inflateRawSync(bytes, options)
  } catch {
    return undefined
  }
}
