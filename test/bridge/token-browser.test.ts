// The browser-mode token in a real browser (Debian's Chromium, the built UI): opening
// the printed URL leaves the token out of the address bar and out of every history
// entry, the session lives in a cookie the page's scripts cannot read, the app works
// under the page's CSP, and a rotated token retires the tab until the new URL is opened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowserMode, type BrowserMode } from '../helpers/browser-mode.js'

let app: BrowserMode
beforeAll(async () => {
  app = await startBrowserMode('token')
}, 60_000)
afterAll(async () => {
  await app?.close()
})

describe('browser-mode token in Chromium', () => {
  it('is out of the URL and the history once the page has loaded; the session cookie is HttpOnly, SameSite=Strict, this host only', async () => {
    const { page, bridge, browser } = app
    expect(page.url()).toBe(`${bridge.origin}/`)
    const entries = await page.evaluate(() => (globalThis as unknown as { navigation: { entries(): Array<{ url: string }> } }).navigation.entries().map((e) => e.url))
    expect(entries.some((url) => url.includes('token'))).toBe(false)
    expect(await page.evaluate("document.cookie")).toBe('')

    const cookies = await browser.cookies(bridge.origin)
    expect(cookies).toHaveLength(1)
    expect(cookies[0]).toMatchObject({ name: `rti-session-${bridge.port}`, domain: '127.0.0.1', path: '/', httpOnly: true, sameSite: 'Strict', expires: -1 })
    expect(cookies[0]!.value).not.toBe(bridge.token)

    // The app reached the engine through its session: the first run's echo session opens.
    await expect.poll(() => page.getByTestId('state').getAttribute('data-state'), { timeout: 15_000 }).toBe('open')
    expect(app.pageErrors).toEqual([])
  })

  it('after a rotation the tab is refused on reload, and the new URL opens it again', async () => {
    const { page, bridge } = app
    const oldUrl = bridge.url
    const newUrl = bridge.rotateToken()
    const reloaded = await page.reload()
    expect(reloaded?.status()).toBe(403)
    expect((await page.goto(oldUrl))?.status()).toBe(403)
    expect((await page.goto(newUrl))?.status()).toBe(200)
    expect(page.url()).toBe(`${bridge.origin}/`)
    await expect.poll(() => page.getByTestId('state').getAttribute('data-state'), { timeout: 15_000 }).toBe('open')
  })
})
