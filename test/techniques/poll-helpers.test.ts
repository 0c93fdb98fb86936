// The pure parts of the polling techniques: dot paths, what a message is, and
// where a cursor comes from.
import { describe, expect, it } from 'vitest'
import { CursorSchema } from '../../main/contract/index.js'
import { extractMessages, parseBody } from '../../main/techniques/http-messages.js'
import { valueAtPath } from '../../main/techniques/json-path.js'
import { cursorFrom } from '../../main/techniques/poll-cursor.js'

const texts = (body: string, path: string) => {
  const bytes = Buffer.from(body)
  const { messages, problem } = extractMessages(bytes, parseBody(bytes), path)
  return { messages: messages.map((m) => (m.binary ? `binary:${m.data.length}` : m.data.toString())), problem }
}
const cursor = (options: object, headers: Record<string, string>, body = '') =>
  cursorFrom(CursorSchema.parse(options), headers, parseBody(Buffer.from(body)), 'http://example.test/feed?x=1')

describe('dot paths', () => {
  it('walks objects and array indexes, and nothing inherited', () => {
    const doc = { meta: { next: 'abc' }, pages: [{ cursor: 7 }] }
    expect(valueAtPath(doc, '')).toEqual({ found: true, value: doc })
    expect(valueAtPath(doc, 'meta.next')).toEqual({ found: true, value: 'abc' })
    expect(valueAtPath(doc, 'pages.0.cursor')).toEqual({ found: true, value: 7 })
    expect(valueAtPath(doc, 'pages.1.cursor')).toEqual({ found: false })
    expect(valueAtPath(doc, 'meta.next.length')).toEqual({ found: false })
    expect(valueAtPath(doc, '__proto__.toString')).toEqual({ found: false })
    expect(valueAtPath(doc, 'meta.constructor')).toEqual({ found: false })
  })
})

describe('messages in an answer', () => {
  it('cuts a JSON array at the path, or the whole body when it is one, into JSON texts', () => {
    expect(texts('{"messages":[{"a":1},"x",2]}', 'messages').messages).toEqual(['{"a":1}', '"x"', '2'])
    expect(texts('[{"a":1}, {"b":2}]', '').messages).toEqual(['{"a":1}', '{"b":2}'])
    expect(texts('{"messages":[]}', 'messages').messages).toEqual([])
  })

  it('keeps a body that is not an array as one message, as sent', () => {
    expect(texts('{ "state": 1 }', '').messages).toEqual(['{ "state": 1 }'])
    expect(texts('plain text', '').messages).toEqual(['plain text'])
    expect(texts('', '').messages).toEqual([])
    const binary = Buffer.from([0xff, 0xfe, 0x00])
    expect(extractMessages(binary, parseBody(binary), '').messages[0]).toMatchObject({ binary: true })
  })

  it('says why the path did not apply', () => {
    expect(texts('{"other":1}', 'messages')).toMatchObject({ messages: [], problem: expect.stringMatching(/not in the answer/) })
    expect(texts('{"messages":{"a":1}}', 'messages')).toMatchObject({ messages: ['{"a":1}'], problem: expect.stringMatching(/not an array/) })
    expect(texts('not json', 'messages')).toMatchObject({ messages: ['not json'], problem: expect.stringMatching(/not JSON/) })
  })
})

describe('the cursor', () => {
  it('comes from a header, case-insensitively', () => {
    expect(cursor({ from: 'header', name: 'X-Cursor' }, { 'x-cursor': ' 42 ' })).toEqual({ cursor: '42' })
    expect(cursor({ from: 'header', name: 'X-Cursor' }, {})).toMatchObject({ missing: expect.any(String) })
  })

  it('comes from a dot path in the JSON body, a string or a number', () => {
    expect(cursor({ from: 'json', name: 'meta.next' }, {}, '{"meta":{"next":"n-9"}}')).toEqual({ cursor: 'n-9' })
    expect(cursor({ from: 'json', name: 'cursor' }, {}, '{"cursor":12}')).toEqual({ cursor: '12' })
    expect(cursor({ from: 'json', name: 'cursor' }, {}, '{"cursor":null}')).toMatchObject({ missing: expect.any(String) })
    expect(cursor({ from: 'json', name: 'cursor' }, {}, '{"cursor":{"a":1}}')).toMatchObject({ missing: expect.stringMatching(/object, not a cursor/) })
    expect(cursor({ from: 'json', name: 'cursor' }, {}, 'nope')).toMatchObject({ missing: expect.stringMatching(/not JSON/) })
  })

  it('comes from the query parameter of a URL: Link rel="next", Location, relative or absolute', () => {
    const link = '<https://example.test/feed?page=1>; rel="prev", </feed?page=3&since=77>; rel="next"'
    expect(cursor({ from: 'query', name: 'Link', param: 'since' }, { link })).toEqual({ cursor: '77' })
    expect(cursor({ from: 'query', name: 'Location', param: 'since' }, { location: '/feed?since=5' })).toEqual({ cursor: '5' })
    expect(cursor({ from: 'query', name: 'Content-Location', param: 'since' }, { 'content-location': 'http://other.test/f?since=a%20b' })).toEqual({ cursor: 'a b' })
    expect(cursor({ from: 'query', name: 'Location', param: 'since' }, { location: '/feed' })).toMatchObject({ missing: expect.stringMatching(/no since parameter/) })
  })

  it('is nothing to look for when from is none, and a spec without a header name is refused', () => {
    expect(cursor({ from: 'none' }, { 'x-cursor': '1' })).toEqual({ none: true })
    expect(CursorSchema.safeParse({ from: 'header' }).success).toBe(false)
    expect(CursorSchema.safeParse({ from: 'json', param: '' }).success).toBe(false)
  })
})
