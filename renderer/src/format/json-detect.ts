// Whether a payload is JSON worth showing as a tree. Only objects and arrays are:
// a bare `42` or `"hi"` reads better as raw text.

export type JsonDetection = { ok: true; value: object } | { ok: false }

const NOT_JSON: JsonDetection = { ok: false }

/**
 * Parse text as a JSON object or array. The first and last non-blank characters are
 * checked first, so text that cannot be JSON costs no parse.
 */
export function detectJson(text: string): JsonDetection {
  const first = firstNonBlank(text)
  const last = lastNonBlank(text)
  const shaped = (first === '{' && last === '}') || (first === '[' && last === ']')
  if (!shaped) return NOT_JSON
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null ? { ok: true, value } : NOT_JSON
  } catch {
    return NOT_JSON
  }
}

const isBlank = (c: string) => c === ' ' || c === '\n' || c === '\r' || c === '\t'

function firstNonBlank(text: string): string {
  for (let i = 0; i < text.length; i++) if (!isBlank(text[i]!)) return text[i]!
  return ''
}

function lastNonBlank(text: string): string {
  for (let i = text.length - 1; i >= 0; i--) if (!isBlank(text[i]!)) return text[i]!
  return ''
}
