import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import type { PlaygroundEndpoint } from '@contract'
import ConnectionBar from '../../renderer/src/components/ConnectionBar.vue'
import { VALIDATION_DELAY_MS } from '../../renderer/src/stores/library'

// The bar keeps its draft in the library store: each test gets a fresh one (the active Pinia).
beforeEach(() => {
  vi.useFakeTimers()
  setActivePinia(createPinia())
})
afterEach(() => vi.useRealTimers())

/** Lets the debounced check run, as a pause in typing does. */
async function pause(): Promise<void> {
  vi.advanceTimersByTime(VALIDATION_DELAY_MS)
  await nextTick()
}

const echo: PlaygroundEndpoint = { technique: 'websocket', name: 'WebSocket echo', url: 'ws://127.0.0.1:5000/ws/echo', description: 'echoes every message' }
const sse: PlaygroundEndpoint = { technique: 'sse', name: 'SSE clock', url: 'http://127.0.0.1:5000/sse', description: 'one event a second' }

describe('ConnectionBar', () => {
  it('explains why an http:// URL cannot be used for a WebSocket, and will not connect', async () => {
    const bar = mount(ConnectionBar)
    await bar.get('[data-testid=url]').setValue('http://x')
    await pause()
    expect(bar.get('[data-testid=url-problem]').text()).toContain('websocket needs a ws:// or wss:// URL, not http://')
    expect(bar.get('[data-testid=connect]').attributes('disabled')).toBeDefined()
    await bar.get('[data-testid=url]').trigger('keydown', { key: 'Enter' })
    expect(bar.emitted('connect')).toBeUndefined()
  })

  it('explains that garbage is not a URL', async () => {
    const bar = mount(ConnectionBar)
    await bar.get('[data-testid=url]').setValue('not a url at all')
    await pause()
    expect(bar.get('[data-testid=url-problem]').text()).toContain('is not a valid URL')
  })

  it('shows no problem for an empty field, but cannot connect', () => {
    const bar = mount(ConnectionBar)
    expect(bar.find('[data-testid=url-problem]').exists()).toBe(false)
    expect(bar.get('[data-testid=connect]').attributes('disabled')).toBeDefined()
  })

  it('connects with a valid URL from the button and from Enter, with the subprotocols given in the options', async () => {
    const bar = mount(ConnectionBar)
    await bar.get('[data-testid=url]').setValue('  wss://example.com/socket ')
    await bar.get('[data-testid=options-toggle]').trigger('click')
    await bar.get('[data-testid=subprotocol]').setValue('chat, v2.json')
    await pause()
    expect(bar.find('[data-testid=url-problem]').exists()).toBe(false)
    expect(bar.get('[data-testid=options-summary]').text()).toBe('chat, v2.json')
    await bar.get('[data-testid=connect]').trigger('click')
    await bar.get('[data-testid=url]').trigger('keydown', { key: 'Enter' })
    const spec = { technique: 'websocket', url: 'wss://example.com/socket', websocket: { subprotocols: ['chat', 'v2.json'] } }
    expect(bar.emitted('connect')).toEqual([[spec], [spec]])
  })

  it('rejects a subprotocol that is not an HTTP token, under the subprotocol field', async () => {
    const bar = mount(ConnectionBar)
    await bar.get('[data-testid=url]').setValue('ws://example.com/')
    await bar.get('[data-testid=options-toggle]').trigger('click')
    await bar.get('[data-testid=subprotocol]').setValue('ok, two words')
    await pause()
    expect(bar.get('[data-field="websocket.subprotocols"] [data-testid=field-problem]').text()).toBe('"two words" is not a valid subprotocol name')
    expect(bar.get('[data-testid=connect]').attributes('disabled')).toBeDefined()
  })

  it('is prefilled with the playground echo endpoint, but not over what the user typed', async () => {
    const bar = mount(ConnectionBar, { props: { defaultEndpoint: echo } })
    expect((bar.get('[data-testid=url]').element as HTMLInputElement).value).toBe(echo.url)

    const typed = mount(ConnectionBar)
    await typed.get('[data-testid=url]').setValue('ws://mine.example/')
    await typed.setProps({ defaultEndpoint: echo })
    expect((typed.get('[data-testid=url]').element as HTMLInputElement).value).toBe('ws://mine.example/')
  })

  it('offers all five techniques', () => {
    const bar = mount(ConnectionBar)
    const options = bar.findAll('[data-testid=technique] option')
    expect(options.map((o) => o.attributes('value'))).toEqual(['websocket', 'sse', 'long-polling', 'polling', 'streaming'])
    expect(options.filter((o) => o.attributes('disabled') !== undefined)).toEqual([])
    expect(bar.text()).not.toContain('coming soon')
  })

  it('fills technique and URL from the examples menu', async () => {
    const other: PlaygroundEndpoint = { ...echo, name: 'Ticker', url: 'ws://127.0.0.1:5000/ws/ticker' }
    const bar = mount(ConnectionBar, { props: { examples: [sse, echo, other] }, attachTo: document.body })
    await bar.get('[data-testid=examples]').trigger('click')
    const items = bar.findAll('[data-testid=example]')
    expect(items).toHaveLength(3)
    expect(items.filter((item) => item.attributes('disabled') !== undefined)).toEqual([])
    await items[0]!.trigger('click')
    expect((bar.get('[data-testid=technique]').element as HTMLSelectElement).value).toBe('sse')
    expect((bar.get('[data-testid=url]').element as HTMLInputElement).value).toBe(sse.url)
    expect(bar.find('[data-testid=example]').exists()).toBe(false)

    await bar.get('[data-testid=connect]').trigger('click')
    expect(bar.emitted('connect')).toEqual([[{ technique: 'sse', url: sse.url }]])

    await bar.get('[data-testid=examples]').trigger('click')
    await bar.findAll('[data-testid=example]')[2]!.trigger('click')
    expect((bar.get('[data-testid=technique]').element as HTMLSelectElement).value).toBe('websocket')
    expect((bar.get('[data-testid=url]').element as HTMLInputElement).value).toBe(other.url)
    bar.unmount()
  })

  it('switching technique changes the placeholder, swaps an example for that technique\'s, and fixes the scheme of a typed URL', async () => {
    const poll: PlaygroundEndpoint = { technique: 'polling', name: 'Polled counter', url: 'http://127.0.0.1:5000/poll', description: 'a counter' }
    const bar = mount(ConnectionBar, { props: { defaultEndpoint: echo, examples: [echo, sse, poll] } })
    const select = bar.get('[data-testid=technique]')
    const input = () => bar.get('[data-testid=url]').element as HTMLInputElement

    await select.setValue('sse')
    expect(input().value).toBe(sse.url)
    expect(input().placeholder).toBe('http://host:port/events')
    await select.setValue('polling')
    expect(input().value).toBe(poll.url)
    await select.setValue('streaming')
    expect(input().value).toBe('')
    expect(input().placeholder).toBe('http://host:port/stream')

    await bar.get('[data-testid=url]').setValue('https://example.com/feed?x=1')
    await select.setValue('websocket')
    expect(input().value).toBe('wss://example.com/feed?x=1')
    expect(input().placeholder).toBe('ws://host:port/path')
    await select.setValue('long-polling')
    expect(input().value).toBe('https://example.com/feed?x=1')
    expect(bar.find('[data-testid=url-problem]').exists()).toBe(false)
    await bar.get('[data-testid=connect]').trigger('click')
    expect(bar.emitted('connect')).toEqual([[{ technique: 'long-polling', url: 'https://example.com/feed?x=1' }]])
  })

  it('turns into Disconnect while the session lives', async () => {
    const bar = mount(ConnectionBar, { props: { live: true, defaultEndpoint: echo } })
    const button = bar.get('[data-testid=connect]')
    expect(button.text()).toBe('Disconnect')
    await button.trigger('click')
    expect(bar.emitted('disconnect')).toHaveLength(1)
    expect(bar.emitted('connect')).toBeUndefined()
  })

  it("shows the engine's refusal", () => {
    const bar = mount(ConnectionBar, { props: { error: { code: 'E_SESSION_LIMIT', message: 'too many sessions' } } })
    expect(bar.get('[data-testid=url-problem]').text()).toBe('too many sessions (E_SESSION_LIMIT)')
  })
})

describe('ConnectionBar beside a live session', () => {
  const echo = { technique: 'websocket', url: 'ws://127.0.0.1:5000/ws/echo' }

  it('disconnects the live session while the bar shows its endpoint, and connects a new one once the URL is changed', async () => {
    const bar = mount(ConnectionBar, { props: { live: true, liveTarget: echo, defaultEndpoint: { ...echo, technique: 'websocket', name: 'Echo', description: '' } } })
    expect(bar.get('[data-testid=connect]').text()).toBe('Disconnect')
    await bar.get('[data-testid=url]').setValue('ws://127.0.0.1:5000/ws/ticker')
    expect(bar.get('[data-testid=connect]').text()).toBe('Connect')
    await bar.get('[data-testid=connect]').trigger('click')
    expect(bar.emitted('connect')).toEqual([[{ technique: 'websocket', url: 'ws://127.0.0.1:5000/ws/ticker' }]])
    expect(bar.emitted('disconnect')).toBeUndefined()
  })
})
