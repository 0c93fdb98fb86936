// Socket.IO on Engine.IO — placeholder until the module lands.
import { ok } from '../../contract/index.js'
import type { ProtocolModule } from '../protocol.js'

export const socketIoProtocol: ProtocolModule = {
  name: 'socket.io',
  title: 'Socket.IO',
  prepare: (spec) => ok(spec),
  createDecoder: () => ({ decodeIn: () => undefined, decodeOut: () => undefined }),
  drive: (base) => base,
}
