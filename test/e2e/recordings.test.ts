// Recordings in the real UI: the built page in Chromium through browser mode, the
// engine with a fresh data folder (so every session is recorded) and the playground.
// Record a WebSocket echo session, find it in the Recordings tab, open it read-only
// (same frames, the detail pane works), play it at 2× and watch frames arrive, step
// and scrub back, then drop a recording file on the window. Screenshots go to
// test-artifacts/e2e-recordings-*.png.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../main/engine.js'
import { startBrowserMode, type BrowserMode } from '../helpers/browser-mode.js'

const MESSAGES = ['first e2e message', '{"second":2}', 'third and last']
/** Between sends, so a 2× playback takes long enough to be seen filling in. */
const SEND_GAP_MS = 350

let app: BrowserMode
let engine: Engine
let page: Page
let pageErrors: string[]
/** What the live session's list showed, row by row. */
let liveRows: string[] = []

beforeAll(async () => {
  app = await startBrowserMode('rec')
  ;({ engine, page, pageErrors } = app)
})

afterAll(async () => app?.close())

const rows = () => page.getByTestId('frame-row')
const rowTexts = async () => (await rows().allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())
const activeTab = () => page.locator('[data-testid=session-tab][aria-selected=true]')
const shot = (name: string) => page.screenshot({ path: join('test-artifacts', `e2e-recordings-${name}.png`) })

/** Sets the scrubber as a user letting go of it there would (input while dragging, change on release). */
async function scrubTo(offsetMs: number): Promise<void> {
  await page.getByTestId('playback-scrubber').evaluate((element, value) => {
    // Page code; this file is typed without the DOM.
    const input = element as unknown as { value: string; dispatchEvent(event: Event): boolean }
    input.value = String(value)
    input.dispatchEvent(new Event('input', { bubbles: true }))
    input.dispatchEvent(new Event('change', { bubbles: true }))
  }, offsetMs)
}

/** One file dragged onto the window as the desktop sends it (page code as a string: this file is typed without the DOM). */
async function dragFile(type: 'dragenter' | 'drop', name: string, content: string): Promise<void> {
  await page.evaluate(`(() => {
    const transfer = new DataTransfer()
    transfer.items.add(new File([${JSON.stringify(content)}], ${JSON.stringify(name)}))
    window.dispatchEvent(new DragEvent(${JSON.stringify(type)}, { dataTransfer: transfer, bubbles: true, cancelable: true }))
  })()`)
}

