// The TLS warning in a session's frames: once per session, right after its first
// `connecting` frame, whichever technique runs (the finding itself is net's, see
// net/tls-warning.ts). A wrapper around the technique factory, like the reconnect
// policy, so no technique needs to know about it.
import type { TechniqueSink } from '../frames/sink.js'
import { tlsVerificationOffFinding } from '../net/tls-warning.js'
import type { TechniqueFactory } from '../techniques/technique.js'

/**
 * Wraps a session's technique (with its reconnects) so the warning comes once per
 * session, right after its first `connecting` frame — every technique alike.
 */
export function withTlsWarning(createTechnique: TechniqueFactory): TechniqueFactory {
  return (spec, sink, attempt) => {
    const finding = tlsVerificationOffFinding(spec)
    if (!finding) return createTechnique(spec, sink, attempt)
    let warned = false
    const warningSink: TechniqueSink = {
      messageIn: (data, binary, decode) => sink.messageIn(data, binary, decode),
      chunkIn: (data, text) => sink.chunkIn(data, text),
      eventIn: (type, data, id, retry) => sink.eventIn(type, data, id, retry),
      eventsIn: (run) => sink.eventsIn(run),
      state: (state) => sink.state(state),
      now: () => sink.now(),
      hint: (hint) => sink.hint(hint),
      protocolFacts: (facts) => sink.protocolFacts?.(facts),
      frame: (body) => {
        if (warned) return sink.frame(body)
        warned = true
        if (body.kind !== 'connecting') sink.frame(finding)
        const seq = sink.frame(body)
        if (body.kind === 'connecting') sink.frame(finding)
        return seq
      },
    }
    return createTechnique(spec, warningSink, attempt)
  }
}
