import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FRAME_KINDS, type Frame } from '@contract'
import FrameDetail from '../../renderer/src/components/FrameDetail.vue'
import { formatDelta } from '../../renderer/src/format/frame-detail'

const T0 = new Date(2025, 0, 2, 14, 3, 27, 118).getTime()
const base = { seq: 7, time: T0, direction: 'in' } as const

const tabsOf = (detail: VueWrapper) => detail.findAll('[role=tab]').map((t) => t.text())
const fieldsOf = (detail: VueWrapper) =>
  Object.fromEntries(detail.get('[data-testid=detail-fields]').findAll('[data-testid=field]').map((f) => [f.get('dt').text(), f.get('dd').text()]))

function stubClipboard() {
  const writeText = vi.fn(async (_text: string) => {})
  vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
  return writeText
}

afterEach(() => vi.unstubAllGlobals())

const samples: Frame[] = [
  { ...base, direction: 'system', kind: 'connecting', url: 'wss://h/x', attempt: 2, proxy: 'http://proxy:3128' },
  { ...base, direction: 'out', kind: 'request', method: 'GET', url: 'https://h/poll', headers: { accept: 'application/json' } },
  { ...base, kind: 'response', status: 200, statusText: 'OK', headers: {}, httpVersion: '1.1', durationMs: 35 },
  { ...base, direction: 'system', kind: 'open', protocol: 'chat.v1', extensions: 'permessage-deflate' },
  { ...base, kind: 'message', data: 'hello', size: 5 },
  { ...base, kind: 'event', event: 'tick', data: '{"n":1}', id: '41', retry: 2000 },
  { ...base, kind: 'comment', text: 'heartbeat' },
  { ...base, kind: 'chunk', data: 'data: x\n\n', size: 9 },
  { ...base, kind: 'ping', data: 'p' },
  { ...base, kind: 'pong', data: 'p' },
  { ...base, direction: 'system', kind: 'close', code: 1006, reason: '', wasClean: false, idleMs: 60_012, bytesIn: 2048, bytesOut: 10, cause: 'fin' },
  { ...base, direction: 'system', kind: 'error', code: 'E_CONNECT_REFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' },
  { ...base, direction: 'system', kind: 'reconnect', attempt: 3, delayMs: 4000, lastEventId: '41' },
  { ...base, direction: 'system', kind: 'finding', id: 'idle-timeout', severity: 'warning', summary: 'Cut after 60 s idle', evidence: ['close after 60.0 s idle', 'Server: nginx'], remedy: 'Send a heartbeat every 30 s' },
]

