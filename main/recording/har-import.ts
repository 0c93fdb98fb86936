// A HAR file as recordings (`*.rti.jsonl`, header `source: "har-import"`), with the
// frames a live session would have produced: connecting, request, response, open,
// messages or events at their original times, close.
//
// Which recordings: a HAR this app exported (it has `log._rtiRecording`) becomes the
// one session it came from. Any other HAR gives one recording per WebSocket entry
// (Chrome's `_webSocketMessages`), per SSE entry (`_eventSourceMessages`, or a
// text/event-stream response) and per streaming entry (`_chunks`); plain entries
// (Firefox, Postman, Insomnia, mitmproxy…) are grouped by method and URL without
// its query, each group a polling recording. A group of one request is one-off page
// traffic rather than polling, and is left out when the HAR has anything else.
import { readFile, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Frame, FrameBody, RecordingHeader } from '../contract/index.js'
import { headerValue } from '../contract/headers.js'
import { formatBytes, RECORDING_EXTENSION, RECORDING_FORMAT, RECORDING_VERSION } from '../contract/index.js'
import { VERSION } from '../version.js'
import { Redactor } from './har-redact.js'
import { fieldPath, HAR_VERSIONS, HarFile, MAX_HAR_BYTES, MAX_HAR_ENTRIES, type HarEntry } from './har-schema.js'
import { SseParser } from '../techniques/sse/sse-parser.js'
import { OutFileError, writeNewFile } from './har-out-file.js'

export type HarImportErrorCode = 'E_HAR_UNREADABLE' | 'E_HAR_TOO_BIG' | 'E_HAR_NOT_JSON' | 'E_HAR_VERSION' | 'E_HAR_INVALID' | 'E_HAR_TOO_MANY_ENTRIES' | 'E_HAR_NOTHING_TO_IMPORT'

export class HarImportError extends Error {
  constructor(
    readonly code: HarImportErrorCode,
    message: string,
  ) {
    super(message)
  }
}

type Technique = RecordingHeader['spec']['technique']

export interface ImportedRecording {
  header: RecordingHeader
  technique: Technique
  url: string
  /** Frames in order, seq from 1, made as they are iterated (once). */
  frames: () => Generator<Frame>
  /** Filled as `frames` is iterated. */
  stats: { count: number; messages: number }
}

export interface HarImportOptions {
  /** Keep credential headers and query parameters; by default they never reach a recording in clear. */
  includeSecrets?: boolean
  maxBytes?: number
}

export interface HarImportResult {
  created: { path: string; technique: Technique; url: string; frames: number; messages: number }[]
  /** Plain entries left out as one-off page traffic. */
  skippedEntries: number
}

