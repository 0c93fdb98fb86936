// Without a SecretBox (browser mode, or a Linux desktop without a keyring), secrets
// live in one private file beside the connections — mode 0600, never in the readable
// connection files, which only name them ({"secretRef": "<id>/auth.token"}).
import { z } from 'zod'
import { readTextIfExists, toPrettyJson, writeFileAtomic } from './atomic-file.js'
import { LIBRARY_ERRORS, LibraryFailure } from './library-errors.js'

const SecretsSchema = z.record(z.string(), z.string())
const PRIVATE = 0o600

export class SecretsFile {
  constructor(readonly path: string) {}

  /** Every secret by reference; an absent file holds none. Throws when the file is not readable as secrets. */
  async read(): Promise<Map<string, string>> {
    const text = await readTextIfExists(this.path)
    if (text === undefined) return new Map()
    const secrets = parseSecrets(text)
    if (!secrets) throw new LibraryFailure(LIBRARY_ERRORS.unreadable, `${this.path} is not a JSON object of secrets; fix or move it (it is left as it is)`)
    return new Map(Object.entries(secrets))
  }

  /** Drops `remove`, adds `add`, and rewrites the file (0600) only when something changed. */
  async update(remove: Iterable<string>, add: ReadonlyMap<string, string>): Promise<void> {
    const secrets = await this.read()
    let changed = false
    for (const ref of remove) changed = secrets.delete(ref) || changed
    for (const [ref, value] of add) {
      changed ||= secrets.get(ref) !== value
      secrets.set(ref, value)
    }
    if (!changed) return
    const sorted = Object.fromEntries([...secrets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    await writeFileAtomic(this.path, toPrettyJson(sorted), PRIVATE)
  }
}

function parseSecrets(text: string): Record<string, string> | undefined {
  try {
    const parsed = SecretsSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
