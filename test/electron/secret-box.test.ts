// The desktop app's SecretBox over safeStorage, driven by a stand-in: it encrypts
// when the OS can keep secrets, and declines (so the engine uses its private file)
// when it cannot — including Linux's basic_text backend, which protects nothing.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { secretBoxFromSafeStorage, type SafeStorageLike } from '../../electron/secret-box.js'

function standInSafeStorage(available: boolean, backend = 'gnome_libsecret'): SafeStorageLike & { encrypted: number } {
  const key = randomBytes(32)
  return {
    encrypted: 0,
    isAsyncEncryptionAvailable: async () => available,
    getSelectedStorageBackend: () => backend,
    async encryptStringAsync(plain) {
      this.encrypted++
      const iv = randomBytes(16)
      const cipher = createCipheriv('aes-256-cbc', key, iv)
      return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()])
    },
    async decryptStringAsync(encrypted) {
      const decipher = createDecipheriv('aes-256-cbc', key, encrypted.subarray(0, 16))
      return { result: Buffer.concat([decipher.update(encrypted.subarray(16)), decipher.final()]).toString('utf8'), shouldReEncrypt: false }
    },
  }
}

describe('secretBoxFromSafeStorage', () => {
  it('encrypts to base64 and decrypts back through safeStorage', async () => {
    const storage = standInSafeStorage(true)
    const box = await secretBoxFromSafeStorage(storage, 'linux')
    expect(box?.kind).toBe('encrypted')
    const sealed = await box!.encrypt('tøken with ünïcode')
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+={0,2}$/)
    expect(sealed).not.toContain('ken')
    expect(storage.encrypted).toBe(1)
    expect(await box!.decrypt(sealed)).toBe('tøken with ünïcode')
  })

  it('is not offered when encryption is unavailable', async () => {
    expect(await secretBoxFromSafeStorage(standInSafeStorage(false), 'darwin')).toBeUndefined()
    const throwing = { ...standInSafeStorage(true), isAsyncEncryptionAvailable: () => Promise.reject(new Error('not ready')) }
    expect(await secretBoxFromSafeStorage(throwing, 'win32')).toBeUndefined()
  })

  it('is not offered on Linux without a keyring (basic_text: a hard-coded password)', async () => {
    expect(await secretBoxFromSafeStorage(standInSafeStorage(true, 'basic_text'), 'linux')).toBeUndefined()
    expect(await secretBoxFromSafeStorage(standInSafeStorage(true, 'kwallet6'), 'linux')).toBeDefined()
    // The backend question is Linux-only; elsewhere availability decides.
    expect(await secretBoxFromSafeStorage(standInSafeStorage(true, 'basic_text'), 'darwin')).toBeDefined()
  })
})
