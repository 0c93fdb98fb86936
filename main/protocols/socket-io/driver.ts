// Drives a Socket.IO session on whichever Engine.IO transport carries it (a WebSocket,
// or the polling transport that may upgrade to one): on the open packet it connects
// the namespace (with its auth), answers the server's pings (v4) or pings itself
// (v3), lets the user's sends out once the namespace is connected, encodes emits with
// ack ids, and tells diagnostics the heartbeat deadline. When the server ends the
// session it says why, once, as a `protocol-close` finding.
import { fail, ok, type ConnectionSpec, type OutgoingMessage, type Packet, type Result, type SessionState } from '../../contract/index.js'
import type { TechniqueSink } from '../../frames/sink.js'
import type { AttemptContext, TechniqueFactory } from '../../techniques/technique.js'
import type { IntentMessage, PacketDecoder, WireMessage } from '../protocol.js'
import { ProtocolTechnique } from '../protocol-technique.js'
import { seconds } from './close-reasons.js'
import type { EioVersion } from './engine-io-codec.js'
import { connectPacket, emitPacket, type HandshakeGate } from './handshake.js'
import { eioOf } from './socket-io-decoder.js'

/** Engine.IO's defaults, until the open packet says otherwise. */
const DEFAULT_PING_INTERVAL = 25_000
const DEFAULT_PING_TIMEOUT = 20_000

interface Ending {
  severity: 'info' | 'warning'
  summary: string
  evidence: string[]
  remedy: string
  measuredMs?: number
}

export class SocketIoDriver extends ProtocolTechnique {
  private readonly eio: EioVersion
  private readonly namespace: string
  private pingInterval = DEFAULT_PING_INTERVAL
  private pingTimeout = DEFAULT_PING_TIMEOUT
  /** The server's last ping (v4), and whether the pong for it went out. */
  private lastPing: { at: number; answeredAt?: number } | undefined
  private nextAckId = 0
  private userClosed = false
  /** What the server said about the end (a close packet, a DISCONNECT), until the transport closes. */
  private serverEnd: Ending | undefined
  private explained = false
  private cancelStart: (() => void) | undefined
  private started = false
  private clientPing: NodeJS.Timeout | undefined
  private pongDeadline: NodeJS.Timeout | undefined

  constructor(spec: ConnectionSpec, sink: TechniqueSink, attempt: AttemptContext, base: TechniqueFactory, decoder: PacketDecoder, private readonly gate: HandshakeGate) {
    super(spec, sink, attempt, base, decoder)
    this.eio = eioOf(spec)
    this.namespace = spec.protocol.socketio.namespace
  }

  override start(): void {
    // Whatever the reconnect policy says, two handshakes are never closer than the floor.
    this.cancelStart = this.gate.wait(() => {
      this.started = true
      super.start()
    })
  }

  override close(code?: number, reason?: string): void {
    this.userClosed = true
    if (!this.started) {
      this.cancelStart?.()
      this.sink.state('closed')
      return
    }
    // Leave the namespace politely first, as socket.io-client's disconnect() does.
    if (this.ready) this.sendAuto({ type: 'text', data: `41${this.namespace === '/' ? '' : `${this.namespace},`}` })
    super.close(code, reason)
  }

  override dispose(): void {
    this.cancelStart?.()
    this.stopTimers()
    super.dispose()
  }

  protected override encode(intent: IntentMessage): Result<OutgoingMessage[]> {
    if (intent.type !== 'emit') return fail('E_PROTOCOL_INTENT', `Socket.IO cannot ${intent.type}; it emits events`)
    let args: unknown
    try {
      args = intent.args.trim() === '' ? [] : JSON.parse(intent.args)
    } catch {
      return fail('E_PROTOCOL_INTENT', 'the arguments are not valid JSON')
    }
    if (!Array.isArray(args)) return fail('E_PROTOCOL_INTENT', 'the arguments must be a JSON array')
    const ackId = intent.ack ? this.nextAckId++ : undefined
    return ok([{ type: 'text', data: emitPacket(this.namespace, intent.event, args, ackId) }])
  }

  protected override onPackets(packets: Packet[], message: WireMessage): void {
    for (const packet of packets) {
      if (packet.error !== undefined) continue
      if (packet.protocol === 'engine.io') this.onEnginePacket(packet, message.time)
      else if (packet.namespace === this.namespace) this.onSocketPacket(packet)
    }
  }

  protected override onState(state: SessionState): void {
    if (state !== 'closed' && state !== 'failed') return
    this.stopTimers()
    this.explainEnd()
  }

  private onEnginePacket(packet: Packet, time: number): void {
    switch (packet.type) {
      case 'open':
        return this.onHandshake(packet)
      case 'ping':
        // v4: the server pings, the client answers at once (a probe is the upgrade's, not a heartbeat).
        if (this.eio !== 4 || packet.data === 'probe') return
        this.lastPing = { at: time }
        if (this.sendAuto({ type: 'text', data: `3${typeof packet.data === 'string' ? packet.data : ''}` }).ok) this.lastPing.answeredAt = this.sink.now()
        return
      case 'pong':
        if (this.eio === 3 && packet.data !== 'probe') {
          clearTimeout(this.pongDeadline)
          this.pongDeadline = undefined
        }
        return
      case 'close':
        this.serverEnd = {
          severity: 'warning',
          summary: 'the server closed the Engine.IO session (close packet)',
          evidence: ['an Engine.IO close packet "1" came from the server'],
          remedy: 'The server chose to end the session; its logs say why. socket.io-client would reconnect after this.',
        }
        return
    }
  }

