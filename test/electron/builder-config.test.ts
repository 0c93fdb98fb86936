// The packaging configuration, read and validated by electron-builder itself: Electron's
// fuses are set so the packaged app cannot be run as Node (ELECTRON_RUN_AS_NODE,
// NODE_OPTIONS, --inspect) and loads only its integrity-checked app.asar.
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Configuration } from 'app-builder-lib'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js'
import { DebugLogger } from 'builder-util'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

describe('electron-builder.yml', () => {
  it('sets the fuses of Electron’s security checklist, and electron-builder accepts them', async () => {
    const config = await getConfig(ROOT, null, null)
    await validateConfiguration(config, new DebugLogger(false))
    expect(config.asar ?? true).toBe(true)
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    })
  })

  it('the validation is real: a misspelled fuse is refused', async () => {
    const config = await getConfig(ROOT, null, null)
    const misspelled = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } } as Configuration
    await expect(validateConfiguration(misspelled, new DebugLogger(false))).rejects.toThrow(/runAsNod|electronFuses/)
  })
})
