// Skipping certificate verification is sometimes what a person needs to look at a
// test server, but it must never be silent: every session with it set says so, in
// its own frames, so a recording or a screenshot carries the warning too.
import type { ConnectionSpec, FrameBody } from '../contract/index.js'
import type { TechniqueFactory, TechniqueSink } from '../techniques/technique.js'
import { redactProxyUrl } from './proxy.js'

export const TLS_VERIFICATION_OFF = 'tls-verification-off'

/** The warning for a spec with `tls.insecure`, or undefined when verification is on. */
export function tlsVerificationOffFinding(spec: ConnectionSpec): FrameBody | undefined {
  if (!spec.tls.insecure) return undefined
  const usesTls = /^(https|wss):/i.test(spec.url)
  const evidence = [`tls.insecure is set for ${spec.url}`]
  if (!usesTls) evidence.push('this URL is not TLS itself: the setting applies to an https:// proxy on the way, if any')
  if (spec.proxy.mode === 'url' && spec.proxy.url) evidence.push(`proxy: ${redactProxyUrl(spec.proxy.url)} (its certificate is not verified either)`)
  return {
    kind: 'finding',
    direction: 'system',
    id: TLS_VERIFICATION_OFF,
    severity: 'warning',
    summary: 'TLS certificate verification is off: any certificate is accepted, also one from someone in the middle',
    evidence,
    remedy: "Trust the server's certificate authority with a CA file instead, and turn verification back on before relying on what this session shows.",
  }
}

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
