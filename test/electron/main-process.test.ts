// The desktop app's main process puts the engine's safety net under itself before
// anything else: a fault that escapes every call (thrown later from a timer or a
// stream event, a rejection nobody awaited) is reported to the app's log, and the
// engine with every session goes on. The main module runs against a stand-in for
// Electron whose app never becomes ready, so only what it does on load runs.
import { afterAll, describe, expect, it, vi } from 'vitest'

const electron = vi.hoisted(() => ({
  app: { isPackaged: true, on: () => undefined, whenReady: () => new Promise<never>(() => {}) },
  protocol: { registerSchemesAsPrivileged: () => undefined },
}))
vi.mock('electron', () => ({ ...electron, BrowserWindow: class {}, dialog: {}, ipcMain: {}, Menu: {}, safeStorage: {}, session: {} }))

type Listener = (...args: unknown[]) => void
const EVENTS = ['uncaughtException', 'unhandledRejection'] as const
type FaultEvent = (typeof EVENTS)[number]
const listeners = (event: FaultEvent) => (event === 'uncaughtException' ? process.listeners(event) : process.listeners(event)) as Listener[]
const before = new Map(EVENTS.map((event) => [event, listeners(event)]))
const added = (event: FaultEvent) => listeners(event).filter((listener) => !before.get(event)!.includes(listener))

afterAll(() => {
  // The test runner's own listeners stay; the app's guard leaves with this file.
  for (const event of EVENTS) for (const listener of added(event)) process.off(event, listener)
})

describe('the Electron main process', () => {
  it('reports a fault that escapes every call instead of leaving it to Electron', async () => {
    await import('../../electron/main.js')
    const [onException] = added('uncaughtException')
    const [onRejection] = added('unhandledRejection')
    expect(onException).toBeTypeOf('function')
    expect(onRejection).toBeTypeOf('function')
    const written: string[] = []
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      written.push(String(text))
      return true
    })
    try {
      onException!(new RangeError('Invalid string length'))
      onRejection!(new TypeError('nobody awaited this'))
    } finally {
      write.mockRestore()
    }
    expect(written.join('')).toMatch(/^rti: internal error in the engine process \(the engine goes on\): RangeError: Invalid string length\n\s+at /)
    expect(written.join('')).toMatch(/rti: internal error in the engine process \(a rejected promise\) \(the engine goes on\): TypeError: nobody awaited this/)
  })
})
