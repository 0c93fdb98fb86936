import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import type { Frame } from '@contract'
import FrameList from '../../renderer/src/components/FrameList.vue'
import { framePreview, formatBytes, formatTime, hexPreview } from '../../renderer/src/format/frame-format'
import { windowOf } from './frame-list-harness'

const T0 = new Date(2025, 0, 2, 14, 3, 27, 118).getTime()

function messages(count: number): Frame[] {
  const frames: Frame[] = []
  for (let seq = 1; seq <= count; seq++) {
    frames.push({ seq, time: T0 + seq, direction: seq % 2 ? 'out' : 'in', kind: 'message', data: `message ${seq}`, size: 9 + String(seq).length })
  }
  return frames
}

describe('FrameList', () => {
  it('renders only the rows in view when 100,000 frames are held', () => {
    const list = mount(FrameList, { props: { frames: windowOf(messages(100_000)) } })
    const rows = list.findAll('[data-testid=frame-row]')
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.length).toBeLessThan(200)
    // The scroll area is as tall as all rows together, so the scrollbar is honest.
    expect(list.get('.spacer').attributes('style')).toContain(`height: ${100_000 * 24}px`)
  })

  it('marks each row with its kind and direction', () => {
    const frames: Frame[] = [
      { seq: 1, time: T0, direction: 'system', kind: 'connecting', url: 'ws://h/', attempt: 1 },
      { seq: 2, time: T0, direction: 'out', kind: 'message', data: 'hi', size: 2 },
      { seq: 3, time: T0, direction: 'in', kind: 'message', data: 'hi', size: 2 },
    ]
    const list = mount(FrameList, { props: { frames: windowOf(frames) } })
    const rows = list.findAll('[data-testid=frame-row]')
    expect(rows.map((r) => [r.attributes('data-kind'), r.attributes('data-direction')])).toEqual([
      ['connecting', 'system'],
      ['message', 'out'],
      ['message', 'in'],
    ])
    expect(rows[1]!.text()).toContain('↑')
    expect(rows[2]!.text()).toContain('↓')
    expect(rows[0]!.text()).toContain('•')
  })

  it('shows time, size and the close meaning in a row', () => {
    const close: Frame = { seq: 1, time: T0, direction: 'system', kind: 'close', code: 1000, reason: 'bye', wasClean: true, idleMs: 3, bytesIn: 10, bytesOut: 12, cause: 'remote-close' }
    const list = mount(FrameList, { props: { frames: windowOf([close]) } })
    const row = list.get('[data-testid=frame-row]')
    expect(row.text()).toContain('14:03:27.118')
    expect(row.text()).toContain('1000 normal closure — bye')
  })

  it('shows newly applied frames with nothing but the window told', async () => {
    const held = windowOf(messages(3))
    const list = mount(FrameList, { props: { frames: held } })
    held.append([{ seq: 4, time: T0, direction: 'in', kind: 'message', data: 'late', size: 4 }], 0, 4)
    await nextTick()
    expect(list.findAll('[data-testid=frame-row]')).toHaveLength(4)
  })

  it('follows a full window, whose length no longer changes as frames come and go', async () => {
    const held = windowOf(messages(3), 3)
    const list = mount(FrameList, { props: { frames: held } })
    held.append([{ seq: 4, time: T0, direction: 'in', kind: 'message', data: 'late', size: 4 }], 0, 4)
    await nextTick()
    expect(list.findAll('[data-testid=frame-row]').map((r) => r.attributes('data-seq'))).toEqual(['2', '3', '4'])
  })

  it('selects a row on click and highlights the selected one', async () => {
    const list = mount(FrameList, { props: { frames: windowOf(messages(5)) } })
    await list.findAll('[data-testid=frame-row]')[2]!.trigger('click')
    expect(list.emitted('select')![0]![0]).toMatchObject({ seq: 3 })
    await list.setProps({ selectedSeq: 3 })
    expect(list.findAll('.row.selected').map((r) => r.attributes('data-seq'))).toEqual(['3'])
  })
})

describe('frame previews', () => {
  it('explains a close code, with and without a reason, and how it ended', () => {
    const close = { seq: 1, time: 0, direction: 'system', kind: 'close', reason: '', wasClean: false, idleMs: 0, bytesIn: 0, bytesOut: 0, cause: 'fin' } as const
    expect(framePreview({ ...close, code: 1000, reason: 'done', cause: 'remote-close' })).toBe('1000 normal closure — done · closed by the server')
    expect(framePreview({ ...close, code: 1006 })).toBe('1006 abnormal closure: the connection dropped without a close frame · cut with a TCP FIN, no proper close')
    expect(framePreview({ ...close, code: 4001, cause: 'local' })).toBe('4001 application-defined (private use) · closed by you')
  })

  it('shows an HTTP close by its reason, without a WebSocket code', () => {
    const close = { seq: 1, time: 0, direction: 'system', kind: 'close', code: 0, wasClean: false, idleMs: 0, bytesIn: 0, bytesOut: 0 } as const
    expect(framePreview({ ...close, reason: 'incomplete chunked body', cause: 'fin' })).toBe('incomplete chunked body · cut with a TCP FIN, no proper close')
    expect(framePreview({ ...close, reason: '', cause: 'reset' })).toBe('connection ended · TCP reset')
  })

  it('shows binary payloads as hex, cut after 32 bytes', () => {
    const frame: Frame = { seq: 1, time: 0, direction: 'in', kind: 'message', dataBase64: btoa('\x00\x01\xfe\xff'), binary: true, size: 4 }
    expect(framePreview(frame)).toBe('00 01 fe ff')
    const long = btoa(String.fromCharCode(...Array.from({ length: 40 }, (_, i) => i)))
    expect(hexPreview(long)).toMatch(/^00 01 02 .* 1f …$/)
    expect(hexPreview(long).split(' ')).toHaveLength(33)
  })

  it('keeps text on one line and marks line breaks', () => {
    expect(framePreview({ seq: 1, time: 0, direction: 'in', kind: 'message', data: 'a\nb', size: 3 })).toBe('a ↵ b')
  })

  it('summarises errors, requests and responses', () => {
    expect(framePreview({ seq: 1, time: 0, direction: 'system', kind: 'error', code: 'E_CONNECT_REFUSED', message: 'connection refused' })).toBe('E_CONNECT_REFUSED connection refused')
    expect(framePreview({ seq: 1, time: 0, direction: 'out', kind: 'request', method: 'GET', url: 'ws://h/x', headers: {} })).toBe('GET ws://h/x')
    expect(
      framePreview({ seq: 1, time: 0, direction: 'in', kind: 'response', status: 101, statusText: 'Switching Protocols', headers: {}, httpVersion: '1.1', durationMs: 4.2 }),
    ).toBe('101 Switching Protocols · HTTP/1.1 · 4 ms')
  })

  it('formats times and sizes for people', () => {
    expect(formatTime(T0)).toBe('14:03:27.118')
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB')
    expect(formatBytes(300 * 1024)).toBe('300 KB')
  })
})
