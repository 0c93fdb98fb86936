// Developer tool: build the UI into a private folder, serve it with the real engine
// and playground, drive it in Chromium with a steps module, and save a screenshot.
//   node --import tsx scripts/ui-shot.ts --name me --shot /tmp/me.png [--steps steps.mjs] [--dark] [--no-build]
// A steps module exports `default async (page, { playground, engine }) => {}`.
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'
import { startBridge } from '../main/bridge/index.js'
import { createEngine } from '../main/engine.js'

const { values } = parseArgs({
  options: {
    name: { type: 'string', default: 'ui' },
    shot: { type: 'string', default: '/tmp/ui-shot.png' },
    steps: { type: 'string' },
    dark: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '800' },
  },
})
const outDir = join(tmpdir(), `rti-ui-${values.name}`)
if (!values['no-build']) execFileSync('npx', ['electron-vite', 'build', '--outDir', outDir, '--logLevel', 'error'], { stdio: 'inherit' })
// A fresh data folder per run: the saved connections start as a first start's seeds.
const dataDir = await mkdtemp(join(tmpdir(), 'rti-ui-data-'))
const engine = await createEngine({ playground: true, dataDir })
const bridge = await startBridge({ engine, port: 0, rendererDir: join(outDir, 'renderer') })
const profile = await mkdtemp(join(tmpdir(), 'rti-ui-shot-'))
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  viewport: { width: Number(values.width), height: Number(values.height) },
  colorScheme: values.dark ? 'dark' : 'light',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
try {
  const page = browser.pages()[0] ?? (await browser.newPage())
  page.on('pageerror', (e) => console.error('pageerror:', e.message))
  page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()))
  await page.goto(bridge.url)
  await page.waitForTimeout(800)
  if (values.steps) {
    const steps = (await import(pathToFileURL(resolve(values.steps)).href)).default
    await steps(page, { playground: engine.playground, engine })
  }
  await page.screenshot({ path: values.shot })
  console.log(`screenshot: ${values.shot}`)
} finally {
  await browser.close()
  await bridge.close()
  await engine.close()
  await rm(profile, { recursive: true, force: true })
  await rm(dataDir, { recursive: true, force: true })
}
