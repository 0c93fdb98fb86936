// A recording as HAR 1.2, for tools that read HAR (browsers' DevTools, HAR viewers,
// proxies). One entry per connection (WebSocket, SSE, streaming) or per request and
// response (polling, long-polling). Written as it is read, so a long recording never
// sits whole in memory; only a streaming body is gathered, up to a cap.
//
// Fields beyond HAR 1.2 (all optional, prefixed with `_` as HAR allows):
// - `_resourceType`: "websocket", "eventsource", "xhr" or "fetch", as Chrome writes it.
// - `_webSocketMessages`: [{ type: "send"|"receive", time: s since epoch, opcode: 1 text | 2 binary, data: text or base64 }], Chrome's own form.
// - `_eventSourceMessages`: [{ time: s since epoch, eventName, eventId, data, retry? }], the names of Chrome's
//   Network.eventSourceMessageReceived; one item per SSE event.
// - `_rtiMessages`: the messages framed from a polling, long-polling or streaming body, in the `_webSocketMessages` form.
// - `_chunks`: [{ time: s since epoch, size: bytes }] of a streaming body as it arrived; the bytes are `response.content`.
// - `_rtiUnchanged`: the response was a 304 or the same body as before.
// - `_rtiClose` { time, code, reason, wasClean, cause } and `_rtiError` { time, code, message }: how the connection ended.
// - `log._rtiRecording` { technique, url, startedAt }: the recording this HAR came from, so an import rebuilds one session.
import type { Frame, FrameOf, RecordingHeader } from '../contract/index.js'
import { headerValue } from '../contract/headers.js'
import { VERSION } from '../version.js'
import { Redactor } from './har-redact.js'
import { writeNewFile } from './har-out-file.js'
import { openRecording, type RecordingProblem, type RecordingReader } from './read-recording.js'

export interface HarExportOptions {
  /** Keep Authorization, Cookie, Set-Cookie, Proxy-Authorization and credential query parameters. */
  includeSecrets?: boolean
  /** Most bytes of a streaming body kept in `response.content` (default 16 MiB); the rest is counted, not kept. */
  maxContentBytes?: number
  /** Most `_chunks` and `_rtiMessages` items kept per streaming entry (default 200,000). */
  maxBufferedItems?: number
}

export interface HarExportSummary {
  entries: number
  messages: number
  /** How many header values and URLs had secrets replaced. */
  redacted: number
  /** What could not be kept whole (a streaming body over the cap), in plain words. */
  truncated: string[]
  /** Lines of the recording that were skipped, and a truncated last line. */
  problems: RecordingProblem[]
}

const DEFAULT_MAX_CONTENT = 16 * 1024 * 1024
const DEFAULT_MAX_ITEMS = 200_000

type Technique = 'websocket' | 'sse' | 'polling' | 'long-polling' | 'streaming'
type HarMessage = Record<string, unknown>

interface Connection {
  startedAt: number
  request?: FrameOf<'request'>
  response?: FrameOf<'response'>
  error?: FrameOf<'error'>
  close?: FrameOf<'close'>
  /** Whether the entry's head (everything up to its message array) is written. */
  headWritten: boolean
  items: number
  // A streaming entry is written whole at its end: its body goes before its chunks.
  body: Buffer[]
  bodyBytes: number
  bodyDropped: number
  chunks: HarMessage[]
  buffered: HarMessage[]
  itemsDropped: number
}

/** Exports the recording at `recordingPath` to a new HAR file at `outPath`. */
export async function exportHar(recordingPath: string, outPath: string, options: HarExportOptions = {}): Promise<HarExportSummary> {
  const reader = await openRecording(recordingPath)
  return writeNewFile(outPath, (out) => writeHar(reader, (text) => out.write(text), options))
}

/** Writes the HAR text of `reader` through `write`, in order. */
export async function writeHar(reader: RecordingReader, write: (text: string) => Promise<void>, options: HarExportOptions = {}): Promise<HarExportSummary> {
  const builder = new HarBuilder(reader.header, write, options)
  await builder.start()
  for await (const frame of reader.frames) await builder.add(frame)
  await builder.end()
  return { ...builder.summary(), problems: reader.problems }
}

const seconds = (ms: number) => ms / 1000
const iso = (ms: number) => new Date(ms).toISOString()

class HarBuilder {
  private readonly technique: Technique
  private readonly redactor: Redactor
  private readonly maxContent: number
  private readonly maxItems: number
  private current: Connection | undefined
  private pendingStart: number | undefined
  private entries = 0
  private messages = 0
  private readonly truncated: string[] = []

  constructor(
    private readonly header: RecordingHeader,
    private readonly write: (text: string) => Promise<void>,
    options: HarExportOptions,
  ) {
    this.technique = (['websocket', 'sse', 'polling', 'long-polling', 'streaming'].includes(header.spec.technique) ? header.spec.technique : 'polling') as Technique
    this.redactor = new Redactor(options.includeSecrets !== true)
    this.maxContent = options.maxContentBytes ?? DEFAULT_MAX_CONTENT
    this.maxItems = options.maxBufferedItems ?? DEFAULT_MAX_ITEMS
  }

