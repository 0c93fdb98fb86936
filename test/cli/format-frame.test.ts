// The human rendering of frames: one line each, in the wscat style, and safe to print
// whatever a server sends.
import { describe, expect, it } from 'vitest'
import { PROTOCOL_CHOICES as CONTRACT_PROTOCOLS, TECHNIQUES, type Frame } from '../../main/contract/index.js'
import { formatFrame, printable, shouldColor } from '../../main/cli/format-frame.js'
import { oneLine } from '../../main/cli/errors.js'
import { TECHNIQUE_CHOICES } from '../../main/cli/index.js'
import { PROTOCOL_CHOICES } from '../../main/cli/connect-options.js'
import { explainUrlProblem, parseHeader } from '../../main/cli/connect-spec.js'

const at = { seq: 1, time: 0 }
const plain = (frame: Frame) => formatFrame(frame, { color: false })

describe('formatFrame', () => {
  it('marks sent messages with > and received ones with <', () => {
    expect(plain({ ...at, direction: 'out', kind: 'message', data: 'hello', size: 5 })).toBe('> hello')
    expect(plain({ ...at, direction: 'in', kind: 'message', data: 'hello', size: 5 })).toBe('< hello')
  })

  it('shows binary messages as their size and leading bytes in hex', () => {
    const line = plain({ ...at, direction: 'in', kind: 'message', dataBase64: Buffer.from([1, 2, 255]).toString('base64'), binary: true, size: 3 })
    expect(line).toBe('< [binary, 3 bytes] 01 02 ff')
  })

  it('escapes line breaks and terminal control sequences a server could send', () => {
    const line = plain({ ...at, direction: 'in', kind: 'message', data: 'a\nb\u001b[2Jc\u202e', size: 9 })
    expect(line).toBe('< a\\nb\\u001b[2Jc\\u202e')
    expect(printable('tab\there')).toBe('tab\there')
  })

  it('explains a close: code, meaning, reason, cause', () => {
    const close = { ...at, direction: 'system', kind: 'close', code: 1000, reason: 'bye', wasClean: true, idleMs: 5, bytesIn: 1, bytesOut: 1, cause: 'remote-close' } as const
    expect(plain(close)).toBe('✕ close 1000 (normal closure) "bye" cause=remote-close')
    expect(plain({ ...close, code: 1006, reason: '', wasClean: false, cause: 'fin', idleMs: 60_000.4 })).toBe(
      '✕ close 1006 (abnormal closure: the connection dropped without a close frame) cause=fin idle=60000ms',
    )
  })

  it('shows system frames in words', () => {
    expect(plain({ ...at, direction: 'system', kind: 'open', protocol: 'chat', extensions: '' })).toBe('● open protocol=chat')
    expect(plain({ ...at, direction: 'system', kind: 'error', code: 'E_CONNECT_REFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' })).toBe(
      '! error E_CONNECT_REFUSED connect ECONNREFUSED 127.0.0.1:9',
    )
    expect(plain({ ...at, direction: 'system', kind: 'connecting', url: 'ws://h/', attempt: 2 })).toBe('● connecting ws://h/ (attempt 2)')
  })

  it('shows the handshake answer with its status, key headers and the start of a refusal body', () => {
    const line = plain({
      ...at,
      direction: 'in',
      kind: 'response',
      status: 403,
      statusText: 'Forbidden',
      headers: { 'Content-Type': 'text/plain', Via: '1.1 squid', 'X-Other': 'no' },
      httpVersion: '1.1',
      durationMs: 12.3,
      body: 'denied\n',
    })
    expect(line).toBe('← 403 Forbidden  HTTP/1.1  12 ms  Content-Type: text/plain  Via: 1.1 squid  body: "denied\\n"')
  })

  it('shows SSE events as "< [type #id] data", comments as ": text", chunks by size only', () => {
    expect(plain({ ...at, direction: 'in', kind: 'event', event: 'tick', data: '{"n":1}', id: '42' })).toBe('< [tick #42] {"n":1}')
    expect(plain({ ...at, direction: 'in', kind: 'event', event: 'message', data: 'a\nb', id: '', retry: 2000 })).toBe('< [message] a\\nb  retry=2000')
    expect(plain({ ...at, direction: 'in', kind: 'comment', text: 'heartbeat' })).toBe(': heartbeat')
    expect(plain({ ...at, direction: 'in', kind: 'chunk', data: 'data: x\n\n', size: 9 })).toBe('< chunk 9 bytes')
  })

  it('says when a reconnect comes, and with which Last-Event-ID', () => {
    expect(plain({ ...at, direction: 'system', kind: 'reconnect', attempt: 3, delayMs: 2000, lastEventId: '42' })).toBe('↻ reconnect #3 in 2.0 s (Last-Event-ID: 42)')
    expect(plain({ ...at, direction: 'system', kind: 'reconnect', attempt: 2, delayMs: 250 })).toBe('↻ reconnect #2 in 0.3 s')
  })

  it('shows a finding with its id and summary', () => {
    expect(plain({ ...at, direction: 'system', kind: 'finding', id: 'tls-verification-off', severity: 'warning', summary: 'certificates are not checked', evidence: [], remedy: '' })).toBe('⚠ finding tls-verification-off: certificates are not checked')
  })

  it('shows how sure a finding is and the hop it names', () => {
    const finding = { ...at, direction: 'system', kind: 'finding', id: 'idle-timeout', severity: 'warning', summary: 'cut after 3 s of silence', evidence: [] as string[], remedy: 'send a heartbeat', confidence: 'likely', intermediary: 'nginx/1.22.1' } as const
    expect(plain(finding)).toBe('⚠ finding idle-timeout (likely, nginx/1.22.1): cut after 3 s of silence — send a heartbeat')
  })

  it('marks unchanged answers and answers from the proxy itself', () => {
    const response = { ...at, direction: 'in', kind: 'response', headers: {}, httpVersion: '1.1', durationMs: 3 } as const
    expect(plain({ ...response, status: 304, unchanged: true })).toBe('← 304 (unchanged)  HTTP/1.1  3 ms')
    expect(plain({ ...response, status: 403, statusText: 'Forbidden', from: 'proxy', headers: { Via: 'squid' } })).toBe('← 403 Forbidden from proxy  HTTP/1.1  3 ms  Via: squid')
  })

  it('tells an HTTP end (no close code) in words', () => {
    const close = { ...at, direction: 'system', kind: 'close', code: 0, reason: 'body ended', wasClean: true, idleMs: 5, bytesIn: 1, bytesOut: 0, cause: 'remote-close' } as const
    expect(plain(close)).toBe('✕ close "body ended" cause=remote-close')
    expect(plain({ ...close, reason: 'incomplete chunked body', wasClean: false, cause: 'fin', idleMs: 61_000 })).toBe('✕ close "incomplete chunked body" cause=fin idle=61000ms')
  })

  it('colours only when asked, and dims system frames', () => {
    const open = { ...at, direction: 'system', kind: 'open', protocol: '' } as const
    expect(formatFrame(open, { color: true })).toBe('\u001b[2m● open\u001b[22m')
  })
})

