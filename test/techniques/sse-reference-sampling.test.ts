// The eventsource reference compares a fast stream in samples: past its byte budget
// per second it pauses, and resumes only where our parser is between events, so the
// samples never invent a difference and still find the ones a server repeats.
import { describe, expect, it } from 'vitest'
import { EventSourceReference, type ReferenceFinding } from '../../main/techniques/sse/eventsource-reference.js'
import { SseParser } from '../../main/techniques/sse/sse-parser.js'

/** Our parser and the reference fed as the SSE technique feeds them, chunk by chunk. */
function pair(compareBytesPerSecond: number) {
  const findings: ReferenceFinding[] = []
  const reference = new EventSourceReference((f) => findings.push(f), '', { compareBytesPerSecond })
  let events = 0
  const parser = new SseParser(
    {
      event: (type, data, id) => {
        events++
        reference.ourEvent(type, data, id)
      },
      events: (run) => {
        events += run.count
        if (reference.comparing) for (let i = 0; i < run.count; i++) reference.ourEvent(run.type(i), run.data(i), run.lastEventId(i))
      },
      comment: () => {},
      retry: () => {},
      tooBig: () => {},
    },
    { maxBytes: 1 << 20 },
  )
  return {
    findings,
    events: () => events,
    feed(chunk: Buffer, now: number) {
      reference.feed(chunk, now, parser.atEventBoundary, parser.lastEventId)
      parser.feed(chunk)
      reference.settle()
    },
    end: () => {
      parser.end()
      reference.end(parser.lastEventId)
    },
  }
}

/** `count` events with ids, as one string. */
function events(from: number, count: number, withIds = true): string {
  let out = ''
  for (let i = from; i < from + count; i++) out += `${withIds ? `id: ${i}\n` : ''}data: {"n":${i},"pad":"${'x'.repeat(40)}"}\n\n`
  return out
}

/** Cut a stream into pieces of `size` bytes, ignoring where events end. */
function pieces(stream: string, size: number): Buffer[] {
  const bytes = Buffer.from(stream)
  const out: Buffer[] = []
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size))
  return out
}

describe('eventsource reference: sampling a fast stream', () => {
  it('finds nothing on a healthy stream cut at arbitrary places, across many pauses and resumes', () => {
    const p = pair(2048)
    const chunks = pieces(events(0, 5000), 777)
    // 10 chunks (7.7 kB) per simulated second: over the 2 kB budget in every second.
    chunks.forEach((chunk, i) => p.feed(chunk, i * 100))
    p.end()
    expect(p.events()).toBe(5000)
    expect(p.findings).toEqual([])
  })

  it('still finds a difference the server repeats once the stream is too fast to compare whole', () => {
    const p = pair(2048)
    // An id once, then events without one: the package reports lastEventId "" for
    // them, the spec keeps "start". Only after the first seconds, which pass unpaused.
    const stream = events(0, 200) + 'id: start\ndata: first\n\n' + events(200, 3000, false)
    pieces(stream, 500).forEach((chunk, i) => p.feed(chunk, i * 50))
    p.end()
    expect(p.findings.length).toBeGreaterThan(0)
    expect(p.findings[0]!.summary).toMatch(/different id/)
    expect(p.findings[0]!.evidence.join('\n')).toMatch(/compared in samples: \d+ of its \d+ bytes/)
  })

  it('compares everything, and says nothing of samples, while the stream stays under the budget', () => {
    const p = pair(1 << 20)
    const stream = 'id: start\ndata: first\n\n' + events(0, 20, false)
    pieces(stream, 64).forEach((chunk, i) => p.feed(chunk, i))
    p.end()
    // 10 reported one by one, the other 10 counted in one more finding.
    expect(p.findings).toHaveLength(11)
    expect(p.findings.every((f) => !f.evidence.some((line) => /samples/.test(line)))).toBe(true)
  })

  it('does not compare the Last-Event-ID of a connection that ended while paused', () => {
    const p = pair(100)
    // An id-only block at the end: the package would forget it — but it is not looking.
    const stream = events(0, 50) + 'id: 999\n\n'
    pieces(stream, 400).forEach((chunk, i) => p.feed(chunk, i))
    p.end()
    expect(p.findings).toEqual([])
  })
})
