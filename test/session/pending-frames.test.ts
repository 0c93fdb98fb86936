// The session's window of frames between two batches: a bounded ring for the data
// kinds that come in floods (only the newest are kept, the rest counted), control
// frames always kept, everything handed out in seq order, and protocol decoding paid
// only for the messages that are handed out.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import type { Decoded, Frame, FrameBody } from '../../main/contract/index.js'
import type { EventRun, LazyDecode } from '../../main/frames/sink.js'
import { PendingFrames } from '../../main/session/pending-frames.js'

const T0 = 1_795_504_077_599
const open: FrameBody = { kind: 'open', direction: 'system', protocol: '' }
const close: FrameBody = { kind: 'close', direction: 'system', code: 1000, reason: '', wasClean: true, idleMs: 0, bytesIn: 0, bytesOut: 0, cause: 'remote-close' }

function pushMessages(pending: PendingFrames, texts: string[], decode?: LazyDecode): void {
  texts.forEach((text, i) => pending.pushMessageIn(Buffer.from(text), false, T0 + i, decode))
}

const numbered = (count: number, from = 1) => Array.from({ length: count }, (_, i) => `m${from + i}`)
const dataOf = (frames: Frame[]) => frames.map((f) => ('data' in f ? f.data : undefined))

function eventRun(count: number): EventRun {
  return { count, type: () => 'tick', data: (i) => `e${i}`, lastEventId: (i) => String(i) }
}

/** A decoder that counts its calls and says which message it decoded. */
function countingDecoder() {
  const decoded: string[] = []
  const decode: LazyDecode = (data) => {
    decoded.push(data.toString())
    return { protocol: 'socket.io', type: 'event', event: data.toString() } as unknown as Decoded
  }
  return { decode, decoded }
}

