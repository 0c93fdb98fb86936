// The whole path a first-time user takes, for real: the built UI in Chromium, the
// bridge, the engine and the playground's echo endpoint. Open the app, press
// Connect on the prefilled echo URL, send a message, see it go out and come back.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../main/bridge/index.js'
import { createEngine, type Engine } from '../../main/engine.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SCREENSHOT = join('test-artifacts', 'e2e-websocket-echo.png')

let engine: Engine
let bridge: Bridge
let profile: string
let browser: BrowserContext
let page: Page
/** Anything the page logs as an error (a CSP violation, an exception) fails the test. */
const pageErrors: string[] = []

beforeAll(async () => {
  engine = await createEngine({ playground: true })
  bridge = await startBridge({ engine, port: 0 })
  profile = await mkdtemp(join(tmpdir(), 'rti-e2e-chromium-'))
  // A fresh profile each run: no cache or storage from an earlier run can help.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1200, height: 720 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  page = browser.pages()[0] ?? (await browser.newPage())
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`)
  })
})

afterAll(async () => {
  await browser?.close()
  await bridge?.close()
  await engine?.close()
  if (profile) await rm(profile, { recursive: true, force: true })
})

describe('browser mode: WebSocket echo', () => {
  it('connects to the playground echo on the first run, sends a message and shows it going out and coming back', async () => {
    const echo = engine.playground!.endpoints.find((e) => e.technique === 'websocket' && /echo/i.test(e.name))!
    await page.goto(bridge.url)

    const url = page.getByTestId('url')
    await expect.poll(() => url.inputValue()).toBe(echo.url)
    // A first run shows live traffic with no setup: the echo session opens by itself.
    await expect.poll(() => page.getByTestId('state').getAttribute('data-state'), { timeout: 10_000 }).toBe('open')
    expect(await page.getByTestId('connect').textContent()).toContain('Disconnect')

    const text = `hello from the e2e test ${Date.now()}`
    await page.getByTestId('composer').fill(text)
    await page.getByTestId('send').click()

    const sent = page.locator('[data-testid=frame-row][data-kind=message][data-direction=out]', { hasText: text })
    const echoed = page.locator('[data-testid=frame-row][data-kind=message][data-direction=in]', { hasText: text })
    await sent.waitFor({ timeout: 10_000 })
    await echoed.waitFor({ timeout: 10_000 })

    // The handshake is on screen too: what went out, and the 101 that came back.
    expect(await page.locator('[data-testid=frame-row][data-kind=request][data-direction=out]').count()).toBe(1)
    expect(await page.locator('[data-testid=frame-row][data-kind=open]').count()).toBe(1)
    await expect.poll(() => page.getByTestId('state').textContent()).toContain('open')

    await mkdir('test-artifacts', { recursive: true })
    await page.screenshot({ path: SCREENSHOT })
    expect(pageErrors).toEqual([])
  })

  it('connects by itself only once: a reload picks up the running session instead of opening another', async () => {
    await page.reload()
    await expect.poll(() => page.getByTestId('state').getAttribute('data-state'), { timeout: 10_000 }).toBe('open')
    const listed = await engine.createClient('bridge').listSessions()
    expect(listed.ok && listed.value.length).toBe(1)

    await page.getByTestId('connect').click()
    await expect.poll(() => page.getByTestId('state').getAttribute('data-state'), { timeout: 10_000 }).toBe('closed')
    await page.reload()
    await expect.poll(() => page.locator('[data-testid=frame-row][data-kind=close]').count(), { timeout: 10_000 }).toBe(1)
    const after = await engine.createClient('bridge').listSessions()
    expect(after.ok && after.value.length).toBe(1)
  })
})
