// A recording made before a protocol was decoded (or with decoding off) is decoded when
// it is opened: its frames get the `decoded` a live session would have given them,
// by the recorded spec's protocol, or where `auto` detection is certain. Frames that
// carry `decoded` already keep it.
import { ProtocolName, type ConnectionSpec, type Frame } from '../contract/index.js'
import { guardDecoder } from './decode-guard.js'
import { protocolOfFirstMessage, protocolOfSubprotocol, protocolOfUrl } from './detect.js'
import { protocolModule } from './index.js'
import type { PacketDecoder } from './protocol.js'

/** Decodes a recording's frames in order; returns each frame, annotated where its protocol is known. */
export function recordedFrameDecoder(spec: ConnectionSpec): (frame: Frame) => Frame {
  const chosen = spec.protocol?.name ?? 'auto'
  if (chosen === 'none') return (frame) => frame
  const decoderOf = (name: ProtocolName): PacketDecoder => guardDecoder(name, protocolModule(name).createDecoder(spec))
  const named = ProtocolName.safeParse(chosen)
  let decoder: PacketDecoder | undefined = named.success ? decoderOf(named.data) : undefined
  let looked = named.success
  if (!decoder) {
    const fromUrl = protocolOfUrl(spec.url)
    if (fromUrl) decoder = decoderOf(fromUrl)
  }
  return (frame) => {
    if (frame.kind === 'connecting' && !named.success) looked = decoder !== undefined
    if (frame.kind === 'open' && !decoder) {
      const detected = protocolOfSubprotocol(frame.protocol)
      if (detected) decoder = decoderOf(detected)
    }
    if ((frame.kind !== 'message' && frame.kind !== 'event') || frame.decoded !== undefined) return frame
    const data = frame.kind === 'message' && frame.binary ? Buffer.from(frame.dataBase64 ?? '', 'base64') : Buffer.from(frame.data ?? '', 'utf8')
    if (!decoder && !looked && frame.direction === 'in') {
      looked = true
      const detected = frame.kind === 'message' && frame.binary ? undefined : protocolOfFirstMessage(data.toString('utf8', 0, 64))
      if (detected) decoder = decoderOf(detected)
    }
    if (!decoder) return frame
    const message = { data, binary: frame.kind === 'message' && frame.binary === true, time: frame.time, ...(frame.kind === 'event' ? { event: frame.event } : {}) }
    const decoded = frame.direction === 'out' ? decoder.decodeOut(message) : decoder.decodeIn(message)
    if (decoded === undefined) return frame
    if (frame.direction === 'out') decoder.sentAs?.(decoded, frame.seq, frame.time)
    return { ...frame, decoded }
  }
}