describe('PendingFrames', () => {
  it('keeps only the newest messages a window can hold and counts the others as skipped', () => {
    const pending = new PendingFrames(4)
    pushMessages(pending, numbered(10))
    const batch = pending.materialise(100)
    expect(dataOf(batch.frames)).toEqual(['m7', 'm8', 'm9', 'm10'])
    expect(batch.frames.map((f) => f.seq)).toEqual([7, 8, 9, 10])
    expect(batch.skipped).toBe(6)
    expect(pending.lastSeq).toBe(10)
  })

  it('hands out fewer messages than it holds when asked, still the newest, and counts the rest', () => {
    const pending = new PendingFrames(8)
    pushMessages(pending, numbered(5))
    const batch = pending.materialise(2)
    expect(dataOf(batch.frames)).toEqual(['m4', 'm5'])
    expect(batch.skipped).toBe(3)
  })

  it('never drops a control frame, and hands everything out in seq order', () => {
    const pending = new PendingFrames(2)
    pending.pushBody(open, T0)
    pushMessages(pending, numbered(3))
    pending.pushBody({ kind: 'error', direction: 'system', code: 'E_TEST', message: 'in between' } as FrameBody, T0 + 5)
    pushMessages(pending, numbered(2, 4))
    pending.pushBody(close, T0 + 9)
    const { frames, skipped } = pending.materialise(100)
    expect(frames.map((f) => `${f.seq}:${f.kind}`)).toEqual(['1:open', '5:error', '6:message', '7:message', '8:close'])
    expect(dataOf(frames.filter((f) => f.kind === 'message'))).toEqual(['m4', 'm5'])
    expect(skipped).toBe(3)
  })

  it('makes frames of every hot kind with their fields, each at the time it was pushed', () => {
    const pending = new PendingFrames(16)
    pending.pushMessageIn(Buffer.from('hello'), false, T0)
    pending.pushMessageIn(Buffer.from([0xff, 0x00]), true, T0 + 1)
    pending.pushChunk(Buffer.from('abc'), 'abc', T0 + 2)
    pending.pushChunk(Buffer.from('é'), undefined, T0 + 3)
    pending.pushChunk(Buffer.from([0xc3]), undefined, T0 + 4)
    pending.pushEvent('tick', '1', 'id-1', undefined, T0 + 5)
    pending.pushEvent('tick', '2', 'id-2', 3000, T0 + 6)
    pending.pushEventRun(eventRun(2), T0 + 7)
    const { frames } = pending.materialise(100)
    expect(frames).toEqual([
      { kind: 'message', direction: 'in', data: 'hello', size: 5, seq: 1, time: T0 },
      { kind: 'message', direction: 'in', dataBase64: '/wA=', binary: true, size: 2, seq: 2, time: T0 + 1 },
      { kind: 'chunk', direction: 'in', size: 3, data: 'abc', seq: 3, time: T0 + 2 },
      { kind: 'chunk', direction: 'in', size: 2, data: 'é', seq: 4, time: T0 + 3 },
      { kind: 'chunk', direction: 'in', size: 1, dataBase64: 'ww==', binary: true, seq: 5, time: T0 + 4 },
      { kind: 'event', direction: 'in', event: 'tick', data: '1', id: 'id-1', seq: 6, time: T0 + 5 },
      { kind: 'event', direction: 'in', event: 'tick', data: '2', id: 'id-2', retry: 3000, seq: 7, time: T0 + 6 },
      { kind: 'event', direction: 'in', event: 'tick', data: 'e0', id: '0', seq: 8, time: T0 + 7 },
      { kind: 'event', direction: 'in', event: 'tick', data: 'e1', id: '1', seq: 9, time: T0 + 7 },
    ])
  })

  it('gives a run of events longer than the ring seqs for all of them and keeps the newest', () => {
    const pending = new PendingFrames(3)
    pending.pushEventRun(eventRun(10), T0)
    const { frames, skipped } = pending.materialise(100)
    expect(frames.map((f) => [f.seq, 'data' in f ? f.data : undefined])).toEqual([
      [8, 'e7'],
      [9, 'e8'],
      [10, 'e9'],
    ])
    expect(skipped).toBe(7)
    expect(pending.lastSeq).toBe(10)
  })

  it('decodes a message only when it is handed out, and never one that was dropped', () => {
    const pending = new PendingFrames(3)
    const { decode, decoded } = countingDecoder()
    pushMessages(pending, numbered(6), decode)
    expect(decoded).toEqual([])
    const { frames } = pending.materialise(2)
    expect(decoded).toEqual(['m5', 'm6'])
    expect(frames.map((f) => (f.kind === 'message' ? f.decoded : undefined))).toEqual([
      { protocol: 'socket.io', type: 'event', event: 'm5' },
      { protocol: 'socket.io', type: 'event', event: 'm6' },
    ])
  })

  it('starts each window empty after clear, with seqs going on', () => {
    const pending = new PendingFrames(4)
    pending.pushBody(open, T0)
    pushMessages(pending, numbered(3))
    pending.materialise(100)
    pending.clear()
    expect(pending.isEmpty).toBe(true)
    expect(pending.materialise(100)).toEqual({ frames: [], skipped: 0 })
    pushMessages(pending, ['next'])
    expect(pending.materialise(100).frames.map((f) => f.seq)).toEqual([5])
  })

  it('lets go of the payloads and decoders of a cleared window', async () => {
    const gc = exposedGc()
    const pending = new PendingFrames(4)
    const held = fillWeakly(pending)
    await collect(gc)
    expect(held.payload.deref()).toBeDefined()
    expect(held.decoder.deref()).toBeDefined()

    pending.clear()
    await collect(gc)
    expect(held.payload.deref()).toBeUndefined()
    expect(held.decoder.deref()).toBeUndefined()
  })

  it('reports full when control frames reach their cap, so a batch goes out', () => {
    const pending = new PendingFrames(4, 3)
    pushMessages(pending, numbered(10))
    expect(pending.isFull).toBe(false)
    for (let i = 0; i < 3; i++) pending.pushBody(open, T0)
    expect(pending.isFull).toBe(true)
  })

  it('holds more messages from the next window on when asked to', () => {
    const pending = new PendingFrames(2)
    pushMessages(pending, numbered(5))
    pending.ensureMessageCapacity(4)
    expect(pending.materialise(100).frames).toHaveLength(2)
    pending.clear()
    pushMessages(pending, numbered(5))
    expect(dataOf(pending.materialise(100).frames)).toEqual(['m2', 'm3', 'm4', 'm5'])
  })

  it('keeps the seq and time of frames stamped already and numbers on from them; reset starts over', () => {
    const pending = new PendingFrames(4)
    pending.pushStamped({ kind: 'message', direction: 'in', data: 'old', size: 3, seq: 41, time: T0 })
    pending.pushBody(close, T0 + 1)
    expect(pending.materialise(100).frames.map((f) => [f.seq, f.time])).toEqual([
      [41, T0],
      [42, T0 + 1],
    ])
    pending.reset()
    pushMessages(pending, ['again'])
    expect(pending.materialise(100).frames.map((f) => f.seq)).toEqual([1])
  })
})

/** The engine's own gc, without a flag on the test run. */
function exposedGc(): () => void {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

/** A weak reference is kept alive until the current job ends: let it end, then collect. */
async function collect(gc: () => void): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0))
  gc()
}

/** Pushes one message whose bytes and decoder only the window holds; weak references to both. */
function fillWeakly(pending: PendingFrames) {
  const payload = Buffer.from('only the window holds me')
  const decoder: LazyDecode = () => undefined
  pending.pushMessageIn(payload, false, T0, decoder)
  return { payload: new WeakRef(payload), decoder: new WeakRef(decoder) }
}
