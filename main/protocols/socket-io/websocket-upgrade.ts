// The WebSocket an Engine.IO polling session upgrades to, as socket.io-client does it:
// the WebSocket technique opens with the session's sid (its frames shown as they
// are), `2probe` goes out, `3probe` comes back; then the polling side pauses and
// calls `switchOver`, which sends `5` — from then on the WebSocket carries the
// session and its states are the session's. Until then its states stay out of the
// session: a probe that fails only says so, and the session stays on polling.
import type { ConnectionSpec, FrameBody, OutgoingMessage, Result } from '../../contract/index.js'
import { fail } from '../../contract/index.js'
import type { TechniqueSink } from '../../frames/sink.js'
import type { AttemptContext, Technique, TechniqueFactory } from '../../techniques/technique.js'

export type UpgradeState = 'probing' | 'pausing' | 'upgraded' | 'failed'

export interface UpgradeEvents {
  /** `3probe` came: pause polling, then call `switchOver`. */
  probeAnswered(): void
  /** The probe failed before the switch (state was 'probing' or 'pausing'). */
  probeFailed(wasPausing: boolean): void
  /** After the switch: the WebSocket closed or failed (the session ends). */
  ended(): void
}

export class WebSocketUpgrade {
  state: UpgradeState = 'probing'
  private readonly ws: Technique
  private sendingAuto = false

  constructor(factory: TechniqueFactory, spec: ConnectionSpec, private readonly sink: TechniqueSink, attempt: AttemptContext, private readonly events: UpgradeEvents) {
    this.ws = factory(spec, this.probeSink(), attempt)
  }

  start(): void {
    this.ws.start()
  }

  /** Polling has paused: `5` moves the session here. */
  switchOver(): void {
    this.state = 'upgraded'
    this.sendAuto('5')
  }

  send(message: OutgoingMessage): Result<void> {
    if (this.state !== 'upgraded') return fail('E_NOT_OPEN', 'the WebSocket does not carry the session yet')
    return this.ws.send(message)
  }

  close(): void {
    this.ws.close()
  }

  dispose(): void {
    this.ws.dispose()
  }

  /** Back-pressure: the WebSocket (probing or carrying the session) stops reading. */
  pause(): void {
    this.ws.pause?.()
  }

  resume(): void {
    this.ws.resume?.()
  }

  private sendAuto(packet: string): void {
    this.sendingAuto = true
    try {
      this.ws.send({ type: 'text', data: packet })
    } finally {
      this.sendingAuto = false
    }
  }

  private probeSink(): TechniqueSink {
    const sink = this.sink
    return {
      now: () => sink.now(),
      hint: (hint) => {
        if (this.state === 'upgraded') sink.hint(hint)
      },
      protocolFacts: (facts) => sink.protocolFacts?.(facts),
      chunkIn: (data, text) => sink.chunkIn(data, text),
      eventIn: (type, data, id, retry) => sink.eventIn(type, data, id, retry),
      eventsIn: (run) => sink.eventsIn(run),
      messageIn: (data, binary, decode) => {
        sink.messageIn(data, binary, decode)
        if (this.state === 'probing' && !binary && data.length === 6 && data.toString('utf8') === '3probe') {
          this.state = 'pausing'
          this.events.probeAnswered()
        }
      },
      frame: (body: FrameBody) => {
        // The probe packets are the protocol's own: shown as auto frames.
        const seq = sink.frame(this.sendingAuto && body.kind === 'message' && body.direction === 'out' ? { ...body, auto: true as const } : body)
        if (body.kind === 'open' && this.state === 'probing') this.sendAuto('2probe')
        return seq
      },
      state: (state) => {
        if (this.state === 'upgraded') {
          if (state === 'closed' || state === 'failed') this.events.ended()
          return sink.state(state)
        }
        if ((state !== 'closed' && state !== 'failed') || this.state === 'failed') return
        const wasPausing = this.state === 'pausing'
        this.state = 'failed'
        sink.frame({ kind: 'error', direction: 'system', code: 'E_UPGRADE_FAILED', message: 'the upgrade to WebSocket failed; the session stays on polling' })
        this.events.probeFailed(wasPausing)
      },
    }
  }
}
