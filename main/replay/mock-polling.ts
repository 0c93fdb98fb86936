// The polling and long-polling mock: successive requests (any path, any method) get
// the recorded responses in order — status, the headers that matter (Content-Type,
// ETag, Last-Modified, Cache-Control, a cursor header…) and the body. One sequence
// for the whole server, whoever asks.
// - Polling answers at once. After the last recorded response it keeps answering
//   that one, as a resource that stopped changing would: 304 when the request's
//   If-None-Match or If-Modified-Since matches it.
// - Long-polling holds each answer until its recorded time since the first request
//   (scaled by the speed; at once when the client asks late, as a server with the
//   messages queued would). After the last it answers 204 No Content, held as long
//   as the last recorded hold (at least a second), so a client does not spin.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { headerValue } from '../contract/headers.js'
import { sendAnswer } from './mock-http.js'
import type { PlaybackOptions } from './mock-playback.js'
import type { ExchangeScript, RecordedAnswer } from './mock-script.js'
import type { HttpMock } from './mock-sse.js'

const MIN_EMPTY_HOLD_MS = 1000

export function createPollingMock(script: ExchangeScript, options: PlaybackOptions): HttpMock {
  const timers = new Set<NodeJS.Timeout>()
  let served = 0
  let firstRequestAt: number | undefined
  const last = script.answers[script.answers.length - 1]!

  const later = (ms: number, res: ServerResponse, answer: () => void) => {
    if (ms <= 0.5) return answer()
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (!res.destroyed) answer()
    }, ms)
    timers.add(timer)
    res.on('close', () => {
      clearTimeout(timer)
      timers.delete(timer)
    })
  }

  return {
    handle(req, res) {
      req.resume()
      const now = performance.now()
      firstRequestAt ??= now
      const index = served++
      const answer = script.answers[index]
      if (script.technique === 'polling') return sendAnswer(res, answer ?? (notModified(req, last) ? { ...last, status: 304, statusText: 'Not Modified', body: Buffer.alloc(0) } : last))
      if (answer) return later(firstRequestAt + answer.at / options.speed - now, res, () => sendAnswer(res, answer))
      const empty: RecordedAnswer = { status: 204, statusText: 'No Content', headers: {}, body: Buffer.alloc(0), at: 0, holdMs: 0 }
      later(Math.max(MIN_EMPTY_HOLD_MS, last.holdMs) / options.speed, res, () => sendAnswer(res, empty))
    },
    close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    },
  }
}

function notModified(req: IncomingMessage, answer: RecordedAnswer): boolean {
  if (answer.status !== 200) return false
  const etag = headerValue(answer.headers, 'etag')
  const ifNoneMatch = req.headers['if-none-match']
  if (etag && ifNoneMatch) return ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')
  const lastModified = headerValue(answer.headers, 'last-modified')
  return Boolean(lastModified && req.headers['if-modified-since'] === lastModified)
}
