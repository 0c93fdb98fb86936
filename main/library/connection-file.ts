// One saved connection as a readable file: what differs from a fresh spec of its
// technique, secrets replaced by slots ({"encrypted": …} or {"secretRef": …}), the
// playground's origin as `{playground}`. Decoding reverses each step and ends in
// ConnectionSpecSchema, so a hand-edited file is held to the same rules as the UI.
import { z } from 'zod'
import { ConnectionSpecSchema, type ConnectionSpec, type SavedConnection } from '../contract/index.js'
import { toPrettyJson } from './atomic-file.js'
import { hasPlaceholder, PLAYGROUND_PLACEHOLDER, resolvePlaygroundUrl, toPlaygroundPlaceholder } from './playground-urls.js'
import type { SecretBox } from './secret-box.js'
import { getAt, pathName, secretPaths, setAt } from './secret-fields.js'
import { standInUrl, withoutDefaults } from './spec-defaults.js'

export const CONNECTION_FILE_VERSION = 1

const ConnectionFileSchema = z.object({
  version: z.number().int().min(1).optional(),
  name: z.string().trim().min(1, 'the connection has no name').max(200),
  group: z.string().trim().max(200).default(''),
  updatedAt: z.iso.datetime().optional(),
  spec: z.record(z.string(), z.unknown()),
})

/** Where an encoded connection's secrets go. */
export type SecretSink =
  | { kind: 'encrypted'; box: SecretBox }
  | { kind: 'separate-file'; add: Map<string, string> }

export interface EncodeInput {
  id: string
  name: string
  group: string
  spec: ConnectionSpec
  updatedAt: number
  playgroundBaseUrl: string | undefined
  /** Set for seeds, whose spec was parsed with a stand-in origin. */
  storedUrl?: string
}

/** The file's text. Separate-file secrets are added to `sink.add` under their references. */
export async function encodeConnection(input: EncodeInput, sink: SecretSink): Promise<{ text: string; secrets: SavedConnection['secrets'] }> {
  const stored = withoutDefaults(input.spec)
  stored['url'] = input.storedUrl ?? toPlaygroundPlaceholder(input.spec.url, input.playgroundBaseUrl)
  const paths = secretPaths(input.spec)
  for (const path of paths) {
    const plain = String(getAt(input.spec, path))
    if (sink.kind === 'encrypted') {
      setAt(stored, path, { encrypted: await sink.box.encrypt(plain) })
    } else {
      const ref = `${input.id}/${pathName(path)}`
      sink.add.set(ref, plain)
      setAt(stored, path, { secretRef: ref })
    }
  }
  const file = { version: CONNECTION_FILE_VERSION, name: input.name, group: input.group, updatedAt: new Date(input.updatedAt).toISOString(), spec: stored }
  return { text: toPrettyJson(file), secrets: paths.length === 0 ? 'none' : sink.kind }
}

export interface DecodeContext {
  id: string
  /** Used when the file has no updatedAt (written by hand). */
  modifiedAt: number
  secretBox: SecretBox | undefined
  /** The separate secrets file, read only if the connection refers to it. */
  separateSecrets: () => Promise<ReadonlyMap<string, string>>
  playgroundBaseUrl: string | undefined
}

