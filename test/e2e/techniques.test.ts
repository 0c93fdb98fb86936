// What a newcomer does with each technique, for real: the built UI in Chromium through
// browser mode, the engine with a fresh data folder (so the first start seeds one
// saved connection per technique) and the playground. For each: connect from the
// saved connection, see live frames arrive, filter them, open one in the detail pane,
// send where the technique can, disconnect. Each leaves a screenshot in test-artifacts/.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowserMode, type BrowserMode } from '../helpers/browser-mode.js'

/** The playground's slowest seeded source sends every 2 s; allow a few of those. */
const LIVE_TIMEOUT = 15_000

let app: BrowserMode
let page: Page
let pageErrors: string[]

beforeAll(async () => {
  app = await startBrowserMode('techniques')
  ;({ page, pageErrors } = app)
})

afterAll(async () => app?.close())

/** The active tab's rows of this kind and direction. */
const rows = (kind: string, direction = 'in') => page.locator(`[data-testid=frame-row][data-kind=${kind}][data-direction=${direction}]`)

async function connectSaved(name: string): Promise<void> {
  const entry = page.locator('[data-testid=saved-connection]', { has: page.getByTestId('saved-connection-name').getByText(name, { exact: true }) })
  await entry.getByTestId('saved-connection-open').dblclick()
  await expect.poll(() => page.locator('[data-testid=session-tab][aria-selected=true]').textContent()).toContain(name)
  await expect.poll(() => page.getByTestId('state').getAttribute('data-state'), { timeout: LIVE_TIMEOUT }).toBe('open')
}

/** Type a filter and check that every row left on screen is a match. */
async function filterBy(text: string): Promise<void> {
  await page.getByTestId('frame-search').fill(text)
  await expect.poll(() => page.getByTestId('frame-count').textContent()).toMatch(/\d+ of \d+ frames/)
  const shown = page.getByTestId('frame-row')
  const count = await shown.count()
  expect(count).toBeGreaterThan(0)
  for (let i = 0; i < count; i++) expect(await shown.nth(i).locator('mark').count()).toBeGreaterThan(0)
}

async function openDetail(kind: string, expectText: string): Promise<void> {
  await rows(kind).first().click()
  await expect.poll(() => page.getByTestId('detail-kind').textContent()).toContain(kind)
  expect(await page.getByTestId('frame-detail').textContent()).toContain(expectText)
}

async function disconnect(technique: string): Promise<void> {
  await page.screenshot({ path: join('test-artifacts', `e2e-${technique}.png`) })
  await page.getByTestId('frame-search').fill('')
  await page.getByTestId('connect').click()
  await expect.poll(() => page.getByTestId('state').getAttribute('data-state'), { timeout: 10_000 }).toBe('closed')
  await expect.poll(() => page.locator('[data-testid=frame-row][data-kind=close]').count()).toBeGreaterThan(0)
}

describe('browser mode: every technique from its saved connection', () => {
  it('offers one saved playground connection per technique, and the protocol examples, on the first start', async () => {
    await expect.poll(() => page.getByTestId('saved-connection').count()).toBe(9)
    const names = await page.getByTestId('saved-connection-name').allTextContents()
    expect(names.map((n) => n.trim()).sort()).toEqual([
      'GraphQL over SSE',
      'GraphQL subscription (graphql-ws)',
      'Long-poll feed',
      'NDJSON stream',
      'Polled counter',
      'SSE ticker',
      'Socket.IO chat',
      'Socket.IO over polling',
      'WebSocket echo',
    ])
  })

  it('WebSocket: connects, sends, filters to what was sent and echoed, shows it, disconnects', async () => {
    await connectSaved('WebSocket echo')
    const text = `{"hello":"e2e ${Date.now()}"}`
    await page.getByTestId('composer').fill(text)
    await page.getByTestId('send').click()
    await rows('message', 'out').filter({ hasText: 'e2e' }).waitFor({ timeout: LIVE_TIMEOUT })
    await rows('message').filter({ hasText: 'e2e' }).waitFor({ timeout: LIVE_TIMEOUT })
    await filterBy('hello')
    await expect.poll(() => page.getByTestId('frame-count').textContent()).toMatch(/^\s*2 of \d+ frames/)
    await openDetail('message', 'hello')
    await disconnect('websocket')
    expect(pageErrors).toEqual([])
  })

  it('SSE: events arrive live, filter by their data, detail shows the event, disconnects', async () => {
    await connectSaved('SSE ticker')
    await expect.poll(() => rows('event').count(), { timeout: LIVE_TIMEOUT }).toBeGreaterThanOrEqual(2)
    await filterBy('sentAt')
    await openDetail('event', 'sentAt')
    await disconnect('sse')
    expect(pageErrors).toEqual([])
  })

  it('Long-polling: messages from successive answers arrive, filter, detail, disconnect', async () => {
    await connectSaved('Long-poll feed')
    await expect.poll(() => rows('message').count(), { timeout: LIVE_TIMEOUT }).toBeGreaterThanOrEqual(2)
    expect(await rows('request', 'out').count()).toBeGreaterThanOrEqual(2)
    await filterBy('sentAt')
    await openDetail('message', 'sentAt')
    await disconnect('long-polling')
    expect(pageErrors).toEqual([])
  })

  it('Polling: polls go out on the interval, the changing counter arrives, filter, detail, disconnect', async () => {
    await connectSaved('Polled counter')
    await expect.poll(() => rows('request', 'out').count(), { timeout: LIVE_TIMEOUT }).toBeGreaterThanOrEqual(2)
    await expect.poll(() => rows('message').count(), { timeout: LIVE_TIMEOUT }).toBeGreaterThanOrEqual(1)
    await filterBy('counter')
    await openDetail('message', 'counter')
    await disconnect('polling')
    expect(pageErrors).toEqual([])
  })

  it('HTTP streaming: NDJSON records arrive as messages beside the raw chunks, filter, detail, disconnect', async () => {
    await connectSaved('NDJSON stream')
    await expect.poll(() => rows('message').count(), { timeout: LIVE_TIMEOUT }).toBeGreaterThanOrEqual(2)
    expect(await rows('chunk').count()).toBeGreaterThanOrEqual(1)
    await filterBy('sentAt')
    await openDetail('message', 'sentAt')
    await disconnect('streaming')
    // Five sessions side by side, each kept as a tab.
    expect(await page.getByTestId('session-tab').count()).toBeGreaterThanOrEqual(5)
    // Picking the first tab (the echo the first start opened, still live) puts it back in
    // the bar, so the button disconnects that session.
    await page.getByTestId('session-tab').first().click()
    await expect.poll(() => page.getByTestId('url').inputValue()).toMatch(/\/ws\/echo$/)
    await expect.poll(() => page.getByTestId('connect').textContent()).toContain('Disconnect')
    expect(pageErrors).toEqual([])
  })
})
