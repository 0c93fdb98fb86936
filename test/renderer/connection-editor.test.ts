import { describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { ConnectionSpecSchema, TECHNIQUES, type ConnectionSpecInput, type TechniqueName } from '@contract'
import { draftFromSpec, draftToInput } from '../../renderer/src/editor/spec-draft'
import { useLibraryStore } from '../../renderer/src/stores/library'
import { bar, connectButton, mountBar, openTab, pause, problemAt, setUp, useConnectionBar } from './connection-bar-harness'

useConnectionBar()

const numberInput = (field: string) => bar.get(`[data-field="${field}"] input`)

describe('connection editor: validation next to the field, as it is typed', () => {
  it('explains under the URL that SSE needs http(s), and keeps Connect disabled with the reason', async () => {
    mountBar()
    await setUp('sse', 'ws://example.com/events')
    await pause()
    expect(bar.get('[data-testid=url-problem]').text()).toBe('sse needs a http:// or https:// URL, not ws://')
    expect(bar.get('[data-testid=url]').attributes('aria-invalid')).toBe('true')
    expect(connectButton().attributes('disabled')).toBeDefined()
    expect(connectButton().attributes('title')).toBe('sse needs a http:// or https:// URL, not ws://')

    await bar.get('[data-testid=url]').setValue('http://example.com/events')
    await pause()
    expect(bar.find('[data-testid=url-problem]').exists()).toBe(false)
    expect(connectButton().attributes('disabled')).toBeUndefined()
  })

  it('waits for a pause in typing before complaining, but checks at once on Connect', async () => {
    mountBar()
    await setUp('websocket', 'ws://ok.example/')
    await pause()
    await bar.get('[data-testid=url]').setValue('http://oops.example/')
    expect(bar.find('[data-testid=url-problem]').exists()).toBe(false)
    await bar.get('[data-testid=url]').trigger('keydown', { key: 'Enter' })
    expect(bar.emitted('connect')).toBeUndefined()
    expect(bar.get('[data-testid=url-problem]').text()).toContain('websocket needs a ws:// or wss:// URL')
  })

  it('shows a bad header name under that header, marks the tab and says why Connect is disabled', async () => {
    mountBar()
    await setUp('websocket', 'ws://example.com/')
    await openTab('headers')
    await bar.get('[data-testid=headers-add]').trigger('click')
    await bar.get('[data-testid=headers-add]').trigger('click')
    const rows = bar.findAll('[data-testid=headers-row]')
    await rows[0]!.get('[data-testid=headers-name]').setValue('X-Fine')
    await rows[1]!.get('[data-testid=headers-name]').setValue('Bad Header')
    await rows[1]!.get('[data-testid=headers-value]').setValue('v')
    await pause()

    const problems = bar.findAll('[data-testid=headers-row]').map((row) => row.find('[data-testid=field-problem]'))
    expect(problems[0]!.exists()).toBe(false)
    expect(problems[1]!.text()).toBe('not a valid header name')
    expect(bar.find('[data-testid=editor-tab-headers] .problem-dot').exists()).toBe(true)
    expect(bar.get('[data-testid=connect-reason]').text()).toContain('Header 2 name: not a valid header name')
    expect(connectButton().attributes('disabled')).toBeDefined()
  })

  it('ignores a header row left blank, and a value with no name is explained', async () => {
    mountBar()
    await setUp('websocket', 'ws://example.com/')
    await openTab('headers')
    await bar.get('[data-testid=headers-add]').trigger('click')
    await pause()
    expect(bar.find('[data-testid=field-problem]').exists()).toBe(false)
    expect(connectButton().attributes('disabled')).toBeUndefined()

    await bar.get('[data-testid=headers-value]').setValue('orphan')
    await pause()
    expect(bar.get('[data-testid=headers-row] [data-testid=field-problem]').text()).toBe('cannot be empty')
  })

  it('says a number typed as text is not a number', async () => {
    mountBar()
    await setUp('polling', 'http://example.com/status')
    await openTab('technique')
    await numberInput('polling.intervalMs').setValue('5 s')
    await pause()
    expect(problemAt('polling.intervalMs')).toBe('"5 s" is not a number')
    expect(bar.get('[data-testid=connect-reason]').text()).toContain('Interval: "5 s" is not a number')
    expect(connectButton().attributes('disabled')).toBeDefined()
  })

  it('explains values out of range, and fractions where whole numbers are needed', async () => {
    mountBar()
    await setUp('polling', 'http://example.com/status')
    await openTab('technique')
    await numberInput('polling.intervalMs').setValue('5')
    await numberInput('polling.jitterMs').setValue('2.5')
    await pause()
    expect(problemAt('polling.intervalMs')).toBe('at least 10')
    expect(problemAt('polling.jitterMs')).toBe('a whole number, please')

    await openTab('reconnect')
    await numberInput('reconnect.jitter').setValue('1.5')
    await numberInput('limits.maxMessageBytes').setValue('99999999999')
    await pause()
    expect(problemAt('reconnect.jitter')).toBe('at most 1')
    expect(problemAt('limits.maxMessageBytes')).toBe('at most 1,073,741,824')
    expect(bar.get('[data-testid=connect-reason]').text()).toContain('(and 3 more)')
  })

  it('asks for the header name a long-polling cursor is read from', async () => {
    mountBar()
    await setUp('long-polling', 'http://example.com/poll')
    await openTab('technique')
    expect(bar.find('[data-testid=cursor-name]').exists()).toBe(false)
    await bar.get('[data-testid=cursor-from]').setValue('header')
    await pause()
    expect(problemAt('longPolling.cursor.name')).toBe('a cursor from a header needs the header name')
    await bar.get('[data-testid=cursor-name]').setValue('X-Cursor')
    await pause()
    expect(problemAt('longPolling.cursor.name')).toBeUndefined()
  })

  it('needs a usable proxy URL when a proxy is chosen', async () => {
    mountBar()
    await setUp('sse', 'http://example.com/events')
    await openTab('network')
    await bar.get('[data-testid=proxy-mode]').setValue('url')
    await pause()
    expect(problemAt('proxy.url')).toBe('a proxy URL is needed')
    await bar.get('[data-testid=proxy-url]').setValue('ftp://proxy.local')
    await pause()
    expect(problemAt('proxy.url')).toBe('proxies must be http://, https:// or socks5://, not ftp://')
  })

  it('"Show" opens the editor on the tab of the problem and focuses the field', async () => {
    mountBar()
    await setUp('streaming', 'http://example.com/stream')
    await openTab('technique')
    await numberInput('streaming.idleTimeoutMs').setValue('-1')
    await bar.get('[data-testid=options-toggle]').trigger('click')
    await pause()
    expect(bar.find('[data-testid=connection-editor]').exists()).toBe(false)
    expect(bar.get('[data-testid=options-toggle]').classes()).toContain('flagged')
    await bar.get('[data-testid=show-problem]').trigger('click')
    await nextTick()
    expect(bar.get('[data-testid=editor-tab-technique]').attributes('aria-selected')).toBe('true')
    expect(document.activeElement).toBe(numberInput('streaming.idleTimeoutMs').element)
    expect(problemAt('streaming.idleTimeoutMs')).toBe('at least 0')
  })
})

describe("connection editor: only the chosen technique's options", () => {
  const OWN_OPTIONS: Record<TechniqueName, string> = {
    websocket: 'websocket-options',
    sse: 'sse-options',
    'long-polling': 'long-polling-options',
    polling: 'polling-options',
    streaming: 'streaming-options',
  }

  it.each(TECHNIQUES)('%s shows its own block and no other', async (technique) => {
    mountBar()
    await setUp(technique, technique === 'websocket' ? 'ws://example.com/' : 'http://example.com/')
    await openTab('technique')
    for (const [other, testid] of Object.entries(OWN_OPTIONS)) expect(bar.find(`[data-testid=${testid}]`).exists(), other).toBe(other === technique)
    // Method and body are for the HTTP techniques; a WebSocket handshake is always a GET.
    expect(bar.find('[data-testid=editor-tab-body]').exists()).toBe(technique !== 'websocket')
  })

  it('shows the delimiter only for delimiter framing', async () => {
    mountBar()
    await setUp('streaming', 'http://example.com/stream')
    await openTab('technique')
    expect(bar.find('[data-testid=delimiter]').exists()).toBe(false)
    await bar.get('[data-testid=framing]').setValue('delimiter')
    expect(bar.find('[data-testid=delimiter]').exists()).toBe(true)
  })

  it('offers the system proxy only in the desktop app', async () => {
    mountBar()
    await setUp('sse', 'http://example.com/')
    await openTab('network')
    const modes = () => bar.findAll('[data-testid=proxy-mode] option').map((o) => o.attributes('value'))
    expect(modes()).toEqual(['env', 'url', 'none'])
    await bar.setProps({ systemProxy: true })
    expect(modes()).toEqual(['env', 'system', 'url', 'none'])
  })

  it('warns plainly when certificate checks are skipped', async () => {
    mountBar()
    await setUp('sse', 'https://example.com/')
    await openTab('network')
    expect(bar.find('[data-testid=tls-insecure-warning]').exists()).toBe(false)
    await bar.get('[data-testid=tls-insecure]').setValue(true)
    expect(bar.get('[data-testid=tls-insecure-warning]').text()).toContain('can read and change this traffic')
    expect(bar.get('[data-testid=options-summary]').text()).toContain('TLS unverified')
  })

  it('the Request tab leaves when switching to WebSocket, back to the technique tab', async () => {
    mountBar()
    await setUp('polling', 'http://example.com/')
    await openTab('body')
    await bar.get('[data-testid=method]').setValue('POST')
    expect(bar.find('[data-testid=body]').exists()).toBe(true)
    await bar.get('[data-testid=technique]').setValue('websocket')
    expect(bar.get('[data-testid=editor-tab-technique]').attributes('aria-selected')).toBe('true')
    expect(bar.find('[data-testid=websocket-options]').exists()).toBe(true)
  })
})

describe('connection editor: the spec it emits', () => {
  it('emits only what differs from the defaults, for the chosen technique, and the schema accepts it', async () => {
    mountBar()
    await setUp('polling', ' https://api.example.com/status ')
    await openTab('headers')
    await bar.get('[data-testid=headers-add]').trigger('click')
    await bar.get('[data-testid=headers-name]').setValue('Accept')
    await bar.get('[data-testid=headers-value]').setValue('application/json')
    await openTab('query')
    await bar.get('[data-testid=query-add]').trigger('click')
    await bar.get('[data-testid=query-name]').setValue('since')
    await bar.get('[data-testid=query-value]').setValue('0')
    await openTab('body')
    await bar.get('[data-testid=method]').setValue('POST')
    await bar.get('[data-testid=body]').setValue('{"q":1}')
    await openTab('auth')
    await bar.get('[data-testid=auth-type]').setValue('bearer')
    await bar.get('[data-testid=auth-token]').setValue('s3cret')
    await openTab('network')
    await bar.get('[data-testid=proxy-mode]').setValue('url')
    await bar.get('[data-testid=proxy-url]').setValue('socks5://127.0.0.1:1080')
    await openTab('reconnect')
    await bar.get('[data-testid=reconnect-enabled]').setValue('off')
    await numberInput('reconnect.maxAttempts').setValue(' 3 ')
    await openTab('technique')
    await numberInput('polling.intervalMs').setValue('500')
    await bar.get('[data-testid=conditional]').setValue(false)
    await pause()

    expect(bar.get('[data-testid=options-summary]').text()).toBe('1 header · 1 query param · POST + body · bearer · proxy · no reconnect · every 500 ms · unconditional')
    await connectButton().trigger('click')
    const expected: ConnectionSpecInput = {
      technique: 'polling',
      url: 'https://api.example.com/status',
      headers: [{ name: 'Accept', value: 'application/json' }],
      query: [{ name: 'since', value: '0' }],
      method: 'POST',
      body: '{"q":1}',
      auth: { type: 'bearer', token: 's3cret' },
      proxy: { mode: 'url', url: 'socks5://127.0.0.1:1080' },
      reconnect: { enabled: false, maxAttempts: 3 },
      polling: { intervalMs: 500, conditional: false },
    }
    const emitted = bar.emitted<[ConnectionSpecInput]>('connect')![0]![0]
    expect(emitted).toEqual(expected)
    expect(ConnectionSpecSchema.safeParse(emitted).success).toBe(true)
  })

  it('leaves out a block of another technique that was edited before switching', async () => {
    mountBar()
    await setUp('websocket', 'ws://example.com/')
    await openTab('technique')
    await bar.get('[data-testid=subprotocol]').setValue('chat, v2.json')
    await bar.get('[data-testid=technique]').setValue('sse')
    await pause()
    await connectButton().trigger('click')
    expect(bar.emitted('connect')).toEqual([[{ technique: 'sse', url: 'http://example.com/' }]])
  })

  it('a saved spec comes back to the same minimal input (defaults stay blank, shown as placeholders)', () => {
    const input: ConnectionSpecInput = {
      technique: 'long-polling',
      url: 'http://example.com/poll',
      headers: [{ name: 'X-A', value: '1' }],
      auth: { type: 'basic', username: 'me', password: 'pw' },
      tls: { caFile: '/ca.pem', insecure: true },
      proxy: { mode: 'none' },
      reconnect: { enabled: true, initialDelayMs: 250, jitter: 0 },
      limits: { maxMessageBytes: 1024 },
      record: { enabled: false },
      diagnostics: { timestampField: 'meta.sentAt', heartbeatDeadlineMs: 45000 },
      longPolling: { cursor: { from: 'json', name: 'meta.next' }, messagesPath: 'messages', requestTimeoutMs: 5000 },
    }
    const draft = draftFromSpec(ConnectionSpecSchema.parse(input))
    expect(draft.polling.intervalMs).toBe('')
    expect(draft.longPolling.cursor.param).toBe('')
    expect(draftToInput(draft)).toMatchObject({ input, issues: {} })
  })

  it('switches recording off for one session, or caps its file, with the cap checked like any number', async () => {
    mountBar()
    await setUp('websocket', 'ws://example.com/')
    await openTab('reconnect')
    await bar.get('[data-testid=record-max-bytes] input').setValue('1 GB')
    await pause()
    expect(problemAt('record.maxBytes')).toMatch(/not a number/)
    await bar.get('[data-testid=record-max-bytes] input').setValue('1048576')
    await bar.get('[data-testid=record-enabled]').setValue(false)
    await pause()
    expect(problemAt('record.maxBytes')).toBeUndefined()
    expect(bar.get('[data-testid=options-summary]').text()).toContain('not recorded')
    await connectButton().trigger('click')
    expect(bar.emitted('connect')).toEqual([[{ technique: 'websocket', url: 'ws://example.com/', record: { enabled: false, maxBytes: 1048576 } }]])
  })

  it('turns the detectors off for one session, or tells them where the server time is and how long a silence may last', async () => {
    mountBar()
    await setUp('sse', 'http://example.com/')
    await openTab('reconnect')
    await bar.get('[data-testid=diagnostics-timestamp-field]').setValue(' meta.sentAt ')
    await bar.get('[data-testid=diagnostics-deadline] input').setValue('5 s')
    await pause()
    expect(problemAt('diagnostics.heartbeatDeadlineMs')).toMatch(/not a number/)
    await bar.get('[data-testid=diagnostics-deadline] input').setValue('5000')
    await bar.get('[data-testid=diagnostics-enabled]').setValue(false)
    await pause()
    expect(bar.get('[data-testid=options-summary]').text()).toContain('no diagnostics')
    await connectButton().trigger('click')
    expect(bar.emitted('connect')).toEqual([[{ technique: 'sse', url: 'http://example.com/', diagnostics: { enabled: false, timestampField: 'meta.sentAt', heartbeatDeadlineMs: 5000 } }]])
  })

  it("adds the saved connection's name, which labels the session's tab", async () => {
    mountBar()
    await setUp('websocket', 'ws://example.com/')
    useLibraryStore().name = 'My socket'
    await connectButton().trigger('click')
    expect(bar.emitted('connect')).toEqual([[{ technique: 'websocket', url: 'ws://example.com/', name: 'My socket' }]])
  })
})
