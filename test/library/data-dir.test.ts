// `rti serve` without --data-dir: $RTI_DATA_DIR, else the XDG config folder.
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { defaultDataDir } from '../../main/library/index.js'

it('prefers RTI_DATA_DIR, then XDG_CONFIG_HOME, then ~/.config', () => {
  expect(defaultDataDir({ RTI_DATA_DIR: '/data/rti', XDG_CONFIG_HOME: '/xdg' }, '/home/me')).toBe('/data/rti')
  expect(defaultDataDir({ XDG_CONFIG_HOME: '/xdg' }, '/home/me')).toBe(join('/xdg', 'realtime-inspector'))
  expect(defaultDataDir({ XDG_CONFIG_HOME: '' }, '/home/me')).toBe(join('/home/me', '.config', 'realtime-inspector'))
  expect(defaultDataDir({}, '/home/me')).toBe(join('/home/me', '.config', 'realtime-inspector'))
})
