// The main window's preferences hold to Electron's checklist; DevTools only in development.
import { describe, expect, it } from 'vitest'
import { mainWindowOptions } from '../../electron/window-options.js'

describe('main window options', () => {
  it('isolates and sandboxes the renderer, without Node, webviews or insecure content', () => {
    const prefs = mainWindowOptions({ preload: '/app/out/preload/index.cjs', devTools: false }).webPreferences!
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
  })

  it('has DevTools only when asked (an unpackaged app)', () => {
    expect(mainWindowOptions({ preload: 'p', devTools: false }).webPreferences!.devTools).toBe(false)
    expect(mainWindowOptions({ preload: 'p', devTools: true }).webPreferences!.devTools).toBe(true)
  })
})
