// What the host app can offer to keep secrets unreadable at rest. The desktop app
// passes one built on Electron's safeStorage (electron/secret-box.ts); browser mode
// and tests run without, and secrets then go to a private file instead.

export interface SecretBox {
  readonly kind: 'encrypted'
  /** The ciphertext of `plain`, as base64. May reject (the keychain refused). */
  encrypt(plain: string): Promise<string>
  /** The plain text of a base64 ciphertext from `encrypt`. Rejects when it cannot. */
  decrypt(base64: string): Promise<string>
}
