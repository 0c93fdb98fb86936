// The diagnostics panel for real: the built UI in Chromium, the engine's detectors and
// its probe against the playground. A WebSocket the playground resets after 500 ms
// raises `connection-reset`: the badge counts it, the panel explains it, the timeline
// marks it, and its evidence button selects the frame it points at. Then the probe runs
// from the panel against a playground SSE ticker, its checklist moving to the end, and
// its technique matrix lists every technique.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowserMode, type BrowserMode } from '../helpers/browser-mode.js'

let app: BrowserMode
let page: Page

beforeAll(async () => {
  app = await startBrowserMode('diagnostics')
  page = app.page
})

afterAll(async () => app?.close())

async function connectTo(technique: string, url: string): Promise<void> {
  await page.getByTestId('technique').selectOption(technique)
  await page.getByTestId('url').fill(url)
  await page.getByTestId('connect').click()
  await expect.poll(() => page.locator('[data-testid=session-tab][aria-selected=true]').textContent()).toContain(new URL(url).pathname)
}

describe('browser mode: the diagnostics panel', () => {
  it('counts a reset on the badge, explains it in the panel, marks it on the timeline, and jumps to its frame', async () => {
    const base = app.engine.playground!.baseUrl
    await connectTo('websocket', `${base.replace(/^http/, 'ws')}/ws/reset?after=500`)
    await expect.poll(() => page.getByTestId('diagnostics-count').textContent(), { timeout: 10_000 }).toBe('1')
    expect(await page.getByTestId('diagnostics-button').getAttribute('data-severity')).toBe('warning')
    await expect.poll(() => page.getByTestId('timeline-finding').count()).toBe(1)

    await page.getByTestId('diagnostics-button').click()
    const card = page.locator('[data-testid=finding][data-finding=connection-reset]')
    await card.waitFor()
    expect(await card.getByTestId('finding-summary').textContent()).toMatch(/reset/i)
    expect((await card.getByTestId('finding-evidence').allTextContents()).join('\n')).toContain('ECONNRESET')
    expect(await card.getByTestId('finding-remedy').textContent()).not.toBe('')

    const jump = card.getByTestId('finding-jump').first()
    const seq = await jump.getAttribute('data-seq')
    await jump.click()
    const row = page.locator(`[data-testid=frame-row][data-seq="${seq}"]`)
    await expect.poll(() => row.getAttribute('aria-selected')).toBe('true')
    expect(await row.getAttribute('data-kind')).toBe('close')

    // Escape from inside the panel closes it; the detail shows the frame the evidence chose.
    await page.getByTestId('diagnostics-close').focus()
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('diagnostics-panel').count()).toBe(0)
    expect(await page.getByTestId('detail-kind').textContent()).toContain('close')
    await page.screenshot({ path: join('test-artifacts', 'e2e-diagnostics-finding.png') })
    expect(app.pageErrors).toEqual([])
  })

  it('runs the probe from the panel against the playground: checklist to the end, then the technique matrix', async () => {
    const base = app.engine.playground!.baseUrl
    await connectTo('sse', `${base}/sse/ticker?interval=300`)
    await page.keyboard.press('Control+Shift+D')
    await page.getByTestId('diagnostics-panel').waitFor()
    expect(await page.getByTestId('diagnostics-empty').textContent()).toContain('No problem seen on this connection')

    await page.getByTestId('probe-max-time').fill('6')
    await page.getByTestId('probe-run').click()
    await page.getByTestId('probe-cancel').waitFor()
    await expect.poll(() => page.locator('[data-testid=probe-check][data-state=running]').count()).toBeGreaterThan(0)
    await expect.poll(() => page.getByTestId('probe-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('done')
    const states = await page.getByTestId('probe-check').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')))
    expect(states.length).toBeGreaterThan(5)
    expect(states.every((s) => s === 'done' || s === 'skipped')).toBe(true)

    const techniques = await page.getByTestId('matrix-row').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-technique'), r.getAttribute('data-verdict')]))
    expect(techniques.map(([t]) => t).sort()).toEqual(['long-polling', 'polling', 'sse', 'streaming', 'websocket'])
    expect(techniques.find(([t]) => t === 'sse')?.[1]).toBe('works')
    expect(await page.getByTestId('probe-run').textContent()).toContain('Run again')
    await page.screenshot({ path: join('test-artifacts', 'e2e-diagnostics-probe.png') })
    expect(app.pageErrors).toEqual([])
  }, 40_000)
})
