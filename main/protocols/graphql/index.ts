// GraphQL subscriptions over WebSocket, both subprotocols a server may speak:
// - `graphql-transport-ws`: the graphql-ws library's protocol (connection_init/ack,
//   subscribe/next/error/complete, ping/pong, close codes 44xx);
// - `graphql-ws`: the LEGACY subscriptions-transport-ws protocol (start/data/stop, `ka`).
// The names are the classic trap: the graphql-ws *library* does not speak the
// `graphql-ws` *subprotocol*. Wherever a user meets the mix-up (a refused handshake,
// a 4406 or 1002 close), the finding says so.
import { fail, ok, type ConnectionSpec, type FrameBody, type Result } from '../../contract/index.js'
import type { ProtocolModule } from '../protocol.js'
import { isFatalTransportWsClose, transportWsCloseFinding } from './close-codes.js'
import { createLegacyWsDecoder, LEGACY_WS } from './legacy-ws-decoder.js'
import { createTransportWsDecoder, TRANSPORT_WS } from './transport-ws-decoder.js'
import { GraphqlWsDriver, type WsDialect } from './ws-driver.js'

const TRAP = 'Subprotocol "graphql-ws" is the LEGACY subscriptions-transport-ws protocol; the graphql-ws library (and most servers today) speak "graphql-transport-ws".'

/** The spec with the technique and subprotocol this protocol runs on; subprotocols the user gave must include it. */
function prepareWs(spec: ConnectionSpec, subprotocol: string, other: string): Result<ConnectionSpec> {
  if (spec.technique !== 'websocket') return fail('E_PROTOCOL_TECHNIQUE', `runs over WebSocket, not ${spec.technique}`)
  const offered = spec.websocket.subprotocols
  if (offered.length > 0 && !offered.includes(subprotocol)) {
    const trap = offered.includes(other) ? ` ${TRAP}` : ''
    return fail('E_PROTOCOL_SUBPROTOCOL', `the subprotocols offered (${offered.join(', ')}) do not include ${subprotocol}, which this protocol needs.${trap}`)
  }
  return ok({ ...spec, websocket: { ...spec.websocket, subprotocols: offered.length > 0 ? offered : [subprotocol] } })
}

const refusedSubprotocol = (frame: FrameBody) => frame.kind === 'error' && frame.code === 'E_HANDSHAKE' && /subprotocol/i.test(frame.message)

function trapFinding(summary: string, evidence: string, remedy: string): FrameBody {
  return { kind: 'finding', direction: 'system', id: 'protocol-subprotocol', severity: 'warning', summary, evidence: [evidence, TRAP], remedy }
}

const transportWs: WsDialect = {
  name: TRANSPORT_WS,
  subscribe: 'subscribe',
  complete: 'complete',
  keepAlive: { type: 'ping', answer: 'pong', what: 'pings' },
  createDecoder: (book) => createTransportWsDecoder(book),
  fatalClose: isFatalTransportWsClose,
  explain(frame, acknowledged) {
    if (refusedSubprotocol(frame) && frame.kind === 'error') {
      return trapFinding('The server did not accept the subprotocol graphql-transport-ws', frame.message, 'If the server runs subscriptions-transport-ws (Apollo’s legacy protocol), choose the protocol graphql-ws (legacy).')
    }
    if (frame.kind !== 'close' || frame.cause === 'local') return undefined
    if (frame.code === 1002 && !acknowledged) {
      return trapFinding(
        'The server closed with 1002 before acknowledging the connection: it may not speak graphql-transport-ws',
        `close 1002${frame.reason ? ` "${frame.reason}"` : ''} before connection_ack (a subscriptions-transport-ws server closes so when offered a subprotocol it does not know)`,
        'If the server runs subscriptions-transport-ws, choose the protocol graphql-ws (legacy).',
      )
    }
    return transportWsCloseFinding(frame)
  },
}

const legacyWs: WsDialect = {
  name: LEGACY_WS,
  subscribe: 'start',
  complete: 'stop',
  keepAlive: { type: 'ka', what: 'keep-alives (ka)' },
  createDecoder: (book) => createLegacyWsDecoder(book),
  fatalClose: (code) => code === 4406 || code === 1002,
  explain(frame) {
    if (refusedSubprotocol(frame) && frame.kind === 'error') {
      return trapFinding('The server refused the subprotocol graphql-ws (legacy): it probably speaks graphql-transport-ws', frame.message, 'Choose the protocol graphql-transport-ws (--protocol graphql-transport-ws).')
    }
    if (frame.kind === 'close' && frame.cause !== 'local' && frame.code === 4406) {
      return trapFinding('The server closed with 4406 Subprotocol not acceptable: it speaks graphql-transport-ws, not the legacy graphql-ws', `close 4406${frame.reason ? ` "${frame.reason}"` : ''}`, 'Choose the protocol graphql-transport-ws (--protocol graphql-transport-ws).')
    }
    return undefined
  },
}

export const graphqlTransportWsProtocol: ProtocolModule = {
  name: TRANSPORT_WS,
  title: 'GraphQL over WebSocket (graphql-transport-ws, the graphql-ws library)',
  prepare: (spec) => prepareWs(spec, TRANSPORT_WS, LEGACY_WS),
  createDecoder: () => createTransportWsDecoder(),
  drive: (base) => (spec, sink, attempt) => new GraphqlWsDriver(spec, sink, attempt, base, transportWs),
}

export const graphqlWsProtocol: ProtocolModule = {
  name: LEGACY_WS,
  title: 'GraphQL over WebSocket, legacy (subprotocol graphql-ws = subscriptions-transport-ws, not the graphql-ws library)',
  prepare: (spec) => prepareWs(spec, LEGACY_WS, TRANSPORT_WS),
  createDecoder: () => createLegacyWsDecoder(),
  drive: (base) => (spec, sink, attempt) => new GraphqlWsDriver(spec, sink, attempt, base, legacyWs),
}
