// The whole app for end-to-end tests: the engine (with the playground and a fresh data
// folder), the bridge serving the built UI, and Debian's Chromium on a fresh profile.
// Anything the page logs as an error is collected, so a test can insist on none.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { startBridge, type Bridge } from '../../main/bridge/index.js'
import { createEngine, type Engine } from '../../main/engine.js'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export interface BrowserMode {
  engine: Engine
  bridge: Bridge
  browser: BrowserContext
  page: Page
  dataDir: string
  pageErrors: string[]
  close(): Promise<void>
}

/** Starts everything and opens the app's URL; screenshots go to test-artifacts/. */
export async function startBrowserMode(name: string, viewport = { width: 1360, height: 820 }): Promise<BrowserMode> {
  const dataDir = await mkdtemp(join(tmpdir(), `rti-e2e-${name}-data-`))
  const engine = await createEngine({ playground: true, dataDir })
  // RTI_RENDERER_DIR: a private build to test instead of out/renderer.
  const bridge = await startBridge({ engine, port: 0, ...(process.env.RTI_RENDERER_DIR ? { rendererDir: process.env.RTI_RENDERER_DIR } : {}) })
  const profile = await mkdtemp(join(tmpdir(), `rti-e2e-${name}-chromium-`))
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, viewport, args: CHROMIUM_ARGS })
  const page = browser.pages()[0] ?? (await browser.newPage())
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`)
  })
  await page.goto(bridge.url)
  await mkdir('test-artifacts', { recursive: true })
  return {
    engine,
    bridge,
    browser,
    page,
    dataDir,
    pageErrors,
    async close() {
      await browser.close()
      await bridge.close()
      await engine.close()
      for (const dir of [profile, dataDir]) await rm(dir, { recursive: true, force: true })
    },
  }
}