describe('FrameDetail', () => {
  it('has a view for every kind of frame, always with its timing', () => {
    expect(samples.map((f) => f.kind).sort()).toEqual([...FRAME_KINDS].sort())
    for (const frame of samples) {
      const detail = mount(FrameDetail, { props: { frame } })
      expect(detail.get('[data-testid=detail-kind]').text()).toBe(frame.kind)
      expect(detail.text()).toContain('#7')
      expect(detail.text()).toContain('14:03:27.118')
      expect(detail.find('[data-view=timing]').exists() || tabsOf(detail).includes('Timing')).toBe(true)
    }
  })

  it('asks for a selection when there is none', () => {
    const detail = mount(FrameDetail, { props: { frame: undefined } })
    expect(detail.get('[data-testid=frame-detail-empty]').text()).toContain('Select a frame')
  })

  it('opens a JSON text message as a tree, with raw text and hex beside it', async () => {
    const detail = mount(FrameDetail, { props: { frame: { ...base, kind: 'message', data: '{"price":12.5,"sym":"ACME"}', size: 27 } } })
    expect(tabsOf(detail)).toEqual(['Pretty', 'Raw', 'Hex', 'Timing'])
    expect(detail.get('[data-view=pretty]').text()).toContain('sym:"ACME"')
    expect(detail.text()).toContain('27 B')
    await detail.get('[data-testid=tab-raw]').trigger('click')
    expect(detail.get('[data-testid=raw-text]').text()).toBe('{"price":12.5,"sym":"ACME"}')
  })

  it('shows plain text without a tree, and its UTF-8 bytes in hex', async () => {
    const detail = mount(FrameDetail, { props: { frame: { ...base, kind: 'message', data: 'héllo', size: 6 } } })
    expect(tabsOf(detail)).toEqual(['Raw', 'Hex', 'Timing'])
    await detail.get('[data-testid=tab-hex]').trigger('click')
    expect(detail.get('[data-testid=hex-bytes]').text()).toContain('68 c3 a9 6c 6c 6f')
  })

  it('shows a binary message as hex from its base64, and as base64', async () => {
    const detail = mount(FrameDetail, { props: { frame: { ...base, kind: 'message', binary: true, dataBase64: 'AAF/gP8=', size: 5 } } })
    expect(detail.get('[data-testid=detail-kind]').text()).toBe('binary')
    expect(tabsOf(detail)).toEqual(['Hex', 'Base64', 'Timing'])
    expect(detail.get('[data-testid=hex-bytes]').text()).toContain('00 01 7f 80 ff')
    await detail.get('[data-testid=tab-base64]').trigger('click')
    expect(detail.get('[data-testid=raw-text]').text()).toBe('AAF/gP8=')
  })

  it('shows a response with its status line, headers one value per row, and its body', async () => {
    const frame: Frame = {
      ...base,
      kind: 'response',
      status: 502,
      statusText: 'Bad Gateway',
      httpVersion: '1.1',
      durationMs: 3004.4,
      headers: { server: 'nginx', 'set-cookie': ['a=1', 'b=2'] },
      body: '{"error":"upstream"}',
      bodyTruncated: true,
      from: 'proxy',
    }
    const detail = mount(FrameDetail, { props: { frame } })
    expect(tabsOf(detail)).toEqual(['Headers', 'Pretty', 'Raw', 'Hex', 'Timing'])
    expect(detail.get('[data-testid=start-line]').text()).toBe('HTTP/1.1 502 Bad Gateway · 3004 ms')
    const rows = detail.findAll('[data-testid=header-row]').map((r) => [r.get('th').text(), r.get('td').text()])
    expect(rows).toEqual([
      ['server', 'nginx'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ])
    const notices = detail.findAll('[data-testid=detail-notice]').map((n) => n.text())
    expect(notices.some((n) => /body was longer .* cut/.test(n))).toBe(true)
    expect(notices.some((n) => /proxy answered/.test(n))).toBe(true)
    await detail.get('[data-testid=tab-pretty]').trigger('click')
    expect(detail.get('[data-view=pretty]').text()).toContain('error:"upstream"')
  })

  it('shows a request line and its headers, with nothing to copy as data', () => {
    const frame: Frame = { ...base, direction: 'out', kind: 'request', method: 'GET', url: 'https://h/feed?cursor=3', headers: { accept: 'text/event-stream' } }
    const detail = mount(FrameDetail, { props: { frame } })
    expect(tabsOf(detail)).toEqual(['Headers', 'Timing'])
    expect(detail.get('[data-testid=start-line]').text()).toBe('GET https://h/feed?cursor=3')
    expect(detail.find('[data-testid=copy-data]').exists()).toBe(false)
    expect(detail.find('[data-testid=copy-frame]').exists()).toBe(true)
  })

  it('explains a close: code and meaning, reason, cause, cleanliness, idle time and bytes', () => {
    const frame: Frame = { ...base, direction: 'system', kind: 'close', code: 1006, reason: '', wasClean: false, idleMs: 60_012, bytesIn: 2048, bytesOut: 10, cause: 'fin' }
    const detail = mount(FrameDetail, { props: { frame } })
    expect(fieldsOf(detail)).toEqual({
      Code: '1006 — abnormal closure: the connection dropped without a close frame',
      Reason: '(none)',
      Cause: 'fin — the TCP connection ended (FIN) without a proper close',
      Clean: 'no',
      'Idle before close': '1 min 0.0 s',
      'Bytes in': '2.0 KB (2,048 bytes)',
      'Bytes out': '10 B',
    })
    // Only one view applies: no tab bar, just its heading.
    expect(detail.find('[role=tablist]').exists()).toBe(false)
    expect(detail.get('[data-view=timing]').text()).toContain('Idle before close')
  })

  it('lists the fields of events, errors, reconnects and findings, and any the contract does not name', () => {
    const event = mount(FrameDetail, { props: { frame: samples.find((f) => f.kind === 'event')! } })
    expect(fieldsOf(event)).toEqual({ Type: 'tick', ID: '41', Retry: '2000 ms' })
    expect(tabsOf(event)).toEqual(['Pretty', 'Raw', 'Hex', 'Timing'])

    const error = { ...samples.find((f) => f.kind === 'error')!, details: { errno: -111 } } as Frame
    expect(fieldsOf(mount(FrameDetail, { props: { frame: error } }))).toEqual({
      Code: 'E_CONNECT_REFUSED',
      Meaning: 'The connection was refused: nothing is listening on that host and port.',
      Message: 'connect ECONNREFUSED 127.0.0.1:9',
      details: '{"errno":-111}',
    })
    // An old recording's code still explains itself; a code the catalogue does not know shows none.
    const old = { ...samples.find((f) => f.kind === 'error')!, code: 'E_WS_MESSAGE_TOO_BIG', message: 'Max payload size exceeded' } as Frame
    expect(fieldsOf(mount(FrameDetail, { props: { frame: old } }))).toMatchObject({ Code: 'E_WS_MESSAGE_TOO_BIG', Meaning: expect.stringMatching(/limits\.maxMessageBytes/) })
    const unknown = { ...samples.find((f) => f.kind === 'error')!, code: 'E_FROM_A_NEWER_BUILD' } as Frame
    expect(fieldsOf(mount(FrameDetail, { props: { frame: unknown } }))).not.toHaveProperty('Meaning')

    const reconnect = { ...samples.find((f) => f.kind === 'reconnect')!, reason: 'server closed' } as Frame
    expect(fieldsOf(mount(FrameDetail, { props: { frame: reconnect } }))).toEqual({ Attempt: '3', Delay: '4.000 s', 'Last-Event-ID': '41', reason: 'server closed' })

    const finding = mount(FrameDetail, { props: { frame: samples.find((f) => f.kind === 'finding')! } })
    expect(fieldsOf(finding)).toMatchObject({ Finding: 'idle-timeout', Severity: 'warning', Remedy: 'Send a heartbeat every 30 s' })
    expect(finding.findAll('li').map((li) => li.text())).toEqual(['close after 60.0 s idle', 'Server: nginx'])
  })

  it('times a frame against the previous one and the session start', async () => {
    const previous: Frame = { ...base, seq: 6, time: T0 - 12.5, kind: 'message', data: 'a', size: 1 }
    const detail = mount(FrameDetail, { props: { frame: { ...base, kind: 'message', data: 'b', size: 1 }, previous, sessionStart: T0 - 2500 } })
    await detail.get('[data-testid=tab-timing]').trigger('click')
    const timing = Object.fromEntries(detail.get('[data-view=timing]').findAll('[data-testid=field]').map((f) => [f.get('dt').text(), f.get('dd').text()]))
    expect(timing).toEqual({
      Time: '2025-01-02 14:03:27.118',
      'Since previous frame': '+12.5 ms',
      'Since session start': '+2.500 s',
      Sequence: '#7',
    })
  })

  it('keeps the view the user picked for the next frame where it applies', async () => {
    const detail = mount(FrameDetail, { props: { frame: { ...base, kind: 'message', data: '{"a":1}', size: 7 } } })
    await detail.get('[data-testid=tab-hex]').trigger('click')
    await detail.setProps({ frame: { ...base, seq: 8, kind: 'message', data: '{"a":2}', size: 7 } })
    expect(detail.get('[role=tabpanel]').attributes('data-view')).toBe('hex')
    // A close has no hex view: it shows its own, and hex comes back with the next message.
    await detail.setProps({ frame: samples.find((f) => f.kind === 'close')! })
    expect(detail.get('[role=tabpanel]').attributes('data-view')).toBe('timing')
    await detail.setProps({ frame: { ...base, seq: 9, kind: 'message', data: 'x', size: 1 } })
    expect(detail.get('[role=tabpanel]').attributes('data-view')).toBe('hex')
  })

  it('copies the payload and the whole frame to the clipboard, and says so', async () => {
    const writeText = stubClipboard()
    const frame: Frame = { ...base, kind: 'message', binary: true, dataBase64: 'AAF/gP8=', size: 5 }
    const detail = mount(FrameDetail, { props: { frame } })
    await detail.get('[data-testid=copy-data]').trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenLastCalledWith('AAF/gP8=')
    expect(detail.get('[data-testid=copy-data]').text()).toBe('Copied')
    await detail.get('[data-testid=copy-frame]').trigger('click')
    await flushPromises()
    expect(JSON.parse(writeText.mock.lastCall![0])).toEqual(frame)
  })

  it('copies through a hidden textarea when the Clipboard API refuses', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: async () => Promise.reject(new Error('denied')) } })
    let copied = ''
    const execCommand = vi.fn((command: string) => {
      copied = document.querySelector('textarea')?.value ?? ''
      return command === 'copy'
    })
    Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true })
    const detail = mount(FrameDetail, { props: { frame: { ...base, kind: 'message', data: 'hello', size: 5 } } })
    await detail.get('[data-testid=copy-data]').trigger('click')
    await flushPromises()
    expect(execCommand).toHaveBeenCalledWith('copy')
    expect(copied).toBe('hello')
    expect(detail.get('[data-testid=copy-data]').text()).toBe('Copied')
    expect(document.querySelector('textarea')).toBeNull()
  })
})

describe('formatDelta', () => {
  it('picks a unit people read at a glance', () => {
    expect([0.42, 12.34, 345.6, 1234.6, 61_500, 3_725_000].map(formatDelta)).toEqual(['0.42 ms', '12.3 ms', '346 ms', '1.235 s', '1 min 1.5 s', '1 h 2 min'])
  })
})