describe('formatFrame with decoded packets', () => {
  const base = { seq: 3, time: 1_700_000_000_000 }
  it('reads a protocol frame as the protocol: one line per packet, what the protocol sent itself dimmed', () => {
    const event: Frame = { ...base, kind: 'message', direction: 'in', data: '42["tick",{"n":1}]', size: 18, decoded: { protocol: 'socket.io', type: 'EVENT', namespace: '/', event: 'tick', args: [{ n: 1 }] } }
    expect(formatFrame(event, { color: false })).toBe('< event tick {"n":1}')
    const emit: Frame = { ...base, kind: 'message', direction: 'out', data: '423["chat","hi"]', size: 16, decoded: { protocol: 'socket.io', type: 'EVENT', namespace: '/', event: 'chat', args: ['hi'], ackId: 3 } }
    expect(formatFrame(emit, { color: false })).toBe('> emit chat ["hi"] (ack #3)')
    const ack: Frame = { ...base, kind: 'message', direction: 'in', data: '433["ok"]', size: 9, decoded: { protocol: 'socket.io', type: 'ACK', namespace: '/', ackId: 3, args: ['ok'], ackOf: 2, rttMs: 4.2 } }
    expect(formatFrame(ack, { color: false })).toBe('< ack #3 ["ok"] 4 ms')
    const next: Frame = { ...base, kind: 'message', direction: 'in', data: '{}', size: 2, decoded: { protocol: 'graphql-transport-ws', type: 'next', id: '1', payload: { data: { n: 1 } } } }
    expect(formatFrame(next, { color: false })).toBe('< next #1 {"data":{"n":1}}')
    const pong: Frame = { ...base, kind: 'message', direction: 'out', data: '3', size: 1, auto: true, decoded: { protocol: 'engine.io', type: 'pong' } }
    expect(formatFrame(pong, { color: false })).toBe('> engine.io pong')
    expect(formatFrame(pong, { color: true })).toMatch(/^\u001b\[2m.*engine\.io pong\u001b\[22m$/)
  })

  it('shows a packet that did not decode with its error, and every packet of a payload', () => {
    const bad: Frame = { ...base, kind: 'message', direction: 'in', data: '4x', size: 2, decoded: [{ protocol: 'engine.io', type: 'ping' }, { protocol: 'socket.io', type: 'invalid', error: 'unknown packet type x' }] }
    expect(formatFrame(bad, { color: false }).split('\n')).toEqual(['< engine.io ping', '< socket.io invalid: unknown packet type x'])
  })
})

describe('shouldColor', () => {
  it('colours a terminal unless NO_COLOR is set', () => {
    expect(shouldColor({ isTTY: true }, {})).toBe(true)
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(shouldColor({ isTTY: false }, {})).toBe(false)
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true)
  })
})

describe('command-line parsing helpers', () => {
  it('offers exactly the contract techniques', () => {
    expect([...TECHNIQUE_CHOICES]).toEqual([...TECHNIQUES])
  })

  it('offers exactly the contract protocols', () => {
    expect([...PROTOCOL_CHOICES]).toEqual([...CONTRACT_PROTOCOLS])
  })

  it('reads "Name: value" headers, keeping colons in the value', () => {
    expect(parseHeader('Authorization: Bearer a:b')).toEqual({ name: 'Authorization', value: 'Bearer a:b' })
    expect(parseHeader('X-Empty:')).toEqual({ name: 'X-Empty', value: '' })
    expect(() => parseHeader(': v')).toThrow('is not of the form "Name: value"')
  })

  it('says what is wrong with a URL and guesses what was meant', () => {
    expect(explainUrlProblem('ws://h/', 'websocket')).toBeUndefined()
    expect(explainUrlProblem('htp://x', 'websocket')).toBe('"htp://x" is not a valid URL for websocket (needs ws:// or wss://)')
    expect(explainUrlProblem('https://h/s', 'websocket')).toBe('"https://h/s" is not a valid URL for websocket (needs ws:// or wss://; did you mean "wss://h/s"?)')
    expect(explainUrlProblem('localhost:8080', 'websocket')).toContain('did you mean "ws://localhost:8080"?')
    expect(explainUrlProblem('ws://h/', 'sse')).toContain('did you mean "http://h/"?')
  })

  it('keeps error messages on one line without control characters', () => {
    expect(oneLine('unknown option\n(Did you mean --json?)\n')).toBe('unknown option (Did you mean --json?)')
    expect(oneLine('bad\u001b[31m red')).toBe('bad[31m red')
  })
})