  summary() {
    return { entries: this.entries, messages: this.messages, redacted: this.redactor.count, truncated: this.truncated }
  }

  async start(): Promise<void> {
    const log = {
      version: '1.2',
      creator: { name: 'Realtime Inspector', version: VERSION },
      comment: `${this.header.spec.technique} session recorded ${iso(this.header.startedAt)}`,
      _rtiRecording: { technique: this.header.spec.technique, url: this.redactor.url(this.header.spec.url), startedAt: this.header.startedAt },
    }
    const text = JSON.stringify({ log })
    // Everything but the closing braces; entries follow as they are built.
    await this.write(`${text.slice(0, -2)},"entries":[`)
  }

  async end(): Promise<void> {
    await this.finish()
    await this.write(']}}\n')
  }

  async add(frame: Frame): Promise<void> {
    switch (frame.kind) {
      case 'connecting':
        await this.finish()
        this.pendingStart = frame.time
        return
      case 'request':
        if (this.current && (this.perRequest || this.current.request || this.current.headWritten)) await this.finish()
        this.connection(frame.time).request = frame
        return
      case 'response': {
        const connection = this.connection(frame.time)
        if (connection.response || connection.headWritten) {
          await this.finish()
          this.connection(frame.time).response = frame
        } else connection.response = frame
        return
      }
      case 'message':
        return this.item(frame, this.messageItem(frame))
      case 'event':
        if (this.technique !== 'sse') return
        return this.item(frame, { time: seconds(frame.time), eventName: frame.event, eventId: frame.id, data: frame.data, ...(frame.retry === undefined ? {} : { retry: frame.retry }) })
      case 'chunk':
        if (this.technique === 'streaming') this.chunk(frame)
        return
      case 'error':
        this.connection(frame.time).error = frame
        return
      case 'close':
        this.connection(frame.time).close = frame
        await this.finish()
        return
      default:
        return
    }
  }

  private get perRequest(): boolean {
    return this.technique === 'polling' || this.technique === 'long-polling'
  }

  private get arrayKey(): string {
    if (this.technique === 'websocket') return '_webSocketMessages'
    if (this.technique === 'sse') return '_eventSourceMessages'
    return '_rtiMessages'
  }

  private connection(time: number): Connection {
    if (!this.current) {
      this.current = { startedAt: this.pendingStart ?? time, headWritten: false, items: 0, body: [], bodyBytes: 0, bodyDropped: 0, chunks: [], buffered: [], itemsDropped: 0 }
      this.pendingStart = undefined
    }
    return this.current
  }

  private messageItem(frame: FrameOf<'message'>): HarMessage {
    const binary = frame.binary === true || (frame.data === undefined && frame.dataBase64 !== undefined)
    return { type: frame.direction === 'out' ? 'send' : 'receive', time: seconds(frame.time), opcode: binary ? 2 : 1, data: (binary ? frame.dataBase64 : frame.data) ?? '' }
  }

  private async item(frame: Frame, item: HarMessage): Promise<void> {
    const connection = this.connection(frame.time)
    this.messages++
    if (this.technique === 'streaming') {
      if (connection.buffered.length < this.maxItems) connection.buffered.push(item)
      else connection.itemsDropped++
      return
    }
    if (!connection.headWritten) {
      const head = JSON.stringify(this.entryHead(connection))
      await this.write(`${this.entries > 0 ? ',' : ''}${head.slice(0, -1)},"${this.arrayKey}":[`)
      connection.headWritten = true
      this.entries++
    }
    await this.write((connection.items++ > 0 ? ',' : '') + JSON.stringify(item))
  }

  private chunk(frame: FrameOf<'chunk'>): void {
    const connection = this.connection(frame.time)
    const bytes = frame.dataBase64 !== undefined ? Buffer.from(frame.dataBase64, 'base64') : Buffer.from(frame.data ?? '', 'utf8')
    const room = this.maxContent - connection.bodyBytes
    if (room > 0) {
      const kept = bytes.length <= room ? bytes : bytes.subarray(0, room)
      connection.body.push(kept)
      connection.bodyBytes += kept.length
    }
    connection.bodyDropped += Math.max(0, bytes.length - Math.max(0, room))
    if (connection.chunks.length < this.maxItems) connection.chunks.push({ time: seconds(frame.time), size: frame.size })
    else connection.itemsDropped++
  }

