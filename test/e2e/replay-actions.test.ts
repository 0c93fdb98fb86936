// Replay from the Recordings tab in the real UI: the built page in Chromium through
// browser mode, the engine with a fresh data folder (every session recorded) and the
// playground. Record an echo session; serve it as a mock from the panel and connect
// to the mock from the panel (the recorded messages arrive); re-send it to the
// playground echo (a new tab with the messages); compare the two recordings (the diff
// view). Screenshots go to test-artifacts/e2e-replay-*.png.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../main/engine.js'
import { startBrowserMode, type BrowserMode } from '../helpers/browser-mode.js'

const MESSAGES = ['hello mock', '{"n":2}', 'third and last']
const SEND_GAP_MS = 150

let app: BrowserMode
let engine: Engine
let page: Page
let pageErrors: string[]
/** The recording of the first echo session, by name. */
let original = ''
/** The recording of its re-send. */
let resent = ''

beforeAll(async () => {
  app = await startBrowserMode('replay')
  ;({ engine, page, pageErrors } = app)
})

afterAll(async () => app?.close())

const shot = (name: string) => page.screenshot({ path: join('test-artifacts', `e2e-replay-${name}.png`) })
const item = (name: string) => page.locator(`[data-testid=recording][data-name="${name}"]`)
const activeTab = () => page.locator('[data-testid=session-tab][aria-selected=true]')
const incoming = (text: string) => page.locator('[data-testid=frame-row][data-direction=in][data-kind=message]', { hasText: text })
const outgoing = (text: string) => page.locator('[data-testid=frame-row][data-direction=out][data-kind=message]', { hasText: text })
const state = () => page.getByTestId('state').getAttribute('data-state')
const names = async () => page.getByTestId('recording').evaluateAll((items) => items.map((i) => i.getAttribute('data-name') ?? ''))

describe('browser mode: replay actions in the Recordings tab', () => {
  it('records a WebSocket echo session', async () => {
    // The first start connects to the playground's echo by itself.
    await expect.poll(state, { timeout: 15_000 }).toBe('open')
    for (const text of MESSAGES) {
      await page.getByTestId('composer').fill(text)
      await page.getByTestId('send').click()
      await incoming(text).waitFor()
      await page.waitForTimeout(SEND_GAP_MS)
    }
    await page.getByTestId('connect').click()
    await expect.poll(state, { timeout: 10_000 }).toBe('closed')

    await page.getByTestId('sidebar-tab-recordings').click()
    await expect.poll(() => page.getByTestId('recording').count()).toBe(1)
    original = (await names())[0]!
  })

  it('serves it as a mock from the panel; "Connect to it" opens a tab where the recorded messages arrive', async () => {
    await item(original).hover()
    await item(original).getByTestId('recording-serve').click()
    const served = item(original).getByTestId('mock-served')
    await served.waitFor()
    const url = (await served.getByTestId('mock-url').textContent())!
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws\/echo$/)
    expect(await engine.createClient('bridge').listMocks()).toMatchObject({ ok: true, value: [{ url, recording: { name: original } }] })
    await shot('mock')

    const tabs = await page.getByTestId('session-tab').count()
    await served.getByTestId('mock-connect').click()
    await expect.poll(() => page.getByTestId('session-tab').count()).toBe(tabs + 1)
    await expect.poll(state, { timeout: 10_000 }).toBe('open')
    // The mock replays what the echo sent, in order, at the recorded pace.
    for (const text of MESSAGES) await incoming(text).waitFor({ timeout: 10_000 })
    const received = await page.locator('[data-testid=frame-row][data-direction=in][data-kind=message]').allTextContents()
    expect(received.map((row) => MESSAGES.findIndex((m) => row.includes(m)))).toEqual([0, 1, 2])
    await shot('mock-connected')

    // Close the tab (its session ends), then stop the mock: the panel drops it and the engine runs none.
    await activeTab().getByTestId('session-tab-close').click()
    await expect.poll(() => page.getByTestId('session-tab').count()).toBe(tabs)
    await item(original).getByTestId('mock-stop').click()
    await expect.poll(() => item(original).getByTestId('mock-served').count()).toBe(0)
    expect(await engine.createClient('bridge').listMocks()).toEqual({ ok: true, value: [] })
    expect(pageErrors).toEqual([])
  })

  it('re-sends it to the playground echo at 2×: a new tab with the messages, recorded beside the original', async () => {
    const before = new Set(await names())
    const tabs = await page.getByTestId('session-tab').count()
    await item(original).hover()
    await item(original).getByTestId('recording-resend').click()
    const form = item(original).getByTestId('resend-form')
    const echo = engine.playground!.endpoints.find((e) => e.technique === 'websocket' && /echo/i.test(e.name))!.url
    expect(await form.getByTestId('resend-url').inputValue()).toBe(echo)
    await form.getByTestId('resend-speed').selectOption({ label: '2× faster' })
    await shot('resend-form')
    await form.getByTestId('resend-submit').click()

    await expect.poll(() => page.getByTestId('session-tab').count()).toBe(tabs + 1)
    for (const text of MESSAGES) {
      await outgoing(text).waitFor({ timeout: 10_000 })
      await incoming(text).waitFor({ timeout: 10_000 })
    }
    await expect.poll(state, { timeout: 10_000 }).toBe('closed')
    expect(await activeTab().textContent()).toContain(new URL(echo).host)
    await shot('resent')

    // Its recording appears in the list (the panel refreshes when a session ends).
    const port = new URL(echo).port
    await expect.poll(async () => (await names()).filter((n) => !before.has(n) && n.includes(`_${port}`)).length, { timeout: 10_000 }).toBe(1)
    resent = (await names()).find((n) => !before.has(n) && n.includes(`_${port}`))!
    expect(pageErrors).toEqual([])
  })

  it('compares the original with the re-send: the diff view pairs the messages and times them', async () => {
    await item(original).hover()
    await item(original).getByTestId('recording-compare').click()
    await page.getByTestId('compare-banner').waitFor()
    await item(resent).getByTestId('recording-compare-pick').click()

    const view = page.getByTestId('diff-view')
    await view.waitFor()
    const count = async (id: string) => Number((await view.getByTestId(id).textContent())!.replace(/\D+/g, ''))
    // Every message went out and came back again, in the same order: those six pairs are the same.
    expect(await count('diff-count-same')).toBeGreaterThanOrEqual(2 * MESSAGES.length)
    const sameRows = await view.locator('[data-testid=diff-row][data-status=same]').allTextContents()
    for (const text of MESSAGES) expect(sameRows.filter((row) => row.includes(text)).length).toBeGreaterThanOrEqual(1)
    expect(await view.getByTestId('diff-timing').textContent()).toMatch(/median Δ \d+ ms, max Δ [\d.]+ (ms|s)/)
    // Sent twice as fast: the re-send's later messages came earlier than the recorded ones.
    const deltas = await view.locator('[data-testid=diff-row][data-status=same] [data-testid=diff-delta]').allTextContents()
    expect(deltas.some((d) => d.startsWith('−'))).toBe(true)
    await shot('diff')
    await page.emulateMedia({ colorScheme: 'dark' })
    await shot('diff-dark')
    await page.emulateMedia({ colorScheme: 'light' })

    await view.getByTestId('diff-close').click()
    await expect.poll(() => page.getByTestId('diff-view').count()).toBe(0)
    expect(pageErrors).toEqual([])
  })
})
