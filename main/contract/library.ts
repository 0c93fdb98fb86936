// What a user keeps between runs: saved connections (one readable file each in the
// app's data folder) and composer snippets. Secrets inside a saved spec (auth
// passwords and tokens, credential-bearing headers) are encrypted at rest by the
// engine's store; over the API they travel in clear, like the spec they belong to.
import { z } from 'zod'
import { ConnectionSpecSchema, type ConnectionSpec } from './connection-spec.js'

/** File-name-safe ids: the store names files after them. */
export const LibraryId = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case letters, digits and dashes')

export const SavedConnectionInputSchema = z.object({
  /** Absent: a new connection (the store picks an id from the name). Present: replace that one. */
  id: LibraryId.optional(),
  name: z.string().trim().min(1, 'give the connection a name').max(200),
  /** Folder-like group shown in the sidebar ("" or absent: ungrouped). */
  group: z.string().trim().max(200).default(''),
  spec: ConnectionSpecSchema,
})
export type SavedConnectionInput = z.input<typeof SavedConnectionInputSchema>

export interface SavedConnection {
  id: string
  name: string
  group: string
  spec: ConnectionSpec
  /** ms since the Unix epoch */
  updatedAt: number
  /**
   * How secrets in this connection are kept on disk: 'encrypted' (OS keychain via
   * Electron's safeStorage), 'separate-file' (browser mode: a 0600 file beside the
   * connections, never inside the readable file), or 'none' (it has no secrets).
   */
  secrets: 'encrypted' | 'separate-file' | 'none'
}

export const SNIPPET_ENCODINGS = ['text', 'json', 'hex', 'base64'] as const
export const SnippetInputSchema = z.object({
  id: LibraryId.optional(),
  name: z.string().trim().min(1, 'give the snippet a name').max(200),
  encoding: z.enum(SNIPPET_ENCODINGS),
  body: z.string().max(1024 * 1024),
})
export type SnippetInput = z.input<typeof SnippetInputSchema>
export interface Snippet {
  id: string
  name: string
  encoding: (typeof SNIPPET_ENCODINGS)[number]
  body: string
  updatedAt: number
}

/** A library file the engine skipped because it could not read it; it is left untouched. */
export interface LibraryProblem {
  /** Absolute path of the file. */
  file: string
  message: string
}

/** Where the library lives and what is wrong with it (EnvironmentInfo.library; absent when the engine has no data folder). */
export interface LibraryInfo {
  /** The folder holding one JSON file per saved connection. */
  connectionsDir: string
  snippetsFile: string
  /** How new secrets are kept: the OS keychain, or a private file beside the connections. */
  secrets: 'encrypted' | 'separate-file'
  problems: LibraryProblem[]
}
