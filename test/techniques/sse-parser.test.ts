// The event-stream parser against the rules of WHATWG HTML §9.2.6, fed bytes the
// way a network delivers them: in pieces split anywhere.
import { describe, expect, it } from 'vitest'
import { SseParser, type SseParserHandlers } from '../../main/techniques/sse/sse-parser.js'

type Seen =
  | { kind: 'event'; type: string; data: string; id: string; retry?: number }
  | { kind: 'comment'; text: string }
  | { kind: 'retry'; ms: number }
  | { kind: 'too-big'; what: string; bytes: number }

function parser(options: { maxBytes?: number; lastEventId?: string } = {}) {
  const seen: Seen[] = []
  const handlers: SseParserHandlers = {
    event: (type, data, id, retry) => seen.push({ kind: 'event', type, data, id, ...(retry !== undefined ? { retry } : {}) }),
    comment: (text) => seen.push({ kind: 'comment', text }),
    retry: (ms) => seen.push({ kind: 'retry', ms }),
    tooBig: (what, bytes) => seen.push({ kind: 'too-big', what, bytes }),
  }
  const p = new SseParser(handlers, { maxBytes: options.maxBytes ?? 1 << 20, ...(options.lastEventId !== undefined ? { lastEventId: options.lastEventId } : {}) })
  return { p, seen, events: () => seen.filter((s) => s.kind === 'event') }
}

const bytes = (input: string | number[]) => (typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input))

/** Everything the parser reports for `input` fed in one piece. */
function parse(input: string | Buffer, options: { maxBytes?: number; lastEventId?: string } = {}): Seen[] {
  const { p, seen } = parser(options)
  p.feed(typeof input === 'string' ? bytes(input) : input)
  p.end()
  return seen
}

const eventsOf = (input: string | Buffer, options = {}) => parse(input, options).filter((s) => s.kind === 'event')

describe('SSE parser: lines', () => {
  it('ends lines at LF, CRLF and a lone CR alike', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      expect(eventsOf(`data: a${eol}data: b${eol}${eol}`)).toEqual([{ kind: 'event', type: 'message', data: 'a\nb', id: '' }])
    }
  })

  it('handles mixed line ends in one stream', () => {
    expect(eventsOf('data: a\r\ndata: b\rdata: c\n\r\n').map((e) => e.kind === 'event' && e.data)).toEqual(['a\nb\nc'])
  })

  it('dispatches at a lone CR at once, without waiting for the next byte', () => {
    const { p, events } = parser()
    p.feed(bytes('data: x\r\r'))
    expect(events()).toEqual([{ kind: 'event', type: 'message', data: 'x', id: '' }])
  })

  it('swallows the LF of a CRLF split across chunks instead of seeing a blank line', () => {
    const { p, events } = parser()
    p.feed(bytes('data: a\r'))
    p.feed(bytes('\ndata: b\r'))
    p.feed(bytes('\n\r'))
    p.feed(bytes('\n'))
    expect(events()).toEqual([{ kind: 'event', type: 'message', data: 'a\nb', id: '' }])
  })

  it('drops an event that the end of the stream cuts off', () => {
    expect(eventsOf('data: complete\n\ndata: cut off\n')).toEqual([{ kind: 'event', type: 'message', data: 'complete', id: '' }])
    const { p, events } = parser()
    p.feed(bytes('data: cut'))
    p.end()
    expect(events()).toEqual([])
  })
})

describe('SSE parser: fields', () => {
  it('strips exactly one leading space after the colon', () => {
    expect(eventsOf('data:no space\n\ndata: one\n\ndata:  two\n\n').map((e) => e.kind === 'event' && e.data)).toEqual(['no space', 'one', ' two'])
  })

  it('treats a line without a colon as a field with an empty value', () => {
    expect(eventsOf('data\n\n')).toEqual([{ kind: 'event', type: 'message', data: '', id: '' }])
    expect(eventsOf('data\ndata\n\n')).toEqual([{ kind: 'event', type: 'message', data: '\n', id: '' }])
  })

  it('joins data lines with LF and dispatches empty data lines too', () => {
    expect(eventsOf('data: a\ndata:\ndata: b\n\n').map((e) => e.kind === 'event' && e.data)).toEqual(['a\n\nb'])
    expect(eventsOf('data:\n\n').map((e) => e.kind === 'event' && e.data)).toEqual([''])
  })

  it('keeps everything after the first colon in the value', () => {
    expect(eventsOf('data: a:b: c\n\n').map((e) => e.kind === 'event' && e.data)).toEqual(['a:b: c'])
  })

  it('names events by `event`, defaults to message, and resets the type after each event', () => {
    expect(eventsOf('event: tick\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\n').map((e) => e.kind === 'event' && e.type)).toEqual(['tick', 'message', 'message'])
  })

  it('ignores unknown fields and field names that only resemble known ones', () => {
    expect(eventsOf('foo: bar\nData: x\ndata : y\n data: z\nevent : e\ndata: kept\n\n')).toEqual([{ kind: 'event', type: 'message', data: 'kept', id: '' }])
  })

  it('ignores long field names, with or without a colon', () => {
    expect(eventsOf('dataevent: x\ndatadata\nretrying: 5\nid_long\ndata: kept\n\n')).toEqual([{ kind: 'event', type: 'message', data: 'kept', id: '' }])
    expect(parse('retry\n\nretryy: 5\n\n').filter((s) => s.kind === 'retry')).toEqual([])
  })

  it('reports comments, with one leading space removed, and ignores them otherwise', () => {
    expect(parse(': heartbeat\n:raw\n:  two\n:\ndata: a\n: between\ndata: b\n\n')).toEqual([
      { kind: 'comment', text: 'heartbeat' },
      { kind: 'comment', text: 'raw' },
      { kind: 'comment', text: ' two' },
      { kind: 'comment', text: '' },
      { kind: 'comment', text: 'between' },
      { kind: 'event', type: 'message', data: 'a\nb', id: '' },
    ])
  })

  it('does not dispatch a block without data', () => {
    expect(eventsOf('event: lonely\n\n: c\n\n\n\n')).toEqual([])
  })
})

