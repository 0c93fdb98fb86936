// The user's library in one data folder:
//   <dataDir>/connections/<id>.json   one readable file per saved connection
//   <dataDir>/snippets.json           composer snippets, one list
//   <dataDir>/secrets.json            secrets (0600), only when there is no SecretBox
import { join } from 'node:path'
import { ok, type LibraryInfo, type Result } from '../contract/index.js'
import { ConnectionStore } from './connection-store.js'
import { playgroundSeeds } from './playground-seeds.js'
import type { SecretBox } from './secret-box.js'
import { SecretsFile } from './secrets-file.js'
import { SnippetStore } from './snippet-store.js'

export type { SecretBox } from './secret-box.js'
export { defaultDataDir } from './data-dir.js'

export interface LibraryOptions {
  dataDir: string
  /** The desktop app's keychain; without one, secrets go to a private file. */
  secretBox?: SecretBox
  playgroundBaseUrl?: () => string | undefined
  /** Where skipped files are reported (default: console.warn). */
  warn?: (message: string) => void
  now?: () => number
}

export interface Library {
  readonly connections: ConnectionStore
  readonly snippets: SnippetStore
  /** Where things live and which files were skipped. */
  info(): Promise<Result<LibraryInfo>>
}

export function connectionsDirOf(dataDir: string): string {
  return join(dataDir, 'connections')
}

export function openLibrary(options: LibraryOptions): Library {
  const warn = options.warn ?? ((message: string) => console.warn(`realtime-inspector: ${message}`))
  const connectionsDir = connectionsDirOf(options.dataDir)
  const snippetsFile = join(options.dataDir, 'snippets.json')
  const secretsFile = new SecretsFile(join(options.dataDir, 'secrets.json'))
  const connections = new ConnectionStore({
    dir: connectionsDir,
    secretsFile,
    secretBox: options.secretBox,
    playgroundBaseUrl: options.playgroundBaseUrl ?? (() => undefined),
    seeds: playgroundSeeds,
    warn,
    now: options.now,
  })
  const snippets = new SnippetStore({ file: snippetsFile, warn, now: options.now })
  return {
    connections,
    snippets,
    async info() {
      const [connectionProblems, snippetProblems] = await Promise.all([connections.problems(), snippets.problems()])
      if (!connectionProblems.ok) return connectionProblems
      if (!snippetProblems.ok) return snippetProblems
      return ok({
        connectionsDir,
        snippetsFile,
        secrets: options.secretBox ? 'encrypted' : 'separate-file',
        problems: [...connectionProblems.value, ...snippetProblems.value],
      })
    },
  }
}
