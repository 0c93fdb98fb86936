// Which module implements which protocol, and the session's technique with its protocol
// on top: driven when the user chose one, only decoded under `auto` where the protocol
// is certain, untouched under `none`.
import { fail, ok, type ConnectionSpec, type ProtocolName, type Result } from '../contract/index.js'
import type { TechniqueFactory } from '../techniques/technique.js'
import type { ProtocolModule } from './protocol.js'
import { DecodingTechnique } from './decoding-technique.js'
import { socketIoProtocol } from './socket-io/index.js'
import { graphqlTransportWsProtocol, graphqlWsProtocol } from './graphql/index.js'
import { graphqlSseProtocol } from './graphql/sse.js'

const MODULES: Record<ProtocolName, ProtocolModule> = {
  'socket.io': socketIoProtocol,
  'graphql-transport-ws': graphqlTransportWsProtocol,
  'graphql-ws': graphqlWsProtocol,
  'graphql-sse': graphqlSseProtocol,
}

export function protocolModule(name: ProtocolName): ProtocolModule {
  return MODULES[name]
}

/** The spec as its chosen protocol needs it (technique, subprotocols…); unchanged under auto and none. */
export function prepareSpec(spec: ConnectionSpec): Result<ConnectionSpec> {
  const name = spec.protocol.name
  if (name === 'auto' || name === 'none') return ok(spec)
  const prepared = MODULES[name].prepare(spec)
  if (!prepared.ok) return fail(prepared.error.code, `${MODULES[name].title}: ${prepared.error.message}`)
  return prepared
}

/** The technique factory of a session whose spec went through `prepareSpec`. */
export function withProtocol(spec: ConnectionSpec, base: TechniqueFactory): TechniqueFactory {
  const name = spec.protocol.name
  if (name === 'none') return base
  if (name === 'auto') return (attemptSpec, sink, attempt) => new DecodingTechnique(attemptSpec, sink, attempt, base, (detected) => MODULES[detected].createDecoder(attemptSpec))
  return MODULES[name].drive(base)
}
