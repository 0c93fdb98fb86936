// Protocols as a newcomer meets them, for real: the built UI in Chromium through
// browser mode, the engine with a fresh data folder (so the first start seeds the
// protocol examples) and the playground's real Socket.IO and graphql-ws servers. From
// the seeded Socket.IO connection: emit with an ack and read its round-trip time; from
// the seeded GraphQL connection: subscribe, see the operation complete, and complete
// one by hand. Screenshots go to test-artifacts/ (the docs' are taken from these).
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowserMode, type BrowserMode } from '../helpers/browser-mode.js'

const LIVE_TIMEOUT = 15_000

let app: BrowserMode
let page: Page
let pageErrors: string[]

beforeAll(async () => {
  app = await startBrowserMode('protocols')
  ;({ page, pageErrors } = app)
})

afterAll(async () => app?.close())

const rows = (direction: 'in' | 'out', text: string | RegExp) => page.locator(`[data-testid=frame-row][data-direction=${direction}]`, { hasText: text })

async function connectSaved(name: string): Promise<void> {
  const entry = page.locator('[data-testid=saved-connection]', { has: page.getByTestId('saved-connection-name').getByText(name, { exact: true }) })
  await entry.getByTestId('saved-connection-open').dblclick()
  await expect.poll(() => page.locator('[data-testid=session-tab][aria-selected=true]').textContent()).toContain(name)
  await expect.poll(() => page.getByTestId('state').getAttribute('data-state'), { timeout: LIVE_TIMEOUT }).toBe('open')
}

async function disconnect(): Promise<void> {
  await page.getByTestId('connect').click()
  await expect.poll(() => page.getByTestId('state').getAttribute('data-state'), { timeout: 10_000 }).toBe('closed')
}

describe('browser mode: protocols from their seeded connections', () => {
  it('Socket.IO: events read by name, the handshake marked auto, an emit with an ack shows its round-trip time', async () => {
    await connectSaved('Socket.IO chat')
    // The server's ticks arrive as events by name; the namespace CONNECT went out by itself.
    await rows('in', 'event tick').first().waitFor({ timeout: LIVE_TIMEOUT })
    await expect.poll(() => page.locator('[data-testid=frame-row].auto').count()).toBeGreaterThan(0)

    // The composer opens on Emit for a Socket.IO session.
    expect(await page.getByTestId('encoding-emit').getAttribute('aria-checked')).toBe('true')
    const word = `hello-e2e-${Date.now()}`
    await page.getByTestId('emit-event').fill('chat')
    await page.getByTestId('emit-args').fill(`["${word}"]`)
    await page.getByTestId('emit-ack').check()
    await page.getByTestId('emit-send').click()

    const emitted = rows('out', `emit chat ["${word}"] (ack #`)
    await emitted.waitFor({ timeout: LIVE_TIMEOUT })
    const ackId = /\(ack #(\d+)\)/.exec((await emitted.textContent()) ?? '')?.[1]
    expect(ackId).toBeDefined()
    // The ACK reads as the protocol says it, with the time from the emit to it.
    const ack = rows('in', new RegExp(`ack #${ackId} \\["ok".*\\] \\d+ ms`))
    await ack.waitFor({ timeout: LIVE_TIMEOUT })
    // The chat is echoed to the sender as an event too.
    await rows('in', `event chat "${word}"`).waitFor({ timeout: LIVE_TIMEOUT })

    // A few more ticks, so the picture shows the events around the emit.
    await expect.poll(() => rows('in', 'event tick').count(), { timeout: LIVE_TIMEOUT }).toBeGreaterThanOrEqual(3)
    await ack.click()
    await page.getByTestId('packet-view').waitFor()
    expect(await page.getByTestId('packet-summary').textContent()).toMatch(new RegExp(`^ack #${ackId} \\["ok"`))
    const fields = await page.getByTestId('detail-fields').textContent()
    expect(fields).toMatch(/Round trip[\d.]+ (ms|s) \(emit to ACK\)/)
    // The raw wire is still there beside the packet.
    await page.getByTestId('tab-raw').click()
    expect(await page.getByTestId('view-raw').textContent()).toMatch(new RegExp(`^43${ackId}\\["ok"`))
    await page.getByTestId('tab-packet').click()
    await page.screenshot({ path: join('test-artifacts', 'e2e-protocol-socketio.png') })

    // The Packet menu picks the ACKs out of the ticks.
    await page.getByTestId('frame-packet').selectOption('type:ACK')
    await expect.poll(() => page.getByTestId('frame-row').count()).toBe(1)
    await page.getByTestId('frame-packet').selectOption('')
    await disconnect()
    expect(pageErrors).toEqual([])
  })

  it('GraphQL: the seeded operation runs, a subscription typed in the composer completes, a running one is completed by hand', async () => {
    await connectSaved('GraphQL subscription (graphql-ws)')
    // The saved operation is subscribed once the server acknowledged the connection.
    await rows('in', 'connection_ack').waitFor({ timeout: LIVE_TIMEOUT })
    await rows('in', /^.*next #\S+ \{"data":\{"ticks"/).first().waitFor({ timeout: LIVE_TIMEOUT })

    expect(await page.getByTestId('encoding-subscribe').getAttribute('aria-checked')).toBe('true')
    await page.getByTestId('subscribe-query').fill('subscription Hello { greetings }')
    await page.getByTestId('subscribe-operation-name').fill('Hello')
    await page.getByTestId('subscribe-send').click()
    const subscribed = rows('out', /subscribe #\S+ .*greetings/)
    await subscribed.waitFor({ timeout: LIVE_TIMEOUT })
    const id = /subscribe #(\S+)/.exec((await subscribed.textContent()) ?? '')?.[1]
    expect(id).toBeDefined()
    // Five greetings, then the server completes the operation.
    await rows('in', `next #${id} {"data":{"greetings":"Hello"}}`).waitFor({ timeout: LIVE_TIMEOUT })
    await rows('in', new RegExp(`complete #${id}$`)).waitFor({ timeout: LIVE_TIMEOUT })
    await expect.poll(() => page.locator(`[data-testid=active-operation][data-id="${id}"]`).count()).toBe(0)

    // A long one, completed from the composer.
    await page.getByTestId('subscribe-query').fill('subscription { ticks(count: 100, intervalMs: 200) { n } }')
    await page.getByTestId('subscribe-operation-name').fill('')
    await page.getByTestId('subscribe-send').click()
    const running = page.locator('[data-testid=active-operation]', { hasText: 'ticks(count: 100' })
    await running.waitFor({ timeout: LIVE_TIMEOUT })
    const longId = await running.getAttribute('data-id')
    await expect.poll(() => rows('in', `next #${longId} `).count(), { timeout: LIVE_TIMEOUT }).toBeGreaterThanOrEqual(3)
    await rows('in', `next #${longId} `).last().click()
    await page.getByTestId('packet-view').waitFor()
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join('test-artifacts', 'e2e-protocol-graphql.png') })
    await running.getByTestId('complete-operation').click()
    await rows('out', new RegExp(`complete #${longId}$`)).waitFor({ timeout: LIVE_TIMEOUT })
    await expect.poll(() => running.count()).toBe(0)
    await page.emulateMedia({ colorScheme: 'light' })
    // The session stays open: a completed operation is a normal end, not a drop.
    expect(await page.getByTestId('state').getAttribute('data-state')).toBe('open')
    await disconnect()
    expect(pageErrors).toEqual([])
  })
})
