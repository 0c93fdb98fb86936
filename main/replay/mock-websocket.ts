// The WebSocket mock: accepts an upgrade on any path, answers with the recorded
// subprotocol (when the client offers it), then replays what the server sent —
// text, binary, pings — and ends as the recording ended: its close frame, a FIN
// without one, or a reset. A recorded refusal (a non-101 answer) is served as it was.
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { isSendableCloseCode } from '../contract/index.js'
import { cut, replayedHeaders } from './mock-http.js'
import { startPlayback, type Playback, type PlaybackOptions } from './mock-playback.js'
import type { StreamScript, StreamStep } from './mock-script.js'

export interface WebSocketMock {
  upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void
  close(): void
}

export function createWebSocketMock(script: StreamScript, options: PlaybackOptions): WebSocketMock {
  const playbacks = new Set<Playback>()
  const server = new WebSocketServer({
    noServer: true,
    // The recording's payloads must fit whatever their size was.
    maxPayload: 1024 * 1024 * 1024,
    perMessageDeflate: false,
    handleProtocols: (offered) => (script.protocol && offered.has(script.protocol) ? script.protocol : false),
  })

  const serve = (ws: WebSocket, socket: Socket) => {
    const play = (step: StreamStep) => {
      if (ws.readyState !== ws.OPEN) return
      if (step.kind === 'text') ws.send(step.data)
      else if (step.kind === 'binary') ws.send(step.bytes, { binary: true })
      else if (step.kind === 'ping') ws.ping(step.data)
      else if (step.kind === 'end' && step.how === 'close') {
        if (isSendableCloseCode(step.code)) ws.close(step.code, step.reason)
        else ws.close()
      } else if (step.kind === 'end') cut(socket, step.how === 'reset' ? 'reset' : 'fin')
    }
    const playback = startPlayback(script.steps, options, play)
    playbacks.add(playback)
    ws.on('message', () => playback.clientMessage())
    ws.on('close', () => {
      playback.dispose()
      playbacks.delete(playback)
    })
  }

  return {
    upgrade(req, socket, head) {
      if (!script.opened && script.answer) {
        const { status, statusText, body } = script.answer
        const headers = Object.entries({ ...replayedHeaders(script.answer), 'content-length': body.length, connection: 'close' })
        const head = [`HTTP/1.1 ${status} ${statusText ?? ''}`.trimEnd(), ...headers.map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)]
        socket.end(Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'), body]))
        return
      }
      server.handleUpgrade(req, socket, head, (ws) => serve(ws, socket))
    },
    close() {
      for (const playback of playbacks) playback.dispose()
      for (const client of server.clients) client.terminate()
      server.close()
    },
  }
}
