// What the SSE technique says about a Content-Encoding it does not decode: a label
// that means "not encoded" (`none`, `identity`) is a notice; an unknown coding is
// judged by the body's first bytes — plain text is parsed as it came with a warning,
// anything else is an error (it is still parsed as it came, and shown).
import type { FrameBody } from '../../contract/index.js'

/** `Content-Encoding: none` (or `identity`): not a coding, but it says what it means. */
export function notEncodedNotice(declared: string): FrameBody {
  return {
    kind: 'finding',
    direction: 'system',
    id: 'content-encoding',
    severity: 'info',
    summary: `The server labels the event stream "Content-Encoding: ${declared}", which is not a content coding; it is read as not encoded`,
    evidence: [`Content-Encoding: ${declared}`],
    remedy: 'Nothing to fix on the client. Servers send it to keep compression middleware off an event stream (graphql-sse does); leaving the header out does the same for compliant proxies.',
  }
}

/** A coding not decoded here: harmless when the body plainly is not encoded, an error when it is. */
export function unknownCodingFrame(coding: string, plain: boolean): FrameBody {
  if (!plain) return { kind: 'error', direction: 'system', code: 'E_SSE_CONTENT_ENCODING', message: `the body is encoded as ${JSON.stringify(coding)}, which is not decoded here: it is parsed as it came` }
  return {
    kind: 'finding',
    direction: 'system',
    id: 'content-encoding',
    severity: 'warning',
    summary: `The server labels the event stream "Content-Encoding: ${coding}", which the client did not ask for and cannot decode; the body reads as plain text, so it is parsed as it came`,
    evidence: [`Content-Encoding: ${coding}`, 'the first bytes of the body are plain UTF-8 text'],
    remedy: 'Send no Content-Encoding for an unencoded body, or only a coding the client offered in Accept-Encoding: a browser or proxy that trusts the header will fail to decode this stream.',
  }
}
