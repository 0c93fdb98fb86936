// `auto`: a plain session whose protocol is certain (URL path, subprotocol, first
// message) gets its messages decoded — never anything sent on the user's behalf.
import type { ConnectionSpec, ProtocolName } from '../contract/index.js'
import type { TechniqueSink } from '../frames/sink.js'
import type { AttemptContext, TechniqueFactory } from '../techniques/technique.js'
import { protocolOfFirstMessage, protocolOfSubprotocol, protocolOfUrl } from './detect.js'
import { guardDecoder } from './decode-guard.js'
import type { PacketDecoder, WireMessage } from './protocol.js'
import { ProtocolTechnique } from './protocol-technique.js'

export class DecodingTechnique extends ProtocolTechnique {
  private looked = false

  constructor(
    spec: ConnectionSpec,
    sink: TechniqueSink,
    attempt: AttemptContext,
    base: TechniqueFactory,
    private readonly decoderFor: (protocol: ProtocolName) => PacketDecoder,
  ) {
    const fromUrl = protocolOfUrl(spec.url)
    super(spec, sink, attempt, base, fromUrl ? guardDecoder(fromUrl, decoderFor(fromUrl)) : undefined)
    this.ready = true
  }

  protected override onOpen(subprotocol: string): void {
    const detected = protocolOfSubprotocol(subprotocol)
    if (detected && !this.decoder) this.decoder = guardDecoder(detected, this.decoderFor(detected))
  }

  protected override mayDecode(): boolean {
    return this.decoder !== undefined || !this.looked
  }

  protected override decodeIn(message: WireMessage) {
    if (!this.decoder && !this.looked) {
      // Only the first message can say it: after that, looking would cost every message.
      this.looked = true
      const detected = message.binary ? undefined : protocolOfFirstMessage(message.data.toString('utf8', 0, 64))
      if (detected) this.decoder = guardDecoder(detected, this.decoderFor(detected))
    }
    return super.decodeIn(message)
  }
}
