// The frames a tab keeps: bounded by count and by the text they hold, oldest first out.
import { describe, expect, it } from 'vitest'
import type { Frame } from '@contract'
import { FrameWindow } from '../../renderer/src/stores/frame-window'

function message(seq: number, data: string): Frame {
  return { seq, time: 1000 + seq, kind: 'message', direction: 'in', data, size: data.length } as Frame
}

describe('FrameWindow', () => {
  it('keeps the newest frames up to its cap and counts the ones it let go', () => {
    const held = new FrameWindow(100)
    for (let seq = 1; seq <= 1000; seq++) held.append([message(seq, 'x')], 0, seq)
    expect(held.length).toBe(100)
    expect(held.dropped).toBe(900)
    expect(held.get(0)!.seq).toBe(901)
    expect(held.last()!.seq).toBe(1000)
    expect(held.indexOfSeq(950)).toBe(49)
    expect(held.base).toBe(900)
  })

  it('lets the oldest go when the text held passes its budget, whatever the count', () => {
    // 10 frames of about 1 kB text fit a 10.7 kB budget; the 11th pushes the first out.
    const held = new FrameWindow(1_000_000, 10 * (1000 + 64) + 100)
    for (let seq = 1; seq <= 10; seq++) held.append([message(seq, 'y'.repeat(1000))], 0, seq)
    expect(held.length).toBe(10)
    held.append([message(11, 'y'.repeat(1000))], 0, 11)
    expect(held.length).toBe(10)
    expect(held.get(0)!.seq).toBe(2)
    // One huge frame stays on its own rather than leaving the view empty.
    held.append([message(12, 'z'.repeat(100_000))], 0, 12)
    expect(held.length).toBe(1)
    expect(held.last()!.seq).toBe(12)
    expect(held.dropped).toBe(11)
  })

  it('counts binary payloads and HTTP bodies against the text budget too', () => {
    // Bytes arrive as base64 in dataBase64 (messages, chunks) or bodyBase64 (HTTP answers).
    const binary = (seq: number): Frame => ({ seq, time: 1000 + seq, kind: 'message', direction: 'in', binary: true, dataBase64: 'A'.repeat(1000), size: 750 }) as Frame
    const answer = (seq: number): Frame => ({ seq, time: 1000 + seq, kind: 'response', direction: 'in', status: 200, headers: {}, httpVersion: '1.1', durationMs: 5, bodyBase64: 'B'.repeat(1000) }) as Frame
    const held = new FrameWindow(1_000_000, 4 * (1000 + 64) + 100)
    held.append([binary(1), answer(2), binary(3), answer(4)], 0, 4)
    expect(held.length).toBe(4)
    held.append([binary(5)], 0, 5)
    expect(held.length).toBe(4)
    expect(held.get(0)!.seq).toBe(2)
    held.append([answer(6)], 0, 6)
    expect(held.get(0)!.seq).toBe(3)
    expect(held.dropped).toBe(2)
  })

  it('finds frames by time after many drops and compactions', () => {
    const held = new FrameWindow(1000)
    for (let seq = 1; seq <= 5000; seq += 10) held.append(Array.from({ length: 10 }, (_, i) => message(seq + i, 'a')), 0, seq + 9)
    expect(held.length).toBe(1000)
    expect(held.get(held.indexAtOrAfterTime(1000 + 4500))!.seq).toBe(4500)
    expect(held.indexAtOrAfterTime(0)).toBe(0)
  })
})
