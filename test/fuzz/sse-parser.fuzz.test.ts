// The SSE parser fed random and mutated streams, cut anywhere: nothing escapes it,
// what it holds stays within maxBytes, a stream reads the same whatever its cuts and
// whichever of its two paths (undecoded runs or plain events) reports it — a line or an
// event over the limit included, which ends the stream at the same point — and a valid
// stream reads as eventsource-parser (the npm parser, an independent oracle) reads it.
import { createParser } from 'eventsource-parser'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SseParser } from '../../main/techniques/sse/sse-parser.js'
import { cuts, fuzz, pieces, tokenBytes } from './fuzz.js'

type Seen = [kind: string, ...values: (string | number | undefined)[]]

/** Everything the parser reports for `chunks`; `runs` takes the undecoded-run path too. */
function parse(chunks: Buffer[], maxBytes: number, runs: boolean): { seen: Seen[]; tooBig: number } {
  const seen: Seen[] = []
  let tooBig = 0
  const parser = new SseParser(
    {
      event: (type, data, id, retry) => {
        // The limit is on bytes received; an invalid byte decodes to U+FFFD (3 bytes).
        expect(Buffer.byteLength(data)).toBeLessThanOrEqual(3 * maxBytes)
        seen.push(['event', type, data, id, retry])
      },
      ...(runs
        ? {
            events: (run) => {
              for (let i = 0; i < run.count; i++) {
                expect(Buffer.byteLength(run.data(i))).toBeLessThanOrEqual(3 * maxBytes)
                seen.push(['event', run.type(i), run.data(i), run.lastEventId(i), undefined])
              }
            },
          }
        : {}),
      comment: (text) => seen.push(['comment', text]),
      retry: (ms) => seen.push(['retry', ms]),
      // How far the parser got into a line cut across chunks depends on the cuts; what failed does not.
      tooBig: (what) => {
        tooBig++
        seen.push(['tooBig', what])
      },
    },
    { maxBytes },
  )
  for (const chunk of chunks) parser.feed(chunk)
  parser.end()
  return { seen, tooBig }
}

const SSE_TOKENS = ['data:', 'data: ', 'event:', 'id:', 'id: 7', 'retry:', 'retry: 1000', ':', ': hi', '\n', '\r', '\r\n', '\n\n', ' ', '\u0000', '\ufeff', 'é€😀']

describe('SSE parser under fuzzing', () => {
  it('never throws, stays within maxBytes, and reads a stream alike whatever its cuts and its path', () => {
    fuzz(
      'SSE parser, random and mutated streams',
      fc.record({ stream: tokenBytes(SSE_TOKENS, 60), at: cuts, maxBytes: fc.constantFrom(8, 64, 1 << 20) }),
      ({ stream, at, maxBytes }) => {
        const whole = parse([stream], maxBytes, false)
        const cut = parse(pieces(stream, at), maxBytes, false)
        const fast = parse(pieces(stream, at), maxBytes, true)
        // A line or an event over the limit ends the stream wherever the chunks were cut:
        // everything before it reads alike, then the one failure, then nothing.
        expect(cut.seen).toEqual(whole.seen)
        expect(fast.seen).toEqual(whole.seen)
        expect(cut.tooBig).toBeLessThanOrEqual(1)
      },
      1500,
    )
  })

  it('reads a valid stream as eventsource-parser does', () => {
    const field = fc.string({ unit: fc.constantFrom(...Array.from('abcXYZ 09é€😀{}":,')), maxLength: 20 })
    const event = fc.record({
      comment: fc.option(field, { nil: undefined }),
      type: fc.option(fc.string({ unit: fc.constantFrom(...'abcxyz-_'.split('')), minLength: 1, maxLength: 8 }), { nil: undefined }),
      id: fc.option(fc.string({ unit: fc.constantFrom(...'0123456789ab'.split('')), maxLength: 6 }), { nil: undefined }),
      retry: fc.option(fc.nat({ max: 99_999 }), { nil: undefined }),
      data: fc.array(field, { minLength: 1, maxLength: 4 }),
    })
    fuzz(
      'SSE parser, valid streams against eventsource-parser',
      fc.record({ events: fc.array(event, { maxLength: 8 }), eol: fc.constantFrom('\n', '\r\n', '\r'), at: cuts }),
      ({ events, eol, at }) => {
        const text = events
          .map((e) =>
            [
              ...(e.comment !== undefined ? [`:${e.comment}`] : []),
              ...(e.type !== undefined ? [`event: ${e.type}`] : []),
              ...(e.id !== undefined ? [`id: ${e.id}`] : []),
              ...(e.retry !== undefined ? [`retry: ${e.retry}`] : []),
              ...e.data.map((d) => `data: ${d}`),
            ].join(eol) + eol + eol,
          )
          .join('')
          // eventsource-parser waits for the byte after a final CR (an LF may follow);
          // this parser does not. One more LF ends the stream alike for both.
          .concat('\n')
        const oracle: Seen[] = []
        const reference = createParser({
          onEvent: (m) => oracle.push(['event', m.event ?? 'message', m.data]),
          onRetry: (ms) => oracle.push(['retry', ms]),
          onComment: (c) => oracle.push(['comment', c]),
        })
        reference.feed(text)
        const ours = parse(pieces(Buffer.from(text), at), 1 << 20, true).seen.map((s): Seen => (s[0] === 'event' ? ['event', s[1], s[2]] : s))
        expect(ours).toEqual(oracle)
      },
      500,
    )
  })
})
