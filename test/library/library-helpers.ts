// Real temporary data folders, and a SecretBox that really encrypts (AES-256-GCM with
// a key made for the test) standing in for Electron's safeStorage.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import type { SecretBox } from '../../main/library/index.js'

const folders: string[] = []
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true })
})

/** A fresh data folder, removed after the test. */
export async function tempDataDir(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'rti-library-'))
  folders.push(folder)
  return folder
}

export function aesSecretBox(key = randomBytes(32)): SecretBox & { calls: number } {
  return {
    kind: 'encrypted',
    calls: 0,
    async encrypt(plain) {
      this.calls++
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')
    },
    async decrypt(base64) {
      const bytes = Buffer.from(base64, 'base64')
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12))
      decipher.setAuthTag(bytes.subarray(12, 28))
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8')
    },
  }
}

/** Every file under `folder` (recursively) whose bytes contain `needle`. */
export async function filesContaining(folder: string, needle: string): Promise<string[]> {
  const hits: string[] = []
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    if ((await readFile(path)).includes(Buffer.from(needle))) hits.push(path)
  }
  return hits
}

export const quiet = () => undefined