describe('SSE parser: ids', () => {
  it('keeps the last event ID across events until the server sets another', () => {
    expect(eventsOf('id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n').map((e) => e.kind === 'event' && e.id)).toEqual(['1', '1', '2'])
  })

  it('resets the ID with an empty `id` field', () => {
    expect(eventsOf('id: 1\ndata: a\n\nid\ndata: b\n\nid:\ndata: c\n\n').map((e) => e.kind === 'event' && e.id)).toEqual(['1', '', ''])
  })

  it('ignores an id containing NUL', () => {
    expect(eventsOf(bytes('id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\n')).map((e) => e.kind === 'event' && e.id)).toEqual(['1', '1'])
  })

  it('sets the last event ID for a block without data, without dispatching an event', () => {
    const { p, events } = parser()
    p.feed(bytes('id: 7\n\n'))
    expect(events()).toEqual([])
    expect(p.lastEventId).toBe('7')
    p.feed(bytes('data: after\n\n'))
    expect(events()).toEqual([{ kind: 'event', type: 'message', data: 'after', id: '7' }])
  })

  it('sets the ID only when the block ends: an id in a cut-off block does not count', () => {
    const { p, events } = parser()
    p.feed(bytes('id: 1\ndata: a\n\nid: 2\ndata: cut'))
    expect(p.lastEventId).toBe('1')
    p.end()
    expect(events()).toEqual([{ kind: 'event', type: 'message', data: 'a', id: '1' }])
    expect(p.lastEventId).toBe('1')
  })

  it('starts from the ID the connection resumed with', () => {
    const { p, events } = parser({ lastEventId: '8' })
    expect(p.lastEventId).toBe('8')
    p.feed(bytes('data: a\n\nid: 9\ndata: b\n\n'))
    expect(events()).toEqual([
      { kind: 'event', type: 'message', data: 'a', id: '8' },
      { kind: 'event', type: 'message', data: 'b', id: '9' },
    ])
    expect(p.lastEventId).toBe('9')
  })
})

describe('SSE parser: retry', () => {
  it('accepts only ASCII digits', () => {
    const retries = parse('retry: 1500\n\nretry: 1.5\n\nretry: -1\n\nretry: 12a\n\nretry:  5\n\nretry: \n\nretry: ٣\n\nretry:0\n\n').filter((s) => s.kind === 'retry')
    expect(retries).toEqual([
      { kind: 'retry', ms: 1500 },
      { kind: 'retry', ms: 0 },
    ])
  })

  it('takes effect when the field is read, and marks the event of the block that set it', () => {
    expect(parse('retry: 10\ndata: a\n\ndata: b\n\n')).toEqual([
      { kind: 'retry', ms: 10 },
      { kind: 'event', type: 'message', data: 'a', id: '', retry: 10 },
      { kind: 'event', type: 'message', data: 'b', id: '' },
    ])
  })

  it('keeps an absurdly long value representable', () => {
    expect(parse('retry: 99999999999999999999999\n').filter((s) => s.kind === 'retry')).toEqual([{ kind: 'retry', ms: Number.MAX_SAFE_INTEGER }])
  })
})

