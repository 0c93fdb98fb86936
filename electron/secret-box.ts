// The desktop app's SecretBox: Electron's safeStorage (Keychain on macOS, DPAPI on
// Windows, the Secret Service or KWallet on Linux). Takes a safeStorage-like object
// so it is tested under plain Node with a stand-in.
import type { SecretBox } from '../main/library/secret-box.js'

/** The part of Electron's safeStorage used here (the async API: the sync one goes away in Electron 46). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>
  encryptStringAsync(plainText: string): Promise<Buffer>
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>
  getSelectedStorageBackend(): string
}

/**
 * A SecretBox, or undefined when the OS cannot keep secrets: then the engine keeps them
 * in a private file, never in clear in the connection files. On Linux without a keyring
 * safeStorage "encrypts" with a hard-coded password (backend basic_text); that protects
 * nothing, so it counts as unavailable too. Call after the app is ready.
 */
export async function secretBoxFromSafeStorage(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): Promise<SecretBox | undefined> {
  if (!(await safeStorage.isAsyncEncryptionAvailable().catch(() => false))) return undefined
  if (platform === 'linux' && ['basic_text', 'unknown'].includes(safeStorage.getSelectedStorageBackend())) return undefined
  return {
    kind: 'encrypted',
    async encrypt(plain) {
      return (await safeStorage.encryptStringAsync(plain)).toString('base64')
    },
    async decrypt(base64) {
      // shouldReEncrypt (a rotated key) is not acted on: the next save encrypts afresh.
      return (await safeStorage.decryptStringAsync(Buffer.from(base64, 'base64'))).result
    },
  }
}
