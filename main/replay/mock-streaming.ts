// The streaming mock: one chunked response replaying the recorded chunks, byte for
// byte, at their recorded times; it ends as the recording did — the terminating
// chunk for a clean end, a FIN without it or a reset for a cut, and for an end the
// client chose, nothing (the response stays open until the client goes).
import { cut, replayedHeaders, sendAnswer } from './mock-http.js'
import { startPlayback, type Playback, type PlaybackOptions } from './mock-playback.js'
import type { StreamScript, StreamStep } from './mock-script.js'
import type { HttpMock } from './mock-sse.js'

export function createStreamingMock(script: StreamScript, options: PlaybackOptions): HttpMock {
  const playbacks = new Set<Playback>()
  return {
    handle(_req, res) {
      if (!script.opened && script.answer) return sendAnswer(res, script.answer)
      res.writeHead(script.answer?.status ?? 200, replayedHeaders(script.answer))
      res.flushHeaders()
      const play = (step: StreamStep) => {
        if (step.kind === 'chunk') res.write(step.bytes)
        else if (step.kind === 'end' && step.how === 'close') res.end()
        else if (step.kind === 'end') cut(res.socket, step.how === 'reset' ? 'reset' : 'fin')
      }
      const playback = startPlayback(script.steps, options, play)
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
