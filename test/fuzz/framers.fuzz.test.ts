// The streaming framers (NDJSON, delimiter, forever-frame scripts) fed random and
// mutated bodies, cut anywhere: nothing escapes them, what they hold is what they
// report as `buffered` (which the technique bounds) and never more than they were
// fed, a body gives the same messages whatever its cuts, and valid bodies give back
// exactly the messages they were made of.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DelimiterFramer } from '../../main/techniques/framing/delimiter-framer.js'
import type { Framer } from '../../main/techniques/framing/framer.js'
import { NdjsonFramer } from '../../main/techniques/framing/ndjson-framer.js'
import { ScriptFramer } from '../../main/techniques/framing/script-framer.js'
import { cuts, fuzz, pieces, tokenBytes } from './fuzz.js'

/** Messages (copied: a framer may hand out views) and the leftover, for a body fed in `chunks`. */
function frame(make: () => Framer, chunks: Buffer[]): { messages: string[]; leftover: number } {
  const framer = make()
  const messages: string[] = []
  let fed = 0
  for (const chunk of chunks) {
    fed += chunk.length
    for (const message of framer.push(chunk)) messages.push(message.toString('latin1'))
    expect(framer.buffered).toBeGreaterThanOrEqual(0)
    expect(framer.buffered).toBeLessThanOrEqual(fed)
    // Nothing held beyond what `buffered` says, give or take a tag being matched.
    const window = (framer as unknown as { window?: { length: number } }).window
    if (window) expect(window.length).toBeLessThanOrEqual(framer.buffered + 16)
  }
  const { leftover } = framer.end()
  expect(leftover).toBeGreaterThanOrEqual(0)
  expect(leftover).toBeLessThanOrEqual(fed)
  return { messages, leftover }
}

const FRAMERS: [name: string, make: () => Framer, tokens: string[]][] = [
  ['NDJSON', () => new NdjsonFramer(), ['\n', '\r\n', '\r', '{"a":1}', '[1,2]', '"x"', ' ', '\t', '\u0000', 'é']],
  ['delimiter', () => new DelimiterFramer(Buffer.from('\r\n\r\n')), ['\r\n\r\n', '\r\n', '\r', '\n', 'data', ' ', 'é']],
  ['delimiter (one byte)', () => new DelimiterFramer(Buffer.from([0x1e])), ['\u001e', '{}', 'x', '\u0000']],
  ['script', () => new ScriptFramer(), ['<script>', '</script>', '<SCRIPT type="text/javascript">', '</script >', '<scr', 'ipt', 'parent.push(', ')', '(', '"', "'", '`', '\\', '<', '>', '/', '{"n":1}', ' ']],
]

describe('streaming framers under fuzzing', () => {
  for (const [name, make, tokens] of FRAMERS) {
    it(`${name}: never throws, holds what it reports, gives the same messages whatever the cuts`, () => {
      fuzz(
        `${name} framer, random and mutated bodies`,
        fc.record({ body: tokenBytes(tokens, 60), at: cuts }),
        ({ body, at }) => {
          const whole = frame(make, [body])
          const cut = frame(make, pieces(body, at))
          expect(cut).toEqual(whole)
        },
        1000,
      )
    })
  }

  const text = (exclude: RegExp) => fc.string({ unit: fc.constantFrom(...Array.from('abc {}[]":,01é€😀\r\n\t()<>/\\\'')), maxLength: 24 }).filter((s) => !exclude.test(s))

  it('NDJSON: valid lines come back as they were', () => {
    fuzz(
      'NDJSON framer, valid bodies',
      fc.record({ lines: fc.array(text(/[\r\n]|^\s*$/), { maxLength: 10 }), eol: fc.constantFrom('\n', '\r\n'), at: cuts }),
      ({ lines, eol, at }) => {
        const body = Buffer.from(lines.map((l) => l + eol).join(''))
        expect(frame(() => new NdjsonFramer(), pieces(body, at)).messages.map((m) => Buffer.from(m, 'latin1').toString())).toEqual(lines)
      },
      500,
    )
  })

  it('delimiter: valid messages come back as they were', () => {
    fuzz(
      'delimiter framer, valid bodies',
      fc.record({ messages: fc.array(text(/\|\|/), { maxLength: 10 }), at: cuts }),
      ({ messages, at }) => {
        // A message ending in "|" would make "|||": its delimiter would be found one byte early.
        const valid = messages.map((m) => m.replace(/\|$/, ''))
        const body = Buffer.from(valid.map((m) => m + '||').join(''))
        expect(frame(() => new DelimiterFramer(Buffer.from('||')), pieces(body, at)).messages.map((m) => Buffer.from(m, 'latin1').toString())).toEqual(valid)
      },
      500,
    )
  })

  it('script: the argument of each call comes back as it was', () => {
    fuzz(
      'script framer, valid bodies',
      fc.record({ payloads: fc.array(fc.json({ maxDepth: 2 }).filter((j) => !/<\/script|[()]/i.test(j) && j.trim() === j && j !== ''), { maxLength: 6 }), at: cuts }),
      ({ payloads, at }) => {
        const body = Buffer.from('<html><body>' + payloads.map((p) => `<script>parent.push(${p})</script>\n`).join(''))
        expect(frame(() => new ScriptFramer(), pieces(body, at)).messages.map((m) => Buffer.from(m, 'latin1').toString())).toEqual(payloads)
      },
      500,
    )
  })
})
