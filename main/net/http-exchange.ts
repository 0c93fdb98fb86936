// One HTTP request/response for the HTTP techniques (SSE, long-polling, polling,
// streaming): the request shown as it goes out, the answer's status and headers as
// evidence, the body as chunks with their arrival times. How the body ended (a
// clean end, a FIN in the middle, a reset, a timeout) is told apart, because that
// is what explains a drop.
import type { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import type { FrameBody } from '../contract/index.js'
import type { TechniqueSink } from '../frames/sink.js'
import { errorCodeOf, errorMessageOf } from './error-codes.js'
import type { WireHeaders } from './http-evidence.js'
import { proxyResponseFrameOf } from './proxy-errors.js'

export interface HttpRequestArgs {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
  dispatcher: Dispatcher
  signal?: AbortSignal
  /** Longest wait for the status line and headers. */
  headersTimeoutMs?: number
  /** Longest silence while reading the body; 0 = none (a stream may be quiet for long). */
  bodyTimeoutMs?: number
}

export interface HttpAnswer {
  status: number
  headers: WireHeaders
  httpVersion: string
  durationMs: number
  body: Readable
}

type UndiciRequest = (typeof import('undici'))['request']
/** Loaded by the first request: undici is a large load that a WebSocket session never needs. */
let undici: Promise<{ request: UndiciRequest }> | undefined

/** Send the request (showing it as a `request` frame) and wait for the answer's head. */
export async function sendHttpRequest(sink: TechniqueSink, args: HttpRequestArgs): Promise<HttpAnswer> {
  const startedAt = sink.now()
  const url = new URL(args.url)
  sink.frame({ kind: 'request', direction: 'out', method: args.method, url: args.url, headers: { host: url.host, ...args.headers } })
  let res: Awaited<ReturnType<UndiciRequest>>
  try {
    const { request } = await (undici ??= import('undici'))
    res = await request(args.url, {
      method: args.method as Dispatcher.HttpMethod,
      headers: args.headers,
      ...(args.body !== undefined ? { body: args.body } : {}),
      dispatcher: args.dispatcher,
      ...(args.signal ? { signal: args.signal } : {}),
      headersTimeout: args.headersTimeoutMs ?? 30_000,
      bodyTimeout: args.bodyTimeoutMs ?? 0,
    } as Parameters<UndiciRequest>[1])
  } catch (error) {
    // A proxy that refused the tunnel answered itself: its answer is evidence, marked as the proxy's.
    const proxyAnswer = proxyResponseFrameOf(error)
    if (proxyAnswer) sink.frame(proxyAnswer)
    throw error
  }
  return { status: res.statusCode, headers: wireHeaders(res.headers), httpVersion: '1.1', durationMs: sink.now() - startedAt, body: res.body as unknown as Readable }
}

/** A `response` frame for an answer; the caller adds the body where it is evidence. */
export function responseFrame(answer: Omit<HttpAnswer, 'body'>, extra: Partial<Extract<FrameBody, { kind: 'response' }>> = {}): FrameBody {
  return { kind: 'response', direction: 'in', status: answer.status, headers: answer.headers, httpVersion: answer.httpVersion, durationMs: answer.durationMs, ...extra }
}

export type BodyEnd =
  | { kind: 'end' }
  | { kind: 'fin' | 'reset' | 'timeout' | 'aborted' | 'error'; code: string; message: string }

/** How a body stopped, from the error undici gave (or none). */
export function classifyBodyEnd(error: unknown): BodyEnd {
  if (!error) return { kind: 'end' }
  const code = errorCodeOf(error)
  const message = errorMessageOf(error)
  const causeCode = ((error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code) as string | undefined
  if (code === 'E_ABORTED' || (error as Error).name === 'AbortError') return { kind: 'aborted', code: 'E_ABORTED', message }
  if (code === 'E_TIMEOUT') return { kind: 'timeout', code, message }
  // undici reports a peer's FIN mid-body as "other side closed" and a real RST as ECONNRESET.
  if (causeCode === 'ECONNRESET' || code === 'E_CONNECTION_RESET') return { kind: 'reset', code: 'E_CONNECTION_RESET', message }
  if (code === 'E_CONNECTION_CLOSED' || code === 'E_INCOMPLETE_BODY') return { kind: 'fin', code: 'E_INCOMPLETE_BODY', message: `the body ended before it was complete (${message})` }
  return { kind: 'error', code, message }
}

function wireHeaders(headers: Record<string, string | string[] | undefined>): WireHeaders {
  const result: WireHeaders = {}
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) result[name] = value
  return result
}