  private onHandshake(packet: Packet): void {
    if (typeof packet.pingInterval === 'number') this.pingInterval = packet.pingInterval
    if (typeof packet.pingTimeout === 'number') this.pingTimeout = packet.pingTimeout
    this.facts({
      protocol: 'socket.io',
      heartbeatDeadlineMs: this.pingInterval + this.pingTimeout,
      heartbeatWhy: `Engine.IO pingInterval ${seconds(this.pingInterval)} + pingTimeout ${seconds(this.pingTimeout)}`,
    })
    const connect = connectPacket(this.namespace, this.spec.protocol.socketio.auth, this.eio)
    if (connect !== undefined) this.sendAuto({ type: 'text', data: connect })
    if (this.eio === 3) this.startClientPings()
  }

  private onSocketPacket(packet: Packet): void {
    if (packet.type === 'CONNECT') return this.markReady()
    if (packet.type === 'CONNECT_ERROR') {
      this.endNow({
        severity: 'warning',
        summary: `the server refused to connect the namespace ${this.namespace}: ${String(packet.meaning)}`,
        evidence: [`CONNECT_ERROR ${JSON.stringify(packet.data ?? null)}`],
        remedy: 'Check the namespace and the auth payload (--namespace, --auth, or the editor\'s Socket.IO options) against what the server expects; asking again with the same ones gets the same answer.',
      })
      return
    }
    if (packet.type === 'DISCONNECT') {
      this.endNow({
        severity: 'warning',
        summary: `the server disconnected the namespace ${this.namespace} (DISCONNECT)`,
        evidence: [`a DISCONNECT packet for ${this.namespace} came from the server`],
        remedy: 'The server chose to disconnect this client (socket.disconnect() on the server); its logs say why. socket.io-client does not reconnect after this either.',
      })
    }
  }

  /** A refusal or a disconnect: said once, no reconnect (it would get the same answer), the session closed. */
  private endNow(ending: Ending): void {
    this.emitFinding(ending)
    this.sink.hint({ reconnectable: false })
    this.userClosed = true
    super.close()
  }

  /** v3: the client pings every pingInterval and expects a pong within pingTimeout. */
  private startClientPings(): void {
    this.clientPing = setInterval(() => {
      if (!this.sendAuto({ type: 'text', data: '2' }).ok || this.pongDeadline) return
      this.pongDeadline = setTimeout(() => {
        this.pongDeadline = undefined
        this.endNow({
          severity: 'warning',
          summary: `the server did not answer a ping within pingTimeout ${seconds(this.pingTimeout)} (Engine.IO v3: the client pings); the session is closed as socket.io-client would`,
          evidence: [`ping sent, no pong within ${this.pingTimeout} ms`],
          remedy: 'The server or the path to it stalls; look at its load and at proxies that buffer.',
          measuredMs: this.pingTimeout,
        })
      }, this.pingTimeout)
    }, this.pingInterval)
  }

  private stopTimers(): void {
    clearInterval(this.clientPing)
    clearTimeout(this.pongDeadline)
    this.clientPing = undefined
    this.pongDeadline = undefined
  }

  /** The transport closed: say why in the protocol's words, when the protocol knows. */
  private explainEnd(): void {
    if (this.explained || this.userClosed) return
    const pingTimeout = this.pingTimeoutEnd()
    const ending = pingTimeout ?? this.serverEnd
    if (ending) this.emitFinding(ending)
  }

  /** v4: the close came about pingTimeout after a ping, as the server ends a session whose pong did not come. */
  private pingTimeoutEnd(): Ending | undefined {
    const ping = this.lastPing
    if (this.eio !== 4 || !ping) return undefined
    const elapsed = this.sink.now() - ping.at
    if (elapsed < this.pingTimeout * 0.9 || elapsed > this.pingTimeout + Math.max(2000, this.pingTimeout / 2)) return undefined
    const evidence = [
      `Engine.IO pingInterval ${seconds(this.pingInterval)}, pingTimeout ${seconds(this.pingTimeout)} (from the open packet)`,
      `the server's last ping came ${Math.round(elapsed)} ms before the close`,
    ]
    if (ping.answeredAt === undefined) {
      return {
        severity: 'warning',
        summary: `the server closed: no pong within pingTimeout ${seconds(this.pingTimeout)} — the inspector did not answer the server's ping`,
        evidence: [...evidence, 'no pong went out for that ping'],
        remedy: 'The inspector answers pings only while it drives the protocol: choose Socket.IO as the protocol (--protocol socket.io).',
        measuredMs: elapsed,
      }
    }
    return {
      severity: 'warning',
      summary: `the server closed: no pong within pingTimeout ${seconds(this.pingTimeout)}, although the inspector answered the ping ${Math.round(ping.answeredAt - ping.at)} ms after it came`,
      evidence: [...evidence, `the pong went out ${Math.round(ping.answeredAt - ping.at)} ms after the ping`],
      remedy: 'The pong was lost or held on the way: look for a proxy that buffers requests, or (over polling) a load balancer without sticky sessions sending the POST to another server.',
      measuredMs: elapsed,
    }
  }

  private emitFinding(ending: Ending): void {
    if (this.explained) return
    this.explained = true
    this.sink.frame({
      kind: 'finding',
      direction: 'system',
      id: 'protocol-close',
      severity: ending.severity,
      summary: ending.summary,
      evidence: ending.evidence,
      remedy: ending.remedy,
      ...(ending.measuredMs !== undefined ? { measuredMs: Math.round(ending.measuredMs) } : {}),
    })
  }
}
