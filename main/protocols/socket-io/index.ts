// Socket.IO on Engine.IO (v4, and v3 for servers with allowEIO3). A ws(s):// URL
// speaks over a WebSocket only; an http(s):// URL starts with Engine.IO polling and
// upgrades to a WebSocket like socket.io-client (unless the upgrade is off). The
// URL's own path is the server's path; a URL without one gets `/socket.io/`.
import { fail, ok, type ConnectionSpec } from '../../contract/index.js'
import { techniqueFactoryFor } from '../../techniques/index.js'
import type { TechniqueFactory } from '../../techniques/technique.js'
import { guardDecoder } from '../decode-guard.js'
import type { ProtocolModule } from '../protocol.js'
import { SocketIoDriver } from './driver.js'
import { engineUrl, HandshakeGate } from './handshake.js'
import { createEnginePolling } from './polling-transport.js'
import { createSocketIoDecoder, eioOf } from './socket-io-decoder.js'

const isWebSocketUrl = (url: string) => /^wss?:/i.test(url)

export const socketIoProtocol: ProtocolModule = {
  name: 'socket.io',
  title: 'Socket.IO',
  prepare(spec) {
    const websocket = isWebSocketUrl(spec.url)
    const technique = websocket ? 'websocket' : 'long-polling'
    if (spec.technique !== technique && spec.technique !== 'websocket' && spec.technique !== 'long-polling') {
      return fail('E_PROTOCOL_TECHNIQUE', `runs over WebSocket (ws:// URL) or Engine.IO polling (http:// URL), not ${spec.technique}`)
    }
    let url: string
    try {
      url = engineUrl(spec.url, eioOf(spec), websocket ? 'websocket' : 'polling')
    } catch {
      return fail('E_SPEC_INVALID', `not a URL: ${spec.url}`)
    }
    const query = spec.query.filter((q) => q.name !== 'EIO' && q.name !== 'transport')
    return ok({ ...spec, technique, url, query })
  },
  createDecoder: (spec) => createSocketIoDecoder(spec),
  drive(base: TechniqueFactory): TechniqueFactory {
    // One gate per session: every attempt's handshake waits for the floor.
    const gate = new HandshakeGate()
    const websocket = techniqueFactoryFor('websocket')!
    const polling = createEnginePolling(websocket)
    return (spec: ConnectionSpec, sink, attempt) =>
      new SocketIoDriver(spec, sink, attempt, spec.technique === 'websocket' ? base : polling, guardDecoder('socket.io', createSocketIoDecoder(spec)), gate)
  },
}