/** Reads and validates a HAR file; every failure is one HarImportError naming what is wrong. */
export async function readHar(path: string, options: { maxBytes?: number } = {}): Promise<HarFile> {
  const maxBytes = options.maxBytes ?? MAX_HAR_BYTES
  let size: number
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new Error('not a file')
    size = info.size
  } catch (error) {
    throw new HarImportError('E_HAR_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`)
  }
  if (size > maxBytes) throw new HarImportError('E_HAR_TOO_BIG', `${path} is ${formatBytes(size)}; HAR files over ${formatBytes(maxBytes)} are not imported (a HAR is read whole)`)
  let value: unknown
  try {
    value = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    if (error instanceof SyntaxError) throw new HarImportError('E_HAR_NOT_JSON', `${path} is not a HAR file: not JSON (${error.message})`)
    throw new HarImportError('E_HAR_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`)
  }
  return parseHar(value, path)
}

/** Validates a parsed HAR document. */
export function parseHar(value: unknown, name = 'this file'): HarFile {
  const log = (value as { log?: { version?: unknown; entries?: unknown } } | null)?.log
  if (typeof log?.version === 'string' && !HAR_VERSIONS.includes(log.version)) {
    throw new HarImportError('E_HAR_VERSION', `${name}: log.version is "${log.version.slice(0, 16)}"; only HAR ${HAR_VERSIONS.join(' and ')} are read`)
  }
  if (Array.isArray(log?.entries) && log.entries.length > MAX_HAR_ENTRIES) {
    throw new HarImportError('E_HAR_TOO_MANY_ENTRIES', `${name} has ${log.entries.length} entries; at most ${MAX_HAR_ENTRIES} are imported`)
  }
  const parsed = HarFile.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : ''
  const problem = /received undefined$/.test(issue.message) ? 'missing' : issue.message
  throw new HarImportError('E_HAR_INVALID', `${name} is not a valid HAR: ${fieldPath(issue.path)}: ${problem}${more}`)
}

type EntryKind = 'websocket' | 'sse' | 'streaming' | 'http'

function kindOf(entry: HarEntry): EntryKind {
  const type = entry._resourceType?.toLowerCase()
  if (entry._webSocketMessages || type === 'websocket' || /^wss?:/i.test(entry.request.url)) return 'websocket'
  if (entry._eventSourceMessages || type === 'eventsource' || /^text\/event-stream/i.test(entry.response.content?.mimeType ?? '')) return 'sse'
  if (entry._chunks) return 'streaming'
  return 'http'
}

/** The recordings a HAR holds, in memory (a HAR is bounded by its file size cap). */
export function harToRecordings(har: HarFile, options: { includeSecrets?: boolean } = {}): { recordings: ImportedRecording[]; skippedEntries: number } {
  const redactor = new Redactor(options.includeSecrets !== true)
  const entries = har.log.entries
  const own = har.log._rtiRecording
  if (own) {
    if (entries.length === 0) return { recordings: [], skippedEntries: 0 }
    const technique = own.technique
    return { recordings: [build(technique, entries, redactor)], skippedEntries: 0 }
  }
  const sorted = entries.map((entry, index) => ({ entry, index, at: Date.parse(entry.startedDateTime) })).sort((a, b) => a.at - b.at || a.index - b.index)
  const recordings: { at: number; recording: ImportedRecording }[] = []
  const groups = new Map<string, HarEntry[]>()
  for (const { entry, at } of sorted) {
    const kind = kindOf(entry)
    if (kind === 'http') {
      const key = `${entry.request.method.toUpperCase()} ${withoutQuery(entry.request.url)}`
      // Appended in place: copying the group for each entry made many requests to one URL quadratic.
      const group = groups.get(key)
      if (group) group.push(entry)
      else groups.set(key, [entry])
    } else recordings.push({ at, recording: build(kind === 'websocket' ? 'websocket' : kind, [entry], redactor) })
  }
  const all = [...groups.values()]
  const polled = all.filter((group) => group.length > 1)
  const keep = polled.length > 0 || recordings.length > 0 ? polled : all
  for (const group of keep) recordings.push({ at: Date.parse(group[0]!.startedDateTime), recording: build('polling', group, redactor) })
  // Everything in groups not kept, counted without searching `keep` for each group.
  const skippedEntries = keep === all ? 0 : all.reduce((n, group) => n + (group.length > 1 ? 0 : group.length), 0)
  recordings.sort((a, b) => a.at - b.at)
  return { recordings: recordings.map((r) => r.recording), skippedEntries }
}

/** Imports `harPath` into new recordings at `out`: a file, or a directory (existing, or ending in a slash). */
export async function importHar(harPath: string, out: string, options: HarImportOptions = {}): Promise<HarImportResult> {
  const har = await readHar(harPath, options)
  const { recordings, skippedEntries } = harToRecordings(har, options)
  if (recordings.length === 0) throw new HarImportError('E_HAR_NOTHING_TO_IMPORT', `${harPath} has no entries to import`)
  const paths = await outputPaths(out, harPath, recordings)
  for (const path of paths) {
    if (await stat(path).then(() => true, () => false)) throw new OutFileError('E_EXPORT_EXISTS', `${path} already exists; remove it or choose another name`)
  }
  const created: HarImportResult['created'] = []
  for (const [index, recording] of recordings.entries()) {
    const path = paths[index]!
    await writeNewFile(path, async (file) => {
      await file.write(JSON.stringify(recording.header) + '\n')
      for (const frame of recording.frames()) await file.write(JSON.stringify(frame) + '\n')
    })
    created.push({ path, technique: recording.technique, url: recording.url, frames: recording.stats.count, messages: recording.stats.messages })
  }
  return { created, skippedEntries }
}

async function outputPaths(out: string, harPath: string, recordings: ImportedRecording[]): Promise<string[]> {
  const isDirectory = /[\\/]$/.test(out) || (await stat(out).then((s) => s.isDirectory(), () => false))
  if (isDirectory) {
    const stem = basename(harPath).replace(/\.har$/i, '') || 'import'
    return recordings.map((r, i) => join(out, recordings.length === 1 ? `${stem}${RECORDING_EXTENSION}` : `${stem}-${i + 1}-${r.technique}${RECORDING_EXTENSION}`))
  }
  if (recordings.length === 1) return [out]
  const stem = out.endsWith(RECORDING_EXTENSION) ? out.slice(0, -RECORDING_EXTENSION.length) : out.replace(/\.jsonl$/, '')
  return recordings.map((_, i) => `${stem}-${i + 1}${RECORDING_EXTENSION}`)
}

// ---- frames ---------------------------------------------------------------------

/** Stamps frames with seq and keeps the running totals a close frame reports; holds no frames. */
class FrameList {
  count = 0
  lastKind: Frame['kind'] | undefined
  messages = 0
  bytesIn = 0
  bytesOut = 0
  lastTime = 0
  lastByteTime = 0

  make(time: number, body: FrameBody): Frame {
    const at = Number.isFinite(time) && time > 0 ? time : this.lastTime
    this.lastTime = Math.max(this.lastTime, at)
    this.lastKind = body.kind
    return { ...body, seq: ++this.count, time: at } as Frame
  }

  bytes(direction: 'in' | 'out', size: number, time: number): void {
    if (direction === 'in') this.bytesIn += size
    else this.bytesOut += size
    this.lastByteTime = time
  }
}

function build(technique: Technique, entries: HarEntry[], redactor: Redactor): ImportedRecording {
  const url = redactor.url(entries[0]!.request.url)
  const header: RecordingHeader = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    spec: { technique, url },
    // The first frame (connecting or request) is at the first entry's start.
    startedAt: Math.max(0, Date.parse(entries[0]!.startedDateTime)),
    writer: `realtime-inspector ${VERSION}`,
    source: 'har-import',
  }
  const list = new FrameList()
  // Made as they are written: a HAR with a million messages never has a million frames in memory.
  const frames = function* (): Generator<Frame> {
    if (technique === 'polling' || technique === 'long-polling') yield* pollingFrames(list, entries, redactor)
    else for (const [index, entry] of entries.entries()) yield* connectionFrames(list, technique, entry, index + 1, redactor)
  }
  return { header, technique, url, frames, stats: list }
}

