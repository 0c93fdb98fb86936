// What counts as a message in a polled answer: the elements of a JSON array (at a
// dot path, or the whole body), otherwise the whole body as one message. Each
// element is shown as its JSON text; a whole body keeps its bytes as they came.
import { valueAtPath } from './json-path.js'

export interface ExtractedMessage {
  data: Buffer
  binary: boolean
}

export interface Extraction {
  messages: ExtractedMessage[]
  /** Why the body was not cut as asked (shown once, the body still becomes a message). */
  problem?: string
}

export type ParsedBody = { json: true; value: unknown } | { json: false; text: boolean }

/** Parse once; a body is JSON only when it is valid UTF-8 and valid JSON. */
export function parseBody(body: Buffer): ParsedBody {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    return { json: false, text: false }
  }
  try {
    return { json: true, value: JSON.parse(text) }
  } catch {
    return { json: false, text: true }
  }
}

export function extractMessages(body: Buffer, parsed: ParsedBody, messagesPath: string): Extraction {
  if (body.length === 0) return { messages: [] }
  const whole = (): ExtractedMessage[] => [{ data: body, binary: !parsed.json && !parsed.text }]
  if (!parsed.json) {
    return { messages: whole(), ...(messagesPath ? { problem: `the answer is not JSON, so messagesPath "${messagesPath}" cannot apply; the whole body is one message` } : {}) }
  }
  const at = valueAtPath(parsed.value, messagesPath)
  if (!at.found) {
    // A quiet answer often leaves the list out; nothing to show then, but say so once.
    return { messages: [], problem: `messagesPath "${messagesPath}" is not in the answer; no messages taken from it` }
  }
  if (Array.isArray(at.value)) return { messages: at.value.map((element) => ({ data: Buffer.from(JSON.stringify(element) ?? 'null'), binary: false })) }
  if (messagesPath === '') return { messages: whole() }
  return { messages: [{ data: Buffer.from(JSON.stringify(at.value) ?? 'null'), binary: false }], problem: `messagesPath "${messagesPath}" is not an array; its value is one message` }
}
