// Recording lines are byte-for-byte the JSON of the frames the session hands out:
// the hand-written encoder of the hot kinds is held to JSON.stringify here.
import { describe, expect, it } from 'vitest'
import type { FrameBody } from '../../main/contract/index.js'
import { LineBuffer } from '../../main/recording/recording-writer-lines.js'
import { messageFrame } from '../../main/frames/message-frame.js'

const text = (lines: LineBuffer) => Buffer.concat(lines.take()).toString('utf8')

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
}

const samples = [
  '',
  'hello',
  '{"seq":1,"sentAt":1795504077599.0967}',
  'quote " backslash \\ slash /',
  'controls \u0000\u0001\b\t\n\u000b\f\r\u001f\u007f',
  'unicode é ü 中文 😀 \u2028\u2029',
  'x'.repeat(256),
  'y'.repeat(257),
  '"'.repeat(300),
  'z'.repeat(5000),
  'z'.repeat(5000) + '\n',
  'é'.repeat(3000),
]

describe('recording lines', () => {
  it('writes incoming messages exactly as JSON.stringify writes the session’s frame', () => {
    const lines = new LineBuffer(1024)
    const expected: string[] = []
    const next = random(7)
    const payloads = [...samples.map((s) => Buffer.from(s)), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from([0xe2, 0x82]), Buffer.from('é').subarray(0, 1)]
    for (let i = 0; i < 200; i++) payloads.push(Buffer.from(Array.from({ length: Math.floor(next() * 300) }, () => Math.floor(next() * 256))))
    let seq = 0
    for (const data of payloads) {
      for (const binary of [false, true]) {
        const time = 1795504077599 + Math.floor(next() * 1e6) / 1000
        seq++
        lines.message(data, binary, seq, time)
        expected.push(JSON.stringify(messageFrame(data, binary, seq, time)))
      }
    }
    expect(text(lines)).toBe(expected.join('\n') + '\n')
  })

  it('finds every byte JSON escapes, wherever it sits in an otherwise plain ASCII payload', () => {
    const lines = new LineBuffer(4096)
    const expected: string[] = []
    let seq = 0
    const specials = [...Array.from({ length: 0x20 }, (_, c) => c), 0x22, 0x5c, 0x7f, 0x80, 0xc3]
    for (const special of specials) {
      for (let at = 0; at < 13; at++) {
        const data = Buffer.alloc(13, 'a')
        data[at] = special
        lines.message(data, false, ++seq, 1795504077599.5)
        expected.push(JSON.stringify(messageFrame(data, false, seq, 1795504077599.5)))
      }
    }
    expect(text(lines)).toBe(expected.join('\n') + '\n')
  })

  it('writes chunks and events exactly as the session’s frames, with and without retry', () => {
    const lines = new LineBuffer(512)
    const expected: string[] = []
    let seq = 0
    for (const s of samples) {
      const time = 1795504077599.125
      const data = Buffer.from(s)
      lines.chunk(data, s, ++seq, time)
      expected.push(JSON.stringify({ kind: 'chunk', direction: 'in', size: data.length, data: s, seq, time }))
      lines.chunk(data, undefined, ++seq, time)
      expected.push(JSON.stringify({ kind: 'chunk', direction: 'in', size: data.length, dataBase64: data.toString('base64'), binary: true, seq, time }))
      lines.event('tick', s, `id-${s.slice(0, 5)}`, undefined, ++seq, time)
      expected.push(JSON.stringify({ kind: 'event', direction: 'in', event: 'tick', data: s, id: `id-${s.slice(0, 5)}`, seq, time }))
      lines.event(s, 'd', '', 2000, ++seq, time)
      expected.push(JSON.stringify({ kind: 'event', direction: 'in', event: s, data: 'd', id: '', retry: 2000, seq, time }))
    }
    expect(text(lines)).toBe(expected.join('\n') + '\n')
  })

  it('writes any other frame as its body then seq and time', () => {
    const lines = new LineBuffer()
    const body: FrameBody = { kind: 'close', direction: 'system', code: 1000, reason: 'bye "now"', wasClean: true, idleMs: 3.137939453125, bytesIn: 10, bytesOut: 2, cause: 'remote-close' }
    lines.body(body, 9, 1795504077599.5)
    expect(text(lines)).toBe(JSON.stringify({ ...body, seq: 9, time: 1795504077599.5 }) + '\n')
  })

  it('writes times as JSON.stringify does, digits for whole microseconds and the general form otherwise', () => {
    const next = random(11)
    const times = [0, 0.001, 0.5, 1, 12.25, 1795504077599, 1795504077599.001, 1795504077599.01, 1795504077599.1, 8999999999999.998, 9e12, 1e13 + 0.5, 1795504077599.0967, 1795504077599.1235]
    for (let i = 0; i < 2000; i++) times.push(Math.round((1.7e12 + next() * 2e11) * 1000) / 1000)
    for (let i = 0; i < 200; i++) times.push(1.7e12 + next() * 2e11)
    const lines = new LineBuffer()
    times.forEach((time, i) => lines.message(Buffer.from('m'), false, i + 1, time))
    expect(text(lines)).toBe(times.map((time, i) => JSON.stringify(messageFrame(Buffer.from('m'), false, i + 1, time))).join('\n') + '\n')
  })

  it('redacts the secrets a request repeats, and only those', () => {
    const lines = new LineBuffer()
    lines.body({ kind: 'request', direction: 'out', method: 'GET', url: 'wss://u:pw@h.example/x?token=abc&room=1', headers: { authorization: 'Bearer abc', 'x-api-key': 'k', accept: '*/*' } }, 1, 1)
    lines.body({ kind: 'response', direction: 'in', status: 200, headers: { 'set-cookie': ['a=1', 'b=2'], server: 'nginx' }, httpVersion: '1.1', durationMs: 1 }, 2, 2)
    const [request, response] = text(lines).trim().split('\n').map((l) => JSON.parse(l))
    expect(request.url).toBe('wss://u:%5Bredacted%5D@h.example/x?token=%5Bredacted%5D&room=1')
    expect(request.headers).toEqual({ authorization: '[redacted]', 'x-api-key': '[redacted]', accept: '*/*' })
    expect(response.headers).toEqual({ 'set-cookie': '[redacted]', server: 'nginx' })
  })
})
