// The desktop menu leaves Ctrl/Cmd+W to the page (closing a session tab), on every
// platform, and offers DevTools only in development.
import { describe, expect, it } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import { appMenuTemplate } from '../../electron/app-menu.js'

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])])
}

describe('application menu', () => {
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`binds nothing to Ctrl/Cmd+W on ${platform}`, () => {
      const all = items(appMenuTemplate(platform, 'Realtime Inspector', { openRecording: () => {} }))
      // A 'close' role without an accelerator of its own takes CmdOrCtrl+W.
      const closers = all.filter((item) => item.role === 'close' && (!item.accelerator || /^(CmdOrCtrl|Cmd|Ctrl)\+W$/i.test(String(item.accelerator))))
      expect(closers).toEqual([])
      expect(all.some((item) => item.role === 'editMenu')).toBe(true)
    })
  }

  it('has File › Open Recording… on Ctrl/Cmd+O, which asks for a file', () => {
    let asked = 0
    const open = items(appMenuTemplate('linux', 'Realtime Inspector', { openRecording: () => asked++ })).find((item) => item.label === 'Open Recording…')
    expect(open?.accelerator).toBe('CmdOrCtrl+O')
    ;(open!.click as () => void)()
    expect(asked).toBe(1)
  })

  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`has no DevTools in the production menu on ${platform}, and has them in development`, () => {
      const devTools = (options?: { devTools?: boolean }) => items(appMenuTemplate(platform, 'Realtime Inspector', { openRecording: () => {} }, options)).filter((item) => item.role === 'toggleDevTools')
      expect(devTools()).toEqual([])
      expect(devTools({ devTools: false })).toEqual([])
      expect(devTools({ devTools: true })).toHaveLength(1)
    })
  }
})