const started = (entry: HarEntry) => Date.parse(entry.startedDateTime)
const duration = (entry: HarEntry) => (entry.time !== undefined && entry.time >= 0 ? entry.time : Math.max(0, entry.timings?.wait ?? 0))

/** connecting, request and (if there was one) response of an entry; returns the response time, or undefined without a response. */
function* exchange(list: FrameList, entry: HarEntry, attempt: number | undefined, redactor: Redactor): Generator<Frame, number | undefined> {
  const t0 = started(entry)
  const url = redactor.url(entry.request.url)
  if (attempt !== undefined) yield list.make(t0, { kind: 'connecting', direction: 'system', url, attempt })
  yield list.make(t0, { kind: 'request', direction: 'out', method: entry.request.method, url, headers: headerRecord(entry.request.headers, redactor) })
  const { response } = entry
  if (response.status === 0) {
    const error = entry._rtiError ?? { time: (t0 + duration(entry)) / 1000, code: 'E_CONNECT', message: response._error ?? 'the HAR holds no response for this request' }
    yield list.make(error.time * 1000, { kind: 'error', direction: 'system', code: error.code, message: error.message })
    return undefined
  }
  const at = t0 + duration(entry)
  const content = response.content
  const body = content?.text === undefined || content.text === '' ? {} : content.encoding === 'base64' ? { bodyBase64: content.text } : { body: content.text }
  yield list.make(at, {
    kind: 'response',
    direction: 'in',
    status: response.status < 100 ? 100 : response.status,
    ...(response.statusText ? { statusText: response.statusText } : {}),
    headers: headerRecord(response.headers, redactor),
    httpVersion: (response.httpVersion ?? '').replace(/^HTTP\//i, '') || '1.1',
    durationMs: duration(entry),
    ...body,
    ...(response.status === 304 || entry._rtiUnchanged ? { unchanged: true } : {}),
  })
  return at
}

function* connectionFrames(list: FrameList, technique: Technique, entry: HarEntry, attempt: number, redactor: Redactor): Generator<Frame, void> {
  const openedAt = yield* exchange(list, entry, attempt, redactor)
  const status = entry.response.status
  const opened = openedAt !== undefined && (technique === 'websocket' ? status === 101 : status >= 200 && status < 300)
  if (openedAt !== undefined && !opened) {
    if (!entry._rtiError) yield list.make(openedAt, { kind: 'error', direction: 'system', code: technique === 'websocket' ? 'E_HANDSHAKE' : 'E_HTTP_STATUS', message: `the server answered ${status}` })
  }
  if (opened) {
    // As live sessions report it: the subprotocol (ws), nothing (sse), the HTTP version (streaming).
    const protocol = technique === 'websocket' ? (headerValue(entry.response.headers, 'sec-websocket-protocol') ?? '') : technique === 'sse' ? '' : `HTTP/${(entry.response.httpVersion ?? '').replace(/^HTTP\//i, '') || '1.1'}`
    const extensions = headerValue(entry.response.headers, 'sec-websocket-extensions')
    yield list.make(openedAt, { kind: 'open', direction: 'system', protocol, ...(technique === 'websocket' ? { extensions: extensions ?? '' } : {}) })
  }
  if (technique === 'websocket') for (const m of entry._webSocketMessages ?? []) yield* message(list, m)
  if (technique === 'sse') yield* sseEvents(list, entry, opened ? openedAt : undefined)
  if (technique === 'streaming') yield* streamFrames(list, entry)
  if (entry._rtiError && openedAt !== undefined) yield list.make(entry._rtiError.time * 1000, { kind: 'error', direction: 'system', code: entry._rtiError.code, message: entry._rtiError.message })
  if (opened || entry._rtiClose) yield* close(list, entry, technique === 'websocket' ? 1005 : 0)
}

function* pollingFrames(list: FrameList, entries: HarEntry[], redactor: Redactor): Generator<Frame, void> {
  let opened = false
  for (const [index, entry] of entries.entries()) {
    const at = yield* exchange(list, entry, index === 0 ? 1 : undefined, redactor)
    if (at === undefined) continue
    if (!opened) {
      yield list.make(at, { kind: 'open', direction: 'system', protocol: `HTTP/${(entry.response.httpVersion ?? '').replace(/^HTTP\//i, '') || '1.1'}` })
      opened = true
    }
    if (entry._rtiMessages) for (const m of entry._rtiMessages) yield* message(list, m)
    else {
      const content = entry.response.content
      const status = entry.response.status
      if (status >= 200 && status < 300 && status !== 204 && content?.text && !entry._rtiUnchanged) {
        yield* message(list, { type: 'receive', time: at / 1000, opcode: content.encoding === 'base64' ? 2 : 1, data: content.text })
      }
    }
    if (entry._rtiError) yield list.make(entry._rtiError.time * 1000, { kind: 'error', direction: 'system', code: entry._rtiError.code, message: entry._rtiError.message })
    if (entry._rtiClose) yield* close(list, entry, 0)
  }
  if (list.lastKind !== undefined && list.lastKind !== 'close') yield* close(list, undefined, 0)
}

function* message(list: FrameList, m: { type: 'send' | 'receive'; time: number; opcode: number; data: string }): Generator<Frame, void> {
  // Control frames (ping, pong, close) are not messages; Chrome does not write them either.
  if (m.opcode !== 1 && m.opcode !== 2) return
  const direction = m.type === 'send' ? 'out' : 'in'
  const time = m.time * 1000
  if (m.opcode === 2) {
    const size = Buffer.from(m.data, 'base64').length
    yield list.make(time, { kind: 'message', direction, dataBase64: m.data, binary: true, size })
    list.bytes(direction, size, time)
  } else {
    const size = Buffer.byteLength(m.data)
    yield list.make(time, { kind: 'message', direction, data: m.data, size })
    list.bytes(direction, size, time)
  }
  list.messages++
}

function* sseEvents(list: FrameList, entry: HarEntry, openedAt: number | undefined): Generator<Frame, void> {
  if (!entry._eventSourceMessages) return yield* sseBody(list, entry, openedAt)
  let lastId = ''
  for (const m of entry._eventSourceMessages) {
    lastId = m.eventId ?? lastId
    const time = m.time * 1000
    yield list.make(time, { kind: 'event', direction: 'in', event: m.eventName || 'message', data: m.data, id: lastId, ...(m.retry === undefined ? {} : { retry: m.retry }) })
    list.bytes('in', Buffer.byteLength(m.data), time)
    list.messages++
  }
}

/**
 * A HAR without `_eventSourceMessages` (Firefox, and Chrome when it kept the body) may
 * still hold the stream as the response text: its events are parsed by the same rules
 * as a live stream, all at the response's time, since the HAR has no time per event.
 */
function* sseBody(list: FrameList, entry: HarEntry, openedAt: number | undefined): Generator<Frame, void> {
  const content = entry.response.content
  if (!content?.text || openedAt === undefined) return
  const time = openedAt
  // The parser calls back; what it finds for this one body is gathered, then yielded.
  const found: Frame[] = []
  const parser = new SseParser(
    {
      event: (type, data, id, retry) => {
        found.push(list.make(time, { kind: 'event', direction: 'in', event: type || 'message', data, id, ...(retry === undefined ? {} : { retry }) }))
        list.messages++
      },
      comment: (text) => found.push(list.make(time, { kind: 'comment', direction: 'in', text })),
      retry: () => {},
      tooBig: () => {},
    },
    { maxBytes: 64 * 1024 * 1024 },
  )
  const bytes = Buffer.from(content.text, content.encoding === 'base64' ? 'base64' : 'utf8')
  parser.feed(bytes)
  list.bytes('in', bytes.length, time)
  yield* found
}

/** Chunks cut from the body at their recorded sizes, merged in time order with the framed messages. */
function* streamFrames(list: FrameList, entry: HarEntry): Generator<Frame, void> {
  const content = entry.response.content
  const body = content?.text ? Buffer.from(content.text, content.encoding === 'base64' ? 'base64' : 'utf8') : Buffer.alloc(0)
  const chunks = entry._chunks ?? []
  const messages = entry._rtiMessages ?? []
  let offset = 0
  let c = 0
  let m = 0
  while (c < chunks.length || m < messages.length) {
    // A chunk goes before the messages framed from it, which share its time.
    if (c < chunks.length && (m >= messages.length || chunks[c]!.time <= messages[m]!.time)) {
      const { time, size } = chunks[c++]!
      const bytes = body.subarray(offset, offset + size)
      offset += size
      const data = asText(bytes)
      yield list.make(time * 1000, { kind: 'chunk', direction: 'in', size, ...(data === undefined ? { dataBase64: bytes.toString('base64'), binary: true as const } : { data }) })
      list.bytes('in', size, time * 1000)
    } else yield* message(list, messages[m++]!)
  }
}

function* close(list: FrameList, entry: HarEntry | undefined, fallbackCode: number): Generator<Frame, void> {
  const recorded = entry?._rtiClose
  const time = recorded ? recorded.time * 1000 : list.lastTime
  yield list.make(time, {
    kind: 'close',
    direction: 'system',
    code: recorded?.code ?? fallbackCode,
    reason: recorded?.reason ?? 'imported from a HAR, which does not say how the connection ended',
    wasClean: recorded?.wasClean ?? true,
    idleMs: Math.max(0, time - (list.lastByteTime || time)),
    bytesIn: list.bytesIn,
    bytesOut: list.bytesOut,
    cause: recorded?.cause ?? 'remote-close',
  })
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
function asText(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes)
  } catch {
    return undefined
  }
}

function headerRecord(headers: { name: string; value: string }[], redactor: Redactor): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {}
  for (const { name, value } of headers) {
    // HTTP/2 pseudo-headers (":authority") are how Chrome writes h2 requests, not headers.
    if (name.startsWith(':')) continue
    const kept = redactor.header(name, value)
    const existing = record[name]
    record[name] = existing === undefined ? kept : Array.isArray(existing) ? [...existing, kept] : [existing, kept]
  }
  return record
}

function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/)
  return cut === -1 ? url : url.slice(0, cut)
}