/** A saved connection, or why the file cannot be one (thrown as a plain message). */
export async function decodeConnection(text: string, context: DecodeContext): Promise<SavedConnection> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new FileProblem(`not valid JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  const file = ConnectionFileSchema.safeParse(json)
  if (!file.success) throw new FileProblem(describeIssues(file.error))
  if ((file.data.version ?? 1) > CONNECTION_FILE_VERSION) throw new FileProblem(`written by a newer Realtime Inspector (format version ${file.data.version})`)

  const kinds = new Set<'encrypted' | 'separate-file'>()
  const revealed = await revealSecrets(file.data.spec, context, kinds)
  const spec = parseSpec(revealed as Record<string, unknown>, context.playgroundBaseUrl)
  return {
    id: context.id,
    name: file.data.name,
    group: file.data.group,
    spec,
    updatedAt: file.data.updatedAt ? Date.parse(file.data.updatedAt) : context.modifiedAt,
    secrets: kinds.has('separate-file') ? 'separate-file' : kinds.has('encrypted') ? 'encrypted' : 'none',
  }
}

/** The secret references a file's text holds (for cleaning up after it), or undefined if it is not JSON. */
export function secretRefsIn(text: string): string[] | undefined {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return undefined
  }
  const refs: string[] = []
  const visit = (node: unknown): void => {
    const slot = asSlot(node)
    if (slot?.secretRef !== undefined) refs.push(slot.secretRef)
    else if (node !== null && typeof node === 'object') Object.values(node).forEach(visit)
  }
  visit(json)
  return refs
}

/** A reason a file is skipped; its message is shown to the user as is. */
export class FileProblem extends Error {}

async function revealSecrets(node: unknown, context: DecodeContext, kinds: Set<'encrypted' | 'separate-file'>): Promise<unknown> {
  const slot = asSlot(node)
  if (slot?.encrypted !== undefined) {
    kinds.add('encrypted')
    if (!context.secretBox) throw new FileProblem('its secrets are encrypted with the desktop app\'s keychain; open it in the desktop app')
    try {
      return await context.secretBox.decrypt(slot.encrypted)
    } catch {
      throw new FileProblem('a secret could not be decrypted (was it saved by another user, machine or keychain?)')
    }
  }
  if (slot?.secretRef !== undefined) {
    kinds.add('separate-file')
    const value = (await context.separateSecrets()).get(slot.secretRef)
    if (value === undefined) throw new FileProblem(`the secret "${slot.secretRef}" is missing from the secrets file`)
    return value
  }
  if (Array.isArray(node)) return Promise.all(node.map((child) => revealSecrets(child, context, kinds)))
  if (node !== null && typeof node === 'object') {
    const entries = await Promise.all(Object.entries(node).map(async ([key, child]) => [key, await revealSecrets(child, context, kinds)] as const))
    return Object.fromEntries(entries)
  }
  return node
}

function parseSpec(stored: Record<string, unknown>, playgroundBaseUrl: string | undefined): ConnectionSpec {
  const url = stored['url']
  const technique = stored['technique']
  const placeholder = typeof url === 'string' && hasPlaceholder(url)
  // Without a running playground the placeholder stays visible: validate the rest with a stand-in origin.
  const standIn = placeholder && !playgroundBaseUrl && typeof technique === 'string'
  let candidate = stored
  if (placeholder && playgroundBaseUrl) candidate = { ...stored, url: resolvePlaygroundUrl(url, technique as ConnectionSpec['technique'], playgroundBaseUrl) }
  if (standIn) candidate = { ...stored, url: standInUrl(technique as ConnectionSpec['technique']) + url.slice(PLAYGROUND_PLACEHOLDER.length) }
  const parsed = ConnectionSpecSchema.safeParse(candidate)
  if (!parsed.success) throw new FileProblem(describeIssues(parsed.error, 'spec'))
  return standIn ? { ...parsed.data, url: url as string } : parsed.data
}

function asSlot(node: unknown): { encrypted?: string; secretRef?: string } | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined
  const keys = Object.keys(node)
  if (keys.length !== 1) return undefined
  const value = (node as Record<string, unknown>)[keys[0]!]
  if (typeof value !== 'string') return undefined
  if (keys[0] === 'encrypted') return { encrypted: value }
  if (keys[0] === 'secretRef') return { secretRef: value }
  return undefined
}

function describeIssues(error: z.ZodError, prefix?: string): string {
  return error.issues.map((issue) => `${[prefix, ...issue.path].filter((part) => part !== undefined).join('.') || 'file'}: ${issue.message}`).join('; ')
}
