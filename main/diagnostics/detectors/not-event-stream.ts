// not-event-stream (docs/diagnostics.md): an SSE endpoint answered something other than an
// event stream — a non-200 status, or a Content-Type that is not text/event-stream.
// A browser's EventSource then fails the connection for good (no reconnect), so one
// such answer is enough. 204 is the server's way to say "no more events": told as
// information. A proxy's error page in place of the stream names the proxy.
import type { ResponseFacts } from '../attempt-facts.js'
import type { Detector, DetectorContext } from '../detector.js'
import { excerpt } from './excerpt.js'

const REDIRECTS = new Set([301, 302, 303, 307, 308])

interface Answer {
  attempt: number
  seq: number
  time: number
  status: number
  type: string | undefined
}

export function notEventStreamDetector(): Detector {
  let answers: Answer[] = []
  return {
    name: 'not-event-stream',
    onFrame(frame, ctx) {
      if (frame.kind !== 'response' || ctx.spec.technique !== 'sse' || frame.from === 'proxy') return
      const attempt = ctx.current
      const exchange = attempt?.exchanges.at(-1)
      const response = exchange?.response
      if (!attempt || !response || response.seq !== frame.seq) return
      // A request that did not ask for an event stream is not the stream: a protocol's
      // own requests beside it (graphql-sse's reservation PUT, its operation POSTs).
      const accept = exchange?.request?.headers['accept']
      if (accept !== undefined && !/text\/event-stream/i.test(accept)) return
      // A redirect is followed, as EventSource does; what it leads to is judged.
      if (REDIRECTS.has(response.status) && response.headers['location'] !== undefined) return
      const type = response.headers['content-type']
      if (response.status === 200 && isEventStream(type)) return
      answers = [...answers.slice(-19), { attempt: attempt.number, seq: frame.seq, time: frame.time, status: response.status, type }]
      raise(ctx, response, answers)
    },
    reset() {
      answers = []
    },
  }
}

function isEventStream(type: string | undefined): boolean {
  return type?.split(';')[0]?.trim().toLowerCase() === 'text/event-stream'
}

function raise(ctx: DetectorContext, response: ResponseFacts, answers: Answer[]): void {
  const latest = answers[answers.length - 1]!
  const stopped = latest.status === 204
  const hop = ctx.intermediary
  const evidence = answers.slice(-10).map((a) => `attempt ${a.attempt}: ${a.status}${a.type ? `, Content-Type: ${a.type}` : ', no Content-Type'}`)
  const body = excerpt(response.body)
  if (body) evidence.push(`body: ${body}`)
  // Named from the page itself, the page is the hop's; from a header, it may be the
  // origin's answer passing through it.
  if (hop && !stopped) evidence.push(hop.source.startsWith('its error page') ? `the page is ${hop.label}'s own, in place of the stream` : `the answer names ${hop.label} (${hop.source}): it may be that hop's own error page`)
  ctx.raise({
    id: 'not-event-stream',
    severity: stopped ? 'info' : 'error',
    summary: stopped
      ? 'The server answered 204 No Content: it asks the client to stop, and an EventSource will not reconnect.'
      : `The SSE endpoint answered ${latest.status !== 200 ? `${latest.status}` : `with Content-Type ${latest.type ?? '(none)'}`}${hop ? ` (from ${hop.label})` : ''} instead of a 200 text/event-stream: a browser's EventSource fails and does not reconnect.`,
    evidence,
    remedy: stopped
      ? 'Nothing to fix if the server meant to end the stream. If not, it should answer 200 with Content-Type: text/event-stream.'
      : remedyFor(latest, hop !== undefined),
    confidence: 'confirmed',
    ...(hop && !stopped ? { intermediary: hop.label } : {}),
    seqs: answers.map((a) => a.seq),
    times: answers.map((a) => a.time),
  })
}

function remedyFor(answer: Answer, fromHop: boolean): string {
  if (answer.status === 200) return `Serve the stream with \`Content-Type: text/event-stream\` (it was ${answer.type ?? 'missing'}); check that no proxy or framework rewrites it.`
  if (answer.status === 401 || answer.status === 403) return 'EventSource cannot send an Authorization header: authenticate with a cookie (withCredentials) or a token in the URL, or have the server accept what the client sends.'
  if (answer.status >= 500 && fromHop) return 'The hop answered with its own error page: check its logs and its connection to the server (is the upstream up, does it time out on a held stream?). EventSource gives up on it for good, so the page must also be fixed for reconnects to work.'
  return `Make the endpoint answer 200 with \`Content-Type: text/event-stream\`; a ${answer.status} makes EventSource give up for good, so a server that wants a retry must keep the stream (send \`retry:\` and close it) rather than answer an error.`
}
