// The main window's web preferences, in one place so a test can hold them to the
// checklist: context isolation, a sandboxed renderer, no Node, web security on, and
// no DevTools in a packaged app.
import type { BrowserWindowConstructorOptions } from 'electron'

export interface WindowOptionsInput {
  preload: string
  /** Only an unpackaged (development) app may open DevTools. */
  devTools: boolean
}

export function mainWindowOptions({ preload, devTools }: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    title: 'Realtime Inspector',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      devTools,
    },
  }
}
