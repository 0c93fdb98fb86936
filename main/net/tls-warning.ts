// Skipping certificate verification is sometimes what a person needs to look at a
// test server, but it must never be silent: every session with it set says so, in
// its own frames, so a recording or a screenshot carries the warning too. The
// finding is made here; session/tls-warning-technique.ts puts it in the frames.
import type { ConnectionSpec, FrameBody } from '../contract/index.js'
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