describe('SSE parser: UTF-8 and the BOM', () => {
  it('decodes UTF-8 split inside a character', () => {
    const stream = bytes('data: é€😀\n\n')
    for (let cut = 1; cut < stream.length; cut++) {
      const { p, events } = parser()
      p.feed(stream.subarray(0, cut))
      p.feed(stream.subarray(cut))
      expect(events().map((e) => e.kind === 'event' && e.data)).toEqual(['é€😀'])
    }
  })

  it('replaces invalid UTF-8 as a decoder of the whole stream would', () => {
    const stream = Buffer.concat([bytes('data: a'), Buffer.from([0xe2, 0x82]), bytes('\ndata: '), Buffer.from([0xff, 0xc0, 0xaf]), bytes('b\n\n')])
    expect(eventsOf(stream).map((e) => e.kind === 'event' && e.data)).toEqual([new TextDecoder().decode(Buffer.from([0x61, 0xe2, 0x82, 0x0a, 0xff, 0xc0, 0xaf, 0x62]))])
  })

  it('strips one leading BOM, also when it comes one byte at a time', () => {
    const stream = bytes('\ufeffdata: a\n\n')
    const { p, events } = parser()
    for (const byte of stream) p.feed(Buffer.from([byte]))
    expect(events().map((e) => e.kind === 'event' && e.data)).toEqual(['a'])
  })

  it('strips only the first BOM: a second one is part of the field name', () => {
    expect(eventsOf('\ufeff\ufeffdata: a\n\ndata: b\n\n').map((e) => e.kind === 'event' && e.data)).toEqual(['b'])
  })

  it('does not strip a BOM later in the stream', () => {
    expect(eventsOf('data: a\n\n\ufeffdata: b\n\n').map((e) => e.kind === 'event' && e.data)).toEqual(['a'])
  })

  it('keeps bytes that only begin like a BOM', () => {
    const stream = Buffer.concat([Buffer.from([0xef, 0xbb]), bytes('data: x\n\ndata: y\n\n')])
    const { p, events } = parser()
    p.feed(stream.subarray(0, 1))
    p.feed(stream.subarray(1, 2))
    p.feed(stream.subarray(2))
    // The two bytes decode to one U+FFFD glued to the field name, so only the second event counts.
    expect(events().map((e) => e.kind === 'event' && e.data)).toEqual(['y'])
  })
})

describe('SSE parser: limits', () => {
  it('fails a line longer than the limit, then ignores all further input', () => {
    const { p, seen } = parser({ maxBytes: 16 })
    p.feed(bytes('data: 0123456789'))
    p.feed(bytes('abcdef\n\ndata: later\n\n'))
    expect(seen).toEqual([{ kind: 'too-big', what: 'line', bytes: 22 }])
  })

  it('fails an event whose data lines add up past the limit', () => {
    const seen = parse('data: 0123456789\ndata: 0123456789\n\n', { maxBytes: 16 })
    expect(seen).toEqual([{ kind: 'too-big', what: 'event', bytes: 21 }])
  })

  it('accepts a line of exactly the limit', () => {
    expect(eventsOf('data: 0123456789\n\n', { maxBytes: 16 }).length).toBe(1)
  })

  it('fails a line over the limit alike whether it arrives whole or cut, whatever its field', () => {
    // 17 bytes each: one over the limit. A data line whose value alone is within it counts whole too.
    for (const line of [': 0123456789abcde', 'event: 0123456789', 'id: 0123456789abc', 'other: 0123456789', 'data: 0123456789a']) {
      const stream = `data: before\n\n${line}\n\ndata: after\n\n`
      const whole = parse(stream, { maxBytes: 16 })
      expect(whole, line).toEqual([{ kind: 'event', type: 'message', data: 'before', id: '' }, { kind: 'too-big', what: 'line', bytes: 17 }])
      for (let cut = 1; cut < stream.length; cut++) {
        const { p, seen } = parser({ maxBytes: 16 })
        p.feed(bytes(stream.slice(0, cut)))
        p.feed(bytes(stream.slice(cut)))
        p.end()
        // Cut inside the line, the parser stops as soon as what it holds passes the limit: the count says so far.
        expect(seen.map((s) => (s.kind === 'too-big' ? { ...s, bytes: 17 } : s)), `${line} cut at ${cut}`).toEqual(whole)
      }
    }
  })

  it('bounds a line that never ends even when it arrives in small pieces', () => {
    const { p, seen } = parser({ maxBytes: 100 })
    for (let i = 0; i < 1000 && seen.length === 0; i++) p.feed(bytes('xxxxxxxxxx'))
    expect(seen).toEqual([{ kind: 'too-big', what: 'line', bytes: 110 }])
  })
})