describe('browser mode: recordings', () => {
  it('records a WebSocket echo session', async () => {
    // The first start connects to the playground's echo by itself.
    await expect.poll(() => page.getByTestId('state').getAttribute('data-state'), { timeout: 15_000 }).toBe('open')
    for (const text of MESSAGES) {
      await page.getByTestId('composer').fill(text)
      await page.getByTestId('send').click()
      await page.locator('[data-testid=frame-row][data-direction=in][data-kind=message]', { hasText: text }).waitFor()
      await page.waitForTimeout(SEND_GAP_MS)
    }
    await page.getByTestId('connect').click()
    await expect.poll(() => page.getByTestId('state').getAttribute('data-state'), { timeout: 10_000 }).toBe('closed')
    await page.locator('[data-testid=frame-row][data-kind=close]').waitFor()
    liveRows = await rowTexts()
    expect(liveRows.length).toBeGreaterThanOrEqual(10)
  })

  it('lists the recording in the Recordings tab with what it holds', async () => {
    await page.getByTestId('sidebar-tab-recordings').click()
    const item = page.getByTestId('recording')
    await expect.poll(() => item.count()).toBe(1)
    const endpoint = engine.playground!.endpoints.find((e) => e.technique === 'websocket' && /echo/i.test(e.name))!.url
    expect(await item.getByTestId('recording-name').textContent()).toBe(new URL(endpoint).host + new URL(endpoint).pathname)
    expect(await item.locator('.technique').textContent()).toBe('WS')
    await expect.poll(() => item.getByTestId('recording-meta').textContent()).toMatch(new RegExp(`${liveRows.length} frames`))
    expect(await item.getByTestId('recording-started').textContent()).toMatch(/^Today \d\d:\d\d:\d\d$/)

    // Search by content finds it; nonsense finds nothing.
    await page.getByTestId('recordings-text-search').fill('second')
    await expect.poll(() => page.getByTestId('recordings-summary').textContent()).toBe('1 found')
    expect(await item.getByTestId('recording-matches').textContent()).toMatch(/[12] match/)
    await page.getByTestId('recordings-text-search').fill('no such text anywhere')
    await expect.poll(() => page.getByTestId('recordings-summary').textContent()).toBe('0 found')
    await page.getByTestId('recordings-text-search').fill('')
    await expect.poll(() => item.count()).toBe(1)
  })

  it('opens it read-only: the same frames as the live session, a working detail pane, no composer', async () => {
    await page.getByTestId('recording-open').click()
    await expect.poll(() => activeTab().getAttribute('data-playback')).toBe('true')
    expect(await activeTab().getByTestId('session-tab-recording').textContent()).toBe('recording')
    await expect.poll(rowTexts).toEqual(liveRows)
    expect(await page.getByTestId('composer').count()).toBe(0)
    expect(await page.getByTestId('playback-position').textContent()).toContain(`${liveRows.length} / ${liveRows.length}`)

    await page.locator('[data-testid=frame-row][data-kind=message][data-direction=out]', { hasText: 'second' }).click()
    await expect.poll(() => page.getByTestId('detail-kind').textContent()).toContain('message')
    expect(await page.getByTestId('frame-detail').textContent()).toContain('second')
    await shot('view')
    expect(pageErrors).toEqual([])
  })

  it('plays it again at 2×: frames arrive over time, in order, until all are back', async () => {
    await page.getByTestId('playback-speed').selectOption('2')
    const started = Date.now()
    await page.getByTestId('playback-play').click()
    // Part of the way: some frames played, not all of them yet.
    await expect.poll(async () => {
      const count = await rows().count()
      return count > 0 && count < liveRows.length
    }, { interval: 20 }).toBe(true)
    await shot('playing')
    await expect.poll(rowTexts, { timeout: 10_000 }).toEqual(liveRows)
    // The messages were sent about 3 × SEND_GAP_MS apart: half that at 2×, with room for a busy machine.
    expect(Date.now() - started).toBeGreaterThanOrEqual((2 * SEND_GAP_MS) / 2 - 50)
    expect(await page.getByTestId('playback-play').getAttribute('aria-label')).toBe('Play again from the start')
    expect(pageErrors).toEqual([])
  })

  it('scrubs back to the start and steps one frame at a time', async () => {
    await scrubTo(0)
    await expect.poll(() => rows().count()).toBe(0)
    await expect.poll(() => page.getByTestId('playback-position').textContent()).toContain(`0 / ${liveRows.length}`)
    await page.getByTestId('playback-step').click()
    await expect.poll(rowTexts).toEqual(liveRows.slice(0, 1))
    await page.getByTestId('playback-bar').focus()
    await page.keyboard.press('ArrowRight')
    await expect.poll(rowTexts).toEqual(liveRows.slice(0, 2))
    await expect.poll(() => page.getByTestId('playback-position').textContent()).toContain(`2 / ${liveRows.length}`)

    // Scrubbed to the middle of the recording: the frames from there on play.
    const duration = Number(await page.getByTestId('playback-scrubber').getAttribute('max'))
    await scrubTo(Math.round(duration / 2))
    await expect.poll(() => rows().count()).toBe(0)
    await page.keyboard.press('Space')
    await expect.poll(async () => (await rowTexts()).at(-1), { timeout: 10_000 }).toBe(liveRows.at(-1))
    const tail = await rowTexts()
    expect(tail.length).toBeLessThan(liveRows.length)
    expect(tail).toEqual(liveRows.slice(liveRows.length - tail.length))
    await shot('scrubbed')
    expect(pageErrors).toEqual([])
  })

  it('opens a recording file dropped on the window (sent to the engine, then played back)', async () => {
    const folder = join(app.dataDir, 'recordings')
    const [name] = (await readdir(folder)).filter((n) => n.endsWith('.rti.jsonl'))
    const text = await readFile(join(folder, name!), 'utf8')
    const tabsBefore = await page.getByTestId('session-tab').count()

    await dragFile('dragenter', 'dragging.rti.jsonl', '{}')
    await page.getByTestId('drop-overlay').waitFor()
    await shot('dragging')

    await dragFile('drop', 'dropped.rti.jsonl', text)
    await expect.poll(() => page.getByTestId('drop-overlay').count()).toBe(0)
    await expect.poll(() => page.getByTestId('session-tab').count()).toBe(tabsBefore + 1)
    await expect.poll(() => activeTab().getAttribute('data-playback')).toBe('true')
    await expect.poll(rowTexts).toEqual(liveRows)
    // It is in the library now, beside the original.
    await page.getByTestId('recordings-refresh').click()
    await expect.poll(() => page.getByTestId('recording').count()).toBe(2)
    expect(await page.locator('[data-testid=recording][data-name^=dropped]').count()).toBe(1)

    // Something that is not a recording is refused with a reason.
    await dragFile('drop', 'notes.txt', 'hello')
    await expect.poll(() => page.getByTestId('playback-error').textContent()).toContain('notes.txt')
    await shot('drop-refused')
    await page.getByTestId('playback-error-dismiss').click()

    await page.emulateMedia({ colorScheme: 'dark' })
    await page.getByTestId('recording').first().hover()
    await shot('dark')
    await page.emulateMedia({ colorScheme: 'light' })
    expect(pageErrors).toEqual([])
  })
})
