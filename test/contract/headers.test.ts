// How a header reads everywhere (techniques, recordings, HAR, the mock server): the
// rules of HTTP, not each caller's own.
import { describe, expect, it } from 'vitest'
import { headerList, headerValue } from '../../main/contract/headers.js'

describe('headerValue', () => {
  it('matches a name in any case, from either side', () => {
    expect(headerValue({ 'Content-Type': 'text/event-stream' }, 'content-type')).toBe('text/event-stream')
    expect(headerValue({ 'content-type': 'text/plain' }, 'Content-Type')).toBe('text/plain')
    expect(headerValue([{ name: 'ETag', value: '"v1"' }], 'etag')).toBe('"v1"')
  })

  it('joins the lines of a repeated field with ", " in the order received (RFC 9110 §5.3)', () => {
    expect(headerValue({ 'content-encoding': ['gzip', 'br'] }, 'content-encoding')).toBe('gzip, br')
    expect(headerValue({ Via: '1.1 a', via: '1.1 b' }, 'via')).toBe('1.1 a, 1.1 b')
    expect(headerValue([{ name: 'Link', value: '<a>; rel="next"' }, { name: 'link', value: '<b>; rel="last"' }], 'link')).toBe('<a>; rel="next", <b>; rel="last"')
  })

  it('never joins Set-Cookie: its first line, every line through headerList', () => {
    const headers = { 'set-cookie': ['a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT', 'b=2'] }
    expect(headerValue(headers, 'Set-Cookie')).toBe('a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT')
    expect(headerList(headers, 'set-cookie')).toEqual(['a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT', 'b=2'])
  })

  it('is undefined for a header not sent, and an empty line stays an empty value', () => {
    expect(headerValue({ a: 'x', b: undefined }, 'b')).toBeUndefined()
    expect(headerValue({}, 'location')).toBeUndefined()
    expect(headerList([], 'location')).toEqual([])
    expect(headerValue({ 'x-empty': '' }, 'x-empty')).toBe('')
  })
})
