// HAR import fed random JSON and mutated real HAR files (a value replaced, a key
// dropped, anywhere in the document): it answers a HarImportError or recordings whose
// every frame is a valid frame, nothing else escapes; a valid HAR of WebSocket
// messages imports as exactly those messages.
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FrameSchema, type Frame } from '../../main/contract/index.js'
import { harToRecordings, HarImportError, parseHar } from '../../main/recording/har-import.js'
import { fuzz } from './fuzz.js'

const FIXTURE = JSON.parse(readFileSync(new URL('../recording/fixtures/chrome-websocket.har', import.meta.url), 'utf8')) as unknown

/** Imports `value` as a HAR: the frames of every recording, or the HarImportError. */
function importValue(value: unknown): Frame[][] | HarImportError {
  try {
    return harToRecordings(parseHar(value)).recordings.map((r) => [...r.frames()])
  } catch (error) {
    if (error instanceof HarImportError) return error
    throw error
  }
}

/** A copy of `value` with the thing at `path` (indexes taken modulo each level's size) replaced, or dropped. */
function mutate(value: unknown, path: number[], replacement: unknown, drop: boolean): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value)
  if (keys.length === 0) return replacement
  const key = keys[path[0]! % keys.length]!
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...value }) as Record<string | number, unknown>
  if (drop && path.length === 1) {
    if (Array.isArray(copy)) (copy as unknown[]).splice(key as number, 1)
    else delete copy[key]
  } else copy[key] = mutate((value as Record<string | number, unknown>)[key], path.slice(1), replacement, drop)
  return copy
}

const checkFrames = (result: Frame[][] | HarImportError) => {
  if (result instanceof HarImportError) return
  for (const frames of result) for (const frame of frames) expect(FrameSchema.safeParse(frame).success).toBe(true)
}

describe('HAR import under fuzzing', () => {
  it('random JSON: a HarImportError or recordings, nothing else', () => {
    const har = fc.record({ log: fc.record({ version: fc.constantFrom('1.2', '1.1', 'x'), entries: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 }) }, { requiredKeys: [] }) })
    fuzz('HAR import, random JSON', fc.oneof(fc.jsonValue({ maxDepth: 4 }), har), (value) => checkFrames(importValue(value)), 1000)
  })

  it('a real HAR mutated anywhere: a HarImportError or recordings whose frames are valid', () => {
    fuzz(
      'HAR import, mutated real HAR',
      fc.array(fc.record({ path: fc.array(fc.nat(), { minLength: 1, maxLength: 7 }), replacement: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, -1, 1e308, '', 'receive', '2026-13-45', [], {})), drop: fc.boolean() }), { minLength: 1, maxLength: 4 }),
      (mutations) => {
        let value = FIXTURE
        for (const { path, replacement, drop } of mutations) value = mutate(value, path, replacement, drop)
        checkFrames(importValue(value))
      },
      1000,
    )
  })

  it('a valid HAR of WebSocket messages imports as exactly those messages', () => {
    const message = fc.record({ type: fc.constantFrom('send', 'receive'), data: fc.string({ unit: fc.constantFrom(...Array.from('ab {}":\\\n\u0000é😀')), maxLength: 20 }) })
    fuzz(
      'HAR import, valid WebSocket HAR',
      fc.array(message, { maxLength: 12 }),
      (messages) => {
        const entry = {
          startedDateTime: '2026-03-02T10:15:31.000Z',
          time: 10,
          request: { method: 'GET', url: 'wss://chat.example.com/socket', headers: [] },
          response: { status: 101, headers: [] },
          _resourceType: 'websocket',
          _webSocketMessages: messages.map((m, i) => ({ ...m, time: 1772446531 + i / 10, opcode: 1 })),
        }
        const result = importValue({ log: { version: '1.2', entries: [entry] } })
        expect(result).not.toBeInstanceOf(HarImportError)
        const frames = (result as Frame[][])[0]!
        const imported = frames.filter((f) => f.kind === 'message').map((f) => [f.direction, f.kind === 'message' ? f.data : undefined])
        expect(imported).toEqual(messages.map((m) => [m.type === 'send' ? 'out' : 'in', m.data]))
      },
      500,
    )
  })
})
