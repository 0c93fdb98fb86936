// The framers as units: the messages they find, and that they find the same ones
// however the bytes are cut — at every single offset, and one byte at a time.
import { describe, expect, it } from 'vitest'
import { decodeDelimiter } from '../../main/techniques/framing/delimiter-escapes.js'
import { DelimiterFramer } from '../../main/techniques/framing/delimiter-framer.js'
import type { Framer } from '../../main/techniques/framing/framer.js'
import { NdjsonFramer } from '../../main/techniques/framing/ndjson-framer.js'
import { callArgument, ScriptFramer } from '../../main/techniques/framing/script-framer.js'

interface Outcome {
  messages: string[]
  leftover: number
}

function feed(framer: Framer, pieces: Buffer[]): Outcome {
  const messages: string[] = []
  for (const piece of pieces) for (const message of framer.push(piece)) messages.push(message.toString('latin1'))
  return { messages, leftover: framer.end().leftover }
}

/** The same input cut at every offset, and byte by byte, must frame identically. */
function expectSplitProof(make: () => Framer, input: Buffer, expected: Outcome): void {
  expect(feed(make(), [input])).toEqual(expected)
  for (let at = 0; at <= input.length; at++) {
    expect(feed(make(), [input.subarray(0, at), input.subarray(at)]), `cut at ${at}`).toEqual(expected)
  }
  expect(feed(make(), [...input].map((byte) => Buffer.from([byte]))), 'one byte at a time').toEqual(expected)
}

// Messages compared as latin1 so that a message's exact bytes are what is compared.
const bytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1')

describe('NDJSON framer', () => {
  it('gives one message per line, drops the CR of CRLF, skips blank lines, keeps non-JSON lines', () => {
    const input = Buffer.from('{"a":1}\r\n\n   \r\n{"text":"Grüße € 😀"}\nnot json\n[1,2]\n')
    expectSplitProof(() => new NdjsonFramer(), input, { messages: ['{"a":1}', bytes('{"text":"Grüße € 😀"}'), 'not json', '[1,2]'], leftover: 0 })
  })

  it('reports an unfinished last line as leftover, but not trailing whitespace', () => {
    expectSplitProof(() => new NdjsonFramer(), Buffer.from('{"a":1}\n{"b":'), { messages: ['{"a":1}'], leftover: 5 })
    expectSplitProof(() => new NdjsonFramer(), Buffer.from('{"a":1}\n \r'), { messages: ['{"a":1}'], leftover: 0 })
  })

  it('holds only the unfinished line', () => {
    const framer = new NdjsonFramer()
    framer.push(Buffer.from('{"a":1}\n{"b"'))
    expect(framer.buffered).toBe(4)
  })
})

describe('delimiter framer', () => {
  it.each([
    ['a one-byte delimiter (\\x1e)', '\x1e', 'one\x1etwo\x1e\x1ethree\x1e', ['one', 'two', '', 'three'], 0],
    ['a multi-byte delimiter', '<|>', 'a<|>b<|<|>c<|><|>d', ['a', 'b<|', 'c', ''], 1],
    ['a self-overlapping delimiter', 'aa', 'xaaayaaaaz', ['x', 'ay', ''], 1],
    ['CRLF CRLF', '\r\n\r\n', 'h: 1\r\n\r\nbody\r\n\r\n\r\ntail', ['h: 1', 'body'], 6],
  ])('%s, cut anywhere', (_name, delimiter, input, messages, leftover) => {
    // The plain way of splitting the whole input agrees.
    const whole = input.split(delimiter)
    expect({ messages: whole.slice(0, -1), leftover: whole.at(-1)!.length }).toEqual({ messages, leftover })
    const expected = { messages, leftover }
    expectSplitProof(() => new DelimiterFramer(Buffer.from(delimiter, 'latin1')), Buffer.from(input, 'latin1'), expected)
  })

  it('finds a multi-byte UTF-8 delimiter split inside its character', () => {
    const input = Buffer.from('eins€zwei€drei')
    expectSplitProof(() => new DelimiterFramer(Buffer.from('€')), input, { messages: ['eins', 'zwei'], leftover: 4 })
  })

  it('returns views of the chunk for messages inside it, and copies only what spans chunks', () => {
    const framer = new DelimiterFramer(Buffer.from('\n'))
    const chunk = Buffer.from('ab\ncd\nef')
    const [first, second] = framer.push(chunk)
    expect(first!.buffer).toBe(chunk.buffer)
    expect(second!.toString()).toBe('cd')
    expect(framer.spanning).toBe(0)
    const next = Buffer.from('gh\nij\n')
    const [spanning, inside] = framer.push(next)
    expect(spanning!.toString()).toBe('efgh')
    expect(inside!.buffer).toBe(next.buffer)
    expect(framer.spanning).toBe(1)
  })

  it('knows whether it cuts only at ASCII bytes (so valid UTF-8 stays valid)', () => {
    expect(new DelimiterFramer(Buffer.from('\x1e')).cutsAtAscii).toBe(true)
    expect(new DelimiterFramer(Buffer.from('€')).cutsAtAscii).toBe(false)
    expect(new ScriptFramer().cutsAtAscii).toBe(false)
  })

  it('NDJSON counts a spanning line only when it is kept', () => {
    const framer = new NdjsonFramer()
    framer.push(Buffer.from('  '))
    expect(framer.push(Buffer.from('\n{"a":1}\n')).map(String)).toEqual(['{"a":1}'])
    expect(framer.spanning).toBe(0)
    framer.push(Buffer.from('{"b"'))
    framer.push(Buffer.from(':2}\n{"c":3}\n'))
    expect(framer.spanning).toBe(1)
  })
})

