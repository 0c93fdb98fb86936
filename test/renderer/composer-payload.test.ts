import { describe, expect, it } from 'vitest'
import { OutgoingMessageSchema } from '@contract'
import { bytesToBase64, formatJson, jsonProblem, lineAndColumn, toMessage } from '../../renderer/src/composer/payload'

describe('composer payloads', () => {
  it('every message it builds is one the engine accepts', () => {
    const built = [toMessage('text', 'hi'), toMessage('json', '[1]'), toMessage('hex', 'DE AD be ef'), toMessage('base64', 'AAEC'), toMessage('hex', '')]
    for (const payload of built) {
      expect(payload.ok).toBe(true)
      if (payload.ok) expect(OutgoingMessageSchema.safeParse(payload.message).success).toBe(true)
    }
  })

  it('turns large binary payloads into base64 without overflowing the stack', () => {
    const bytes = new Uint8Array(200_000).map((_, i) => i % 256)
    const base64 = bytesToBase64(bytes)
    expect(base64.length).toBe(Math.ceil(200_000 / 3) * 4)
    const decoded = atob(base64)
    expect(decoded.length).toBe(bytes.length)
    expect([...bytes].findIndex((byte, i) => decoded.charCodeAt(i) !== byte)).toBe(-1)
  })

  it('accepts what JSON.parse accepts, even where a lenient parser would differ', () => {
    expect(jsonProblem('"\\u00e9"')).toBeUndefined()
    expect(jsonProblem(' 1 ')).toBeUndefined()
    expect(jsonProblem('')).toBe('empty — type a JSON value')
    expect(jsonProblem('{"a":1} // note')).toBe('line 1, column 9: comments are not JSON')
    expect(jsonProblem('NaN')).toMatch(/^line 1, column 1: /)
  })

  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 })
    expect(lineAndColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 })
    expect(lineAndColumn('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 })
  })

  it('does not format invalid JSON', () => {
    expect(formatJson('{"a":')).toBeUndefined()
    expect(formatJson('[]')).toBe('[]')
  })
})