  /** Writes out the entry being built, if any. */
  private async finish(): Promise<void> {
    const connection = this.current
    this.current = undefined
    if (!connection) return
    if (!connection.headWritten && !connection.request && !connection.response && connection.items === 0 && connection.buffered.length === 0 && connection.chunks.length === 0) return
    const tail: Record<string, unknown> = {}
    if (connection.error) tail._rtiError = { time: seconds(connection.error.time), code: connection.error.code, message: connection.error.message }
    if (connection.close) {
      const { time, code, reason, wasClean, cause } = connection.close
      tail._rtiClose = { time: seconds(time), code, reason, wasClean, cause }
    }
    if (connection.headWritten) {
      const tailText = JSON.stringify(tail)
      await this.write(`]${tailText === '{}' ? '' : `,${tailText.slice(1, -1)}`}}`)
      return
    }
    const entry: Record<string, unknown> = this.entryHead(connection)
    if (this.technique === 'streaming') {
      entry._chunks = connection.chunks
      entry._rtiMessages = connection.buffered
      if (connection.bodyDropped > 0 || connection.itemsDropped > 0) {
        const what = `${connection.bodyDropped} bytes of body and ${connection.itemsDropped} chunks or messages of the stream from ${iso(connection.startedAt)} over the export caps were left out`
        entry.comment = what
        this.truncated.push(what)
      }
    } else entry[this.arrayKey] = []
    Object.assign(entry, tail)
    await this.write((this.entries > 0 ? ',' : '') + JSON.stringify(entry))
    this.entries++
  }

  private entryHead(connection: Connection): Record<string, unknown> {
    const { request, response } = connection
    const url = this.redactor.url(request?.url ?? this.header.spec.url)
    const duration = response?.durationMs ?? 0
    const httpVersion = response ? `HTTP/${response.httpVersion}` : 'HTTP/1.1'
    const spec = this.header.spec as { method?: unknown; body?: unknown }
    const method = request?.method ?? 'GET'
    const harRequest: Record<string, unknown> = {
      method,
      url,
      httpVersion,
      headers: this.headers(request?.headers ?? {}),
      queryString: queryString(url),
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    }
    if (method !== 'GET' && typeof spec.body === 'string' && spec.body !== '') {
      const type = headerValue(request?.headers ?? {}, 'content-type') ?? 'text/plain'
      harRequest.postData = { mimeType: type, text: spec.body }
      harRequest.bodySize = Buffer.byteLength(spec.body)
    }
    const entry: Record<string, unknown> = {
      startedDateTime: iso(request?.time ?? connection.startedAt),
      time: duration,
      request: harRequest,
      response: this.response(connection),
      cache: {},
      timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: duration, receive: 0 },
      _resourceType: RESOURCE_TYPE[this.technique],
    }
    if (response?.unchanged) entry._rtiUnchanged = true
    return entry
  }

  private response(connection: Connection): Record<string, unknown> {
    const { response, error } = connection
    if (!response) {
      // HAR's way of saying "no response": status 0, with the reason in Chrome's `_error`.
      return { status: 0, statusText: '', httpVersion: '', headers: [], cookies: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: -1, bodySize: -1, ...(error ? { _error: `${error.code}: ${error.message}` } : {}) }
    }
    const mimeType = headerValue(response.headers, 'content-type') ?? 'x-unknown'
    let content: Record<string, unknown> = { size: 0, mimeType }
    if (this.technique === 'streaming' && connection.body.length > 0) content = bodyContent(Buffer.concat(connection.body), mimeType)
    else if (response.bodyBase64 !== undefined) content = bodyContent(Buffer.from(response.bodyBase64, 'base64'), mimeType)
    else if (response.body !== undefined) content = { size: Buffer.byteLength(response.body), mimeType, text: response.body }
    if (response.bodyTruncated) content.comment = 'the body was cut at the recording\'s evidence cap'
    return {
      status: response.status,
      statusText: response.statusText ?? '',
      httpVersion: `HTTP/${response.httpVersion}`,
      headers: this.headers(response.headers),
      cookies: [],
      content,
      redirectURL: headerValue(response.headers, 'location') ?? '',
      headersSize: -1,
      bodySize: typeof content.size === 'number' ? content.size : -1,
    }
  }

  private headers(headers: Record<string, string | string[]>): { name: string; value: string }[] {
    const list: { name: string; value: string }[] = []
    for (const [name, value] of Object.entries(headers)) {
      for (const one of Array.isArray(value) ? value : [value]) list.push({ name, value: this.redactor.header(name, one) })
    }
    return list
  }
}

const RESOURCE_TYPE: Record<Technique, string> = { websocket: 'websocket', sse: 'eventsource', polling: 'xhr', 'long-polling': 'xhr', streaming: 'fetch' }

function queryString(url: string): { name: string; value: string }[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }))
  } catch {
    return []
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Text when the bytes are UTF-8, else base64 as HAR's `encoding` allows. */
function bodyContent(bytes: Buffer, mimeType: string): Record<string, unknown> {
  try {
    return { size: bytes.length, mimeType, text: utf8.decode(bytes) }
  } catch {
    return { size: bytes.length, mimeType, text: bytes.toString('base64'), encoding: 'base64' }
  }
}