describe('SSE parser: every split point', () => {
  // One stream with most of the hard cases: BOM, all line ends, CRLF and UTF-8 that a
  // split can cut, comments, ids, a NUL id, retry, a block without data, an empty id.
  const tricky = Buffer.concat([
    bytes('\ufeff: hello\r\nretry: 250\r\nevent: a\rdata: é€\rdata\r\n\r\n'),
    bytes('id: 1\ndata: 😀x\n\nid: 2\u0000\ndata: y\r\rid: 3\n\n'),
    bytes(':c\r\ndata:  z\r\nid\r\n\r\ndata: last\rcut'),
  ])
  const whole = parse(tricky)

  it('gives the expected result in one piece', () => {
    expect(whole).toEqual([
      { kind: 'comment', text: 'hello' },
      { kind: 'retry', ms: 250 },
      { kind: 'event', type: 'a', data: 'é€\n', id: '', retry: 250 },
      { kind: 'event', type: 'message', data: '😀x', id: '1' },
      { kind: 'event', type: 'message', data: 'y', id: '1' },
      { kind: 'comment', text: 'c' },
      { kind: 'event', type: 'message', data: ' z', id: '' },
    ])
  })

  it('gives the same result split in two at every byte offset', () => {
    for (let cut = 0; cut <= tricky.length; cut++) {
      const { p, seen } = parser()
      p.feed(tricky.subarray(0, cut))
      p.feed(tricky.subarray(cut))
      p.end()
      expect(seen, `split at ${cut}`).toEqual(whole)
    }
  })

  it('gives the same result one byte at a time, and in three pieces at every pair of offsets', () => {
    const { p, seen } = parser()
    for (const byte of tricky) p.feed(Buffer.from([byte]))
    p.end()
    expect(seen).toEqual(whole)
    for (let a = 0; a <= tricky.length; a += 3) {
      for (let b = a; b <= tricky.length; b += 2) {
        const three = parser()
        three.p.feed(tricky.subarray(0, a))
        three.p.feed(tricky.subarray(a, b))
        three.p.feed(tricky.subarray(b))
        three.p.end()
        expect(three.seen, `split at ${a} and ${b}`).toEqual(whole)
      }
    }
  })
})

describe('SSE parser: events handed on undecoded, as runs of offsets', () => {
  // The technique takes events as runs (offsets into a chunk, decoded when shown);
  // what they decode to must be exactly what the plain path reports.
  const ascii = bytes(': hi\r\nretry: 9\r\nevent: a\rdata: x\rdata\r\n\r\nid: 1\ndata: yy\n\nid: 2\u0000\ndata: z\r\rid: 3\n\n:c\r\ndata:  w\r\nid\r\n\r\nevent: t\ndata: named\n\ndata: last\rcut')
  const mixed = bytes('data: é\n\ndata: plain ascii here\n\nid: ü\ndata: x\n\nevent: ß\ndata: y\n\n')

  /** A parser with the `events` handler, its runs expanded in place. */
  function runParser() {
    const { seen } = parser()
    let fromRuns = 0
    const p = new SseParser(
      {
        event: (type, data, id, retry) => seen.push({ kind: 'event', type, data, id, ...(retry !== undefined ? { retry } : {}) }),
        events: (run) => {
          for (let i = 0; i < run.count; i++) seen.push({ kind: 'event', type: run.type(i), data: run.data(i), id: run.lastEventId(i) })
          fromRuns += run.count
        },
        comment: (text) => seen.push({ kind: 'comment', text }),
        retry: (ms) => seen.push({ kind: 'retry', ms }),
        tooBig: (what, bytes) => seen.push({ kind: 'too-big', what, bytes }),
      },
      { maxBytes: 1 << 20 },
    )
    return { p, seen, fromRuns: () => fromRuns }
  }

  it.each([
    ['an ASCII stream', ascii],
    ['a stream with non-ASCII values', mixed],
  ])('gives the same events as the plain path for %s split at every offset', (_name, stream) => {
    const whole = parse(stream)
    expect(whole.filter((s) => s.kind === 'event').length).toBeGreaterThan(3)
    for (let cut = 0; cut <= stream.length; cut++) {
      const { p, seen } = runParser()
      p.feed(stream.subarray(0, cut))
      p.feed(stream.subarray(cut))
      p.end()
      expect(seen, `split at ${cut}`).toEqual(whole)
    }
    const { p, seen, fromRuns } = runParser()
    p.feed(stream)
    p.end()
    expect(seen).toEqual(whole)
    expect(fromRuns()).toBeGreaterThanOrEqual(3)
  })

  it('gives each event of a run the last event ID as it was at that event, also one set in an earlier chunk', () => {
    const { p, seen, fromRuns } = runParser()
    p.feed(bytes('id: a\ndata: 1\n\nid'))
    p.feed(bytes(': b\ndata: 2\n\ndata: 3\n\nid: c\ndata: 4\n\ndata: 5\n\n'))
    p.end()
    expect(seen.map((s) => s.kind === 'event' && `${s.data}@${s.id}`)).toEqual(['1@a', '2@b', '3@b', '4@c', '5@c'])
    expect(fromRuns()).toBe(5)
    expect(p.lastEventId).toBe('c')
  })
})
