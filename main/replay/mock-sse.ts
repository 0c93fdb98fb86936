// The SSE mock: one text/event-stream response per request, replaying the recorded
// events (type, id, data, retry) and comments at their recorded times. A reconnect
// with Last-Event-ID resumes after the first event recorded with that id (at least
// once: an event without an id of its own carries the one before it); an id the
// recording does not hold replays from the start. Served from the events, not the
// raw chunks, so a resume never starts in the middle of an event.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { cut, replayedHeaders, sendAnswer } from './mock-http.js'
import { startPlayback, stepsAfter, type Playback, type PlaybackOptions } from './mock-playback.js'
import type { StreamScript, StreamStep } from './mock-script.js'

export interface HttpMock {
  handle(req: IncomingMessage, res: ServerResponse): void
  close(): void
}

export function createSseMock(script: StreamScript, options: PlaybackOptions): HttpMock {
  const playbacks = new Set<Playback>()
  return {
    handle(req, res) {
      if (!script.opened && script.answer) return sendAnswer(res, script.answer)
      const lastEventId = header(req, 'last-event-id')
      const resumeAt = lastEventId === undefined ? -1 : script.steps.findIndex((s) => s.kind === 'event' && s.id === lastEventId)
      const steps = resumeAt >= 0 ? stepsAfter(script.steps, resumeAt) : script.steps
      const headers = replayedHeaders(script.answer)
      headers['content-type'] ??= 'text/event-stream; charset=utf-8'
      headers['cache-control'] ??= 'no-cache'
      res.writeHead(script.answer?.status ?? 200, headers)
      res.flushHeaders()
      let id = resumeAt >= 0 ? lastEventId! : ''
      const play = (step: StreamStep) => {
        if (step.kind === 'end') {
          if (step.how === 'close') res.end()
          else cut(res.socket, step.how === 'reset' ? 'reset' : 'fin')
          return
        }
        const text = render(step, id)
        if (step.kind === 'event') id = step.id
        if (text) res.write(text)
      }
      const playback = startPlayback(steps, options, play)
      playbacks.add(playback)
      res.on('close', () => {
        playback.dispose()
        playbacks.delete(playback)
      })
    },
    close() {
      for (const playback of playbacks) playback.dispose()
    },
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** One step as event-stream text; `id` is the last-event-ID the client already has. */
export function render(step: StreamStep, id: string): string {
  if (step.kind === 'comment') return step.text.split(/\r\n|\r|\n/).map((line) => `:${line ? ' ' + line : ''}\n`).join('') + '\n'
  if (step.kind === 'retry') return `retry: ${step.ms}\n\n`
  if (step.kind !== 'event') return ''
  let text = ''
  if (step.id !== id) text += `id: ${step.id}\n`
  if (step.event !== 'message') text += `event: ${step.event}\n`
  if (step.retry !== undefined) text += `retry: ${step.retry}\n`
  for (const line of step.data.split('\n')) text += `data: ${line}\n`
  return text + '\n'
}