describe('delimiter escapes', () => {
  it.each([
    ['\\n', [0x0a]],
    ['\\r\\n', [0x0d, 0x0a]],
    ['\\x1e', [0x1e]],
    ['\\xff\\x00', [0xff, 0x00]],
    ['\\u0000', [0x00]],
    ['\\u20ac', [0xe2, 0x82, 0xac]],
    ['\\u{1F600}', [0xf0, 0x9f, 0x98, 0x80]],
    ['||', [0x7c, 0x7c]],
    ['\\\\', [0x5c]],
    ['\\t\\0', [0x09, 0x00]],
    ['😀', [0xf0, 0x9f, 0x98, 0x80]],
  ])('%s is decoded', (text, expected) => {
    expect(decodeDelimiter(text)).toEqual({ ok: true, bytes: Buffer.from(expected) })
  })

  it.each(['\\q', '\\x1', '\\u12', '\\u{110000}', 'ab\\'])('%s is refused with a reason', (text) => {
    const decoded = decodeDelimiter(text)
    expect(decoded.ok).toBe(false)
    if (!decoded.ok) expect(decoded.problem.length).toBeGreaterThan(10)
  })
})

describe('script framer', () => {
  const page = [
    '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><!-- padding -->\n',
    '<script>document.domain = "example.com"</script>\n',
    '<script>parent.push({"seq":1,"text":"(x) ü"})</script>\n',
    '<SCRIPT type="text/javascript" data-note="a>b">  window.top.cb( [1, 2] ) ; </SCRIPT >\n',
    '<script src="a.js"></script><scripts>notAScript(0)</scripts>\n',
    "<script>\n  p('it\\'s ( and </scr' + 'ipt>')\n</script>",
    '<script>parent.push("<\\/script>")</script>',
    '<script>parent.push({"seq":2})</script></body></html>\n',
  ].join('')

  it('takes the argument of the first call in each script; tags, attributes, case, whitespace and a cut anywhere do not matter', () => {
    expectSplitProof(() => new ScriptFramer(), Buffer.from(page), {
      messages: [bytes('{"seq":1,"text":"(x) ü"}'), '[1, 2]', "'it\\'s ( and </scr' + 'ipt>'", '"<\\/script>"', '{"seq":2}'],
      leftover: 0,
    })
  })

  it('reports a script cut off before its end tag as leftover', () => {
    const input = Buffer.from('<html><script>parent.push(1)</script><script>parent.push({"seq"')
    expectSplitProof(() => new ScriptFramer(), input, { messages: ['1'], leftover: '<script>parent.push({"seq"'.length })
  })

  it('holds nothing while outside a script, however long the padding', () => {
    const framer = new ScriptFramer()
    framer.push(Buffer.from(`<!-- ${' '.repeat(10_000)} -->`))
    expect(framer.buffered).toBe(0)
    framer.push(Buffer.from('<script>parent.push(12'))
    expect(framer.buffered).toBe('<script>parent.push(12'.length)
  })

  it('extracts call arguments', () => {
    const arg = (text: string) => callArgument(Buffer.from(text))?.toString()
    expect(arg('parent.push({"a":"x)"})')).toBe('{"a":"x)"}')
    expect(arg('f(g(1), `)`)')).toBe('g(1), `)`')
    expect(arg('f()')).toBe('')
    expect(arg('x = 1')).toBeUndefined()
    expect(arg('f("unterminated)')).toBe('"unterminated')
  })
})
