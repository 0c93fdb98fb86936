// The application menu. Electron's default one binds Ctrl/Cmd+W to closing the window,
// so the page's "close this session tab" never sees it; this menu keeps the usual
// edit, view and window roles and leaves that key to the page. DevTools are in the
// View menu only in development: a packaged app has none to open.
import type { MenuItemConstructorOptions } from 'electron'

export interface MenuActions {
  openRecording(): void
}

export interface MenuOptions {
  /** Development only (an unpackaged app); absent means a production menu. */
  devTools?: boolean
}

export function appMenuTemplate(platform: NodeJS.Platform, appName: string, actions: MenuActions, options: MenuOptions = {}): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin'
  const openRecording: MenuItemConstructorOptions = { label: 'Open Recording…', accelerator: 'CmdOrCtrl+O', click: () => actions.openRecording() }
  return [
    ...(mac ? [{ label: appName, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { type: 'separator' }, { role: 'quit' }] } as MenuItemConstructorOptions] : []),
    { label: 'File', submenu: [openRecording, { type: 'separator' }, mac ? { role: 'close', accelerator: 'Cmd+Shift+W' } : { role: 'quit' }] },
    { role: 'editMenu' },
    { label: 'View', submenu: [{ role: 'reload' }, ...(options.devTools === true ? [{ role: 'toggleDevTools' } as MenuItemConstructorOptions] : []), { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    // No 'close' here: Ctrl/Cmd+W belongs to the page (close the session tab).
    { label: 'Window', submenu: [{ role: 'minimize' }, ...(mac ? [{ role: 'zoom' } as MenuItemConstructorOptions] : [])] },
  ]
}
