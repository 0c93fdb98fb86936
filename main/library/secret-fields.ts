// Which values of a connection are secrets: they never reach a connection file in
// clear. Auth passwords and tokens, credential headers (and query parameters named
// like credentials), and a password inside an explicit proxy URL.
import type { ConnectionSpec } from '../contract/index.js'

/** A position in a spec, e.g. ['headers', 2, 'value']. */
export type SecretPath = (string | number)[]

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie'])
const CREDENTIAL_NAME = /token|secret|api[-_]?key|password|passwd/i

export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADERS.has(name.toLowerCase()) || CREDENTIAL_NAME.test(name)
}

/** `?access_token=…`, `?api_key=…`: named like a credential. */
export function isCredentialQueryName(name: string): boolean {
  return CREDENTIAL_NAME.test(name)
}

/** Where the non-empty secrets of `spec` are. */
export function secretPaths(spec: ConnectionSpec): SecretPath[] {
  const paths: SecretPath[] = []
  if (spec.auth.type === 'basic' && spec.auth.password) paths.push(['auth', 'password'])
  if (spec.auth.type === 'bearer' && spec.auth.token) paths.push(['auth', 'token'])
  spec.headers.forEach((header, index) => {
    if (header.value && isCredentialHeader(header.name)) paths.push(['headers', index, 'value'])
  })
  spec.query.forEach((entry, index) => {
    if (entry.value && isCredentialQueryName(entry.name)) paths.push(['query', index, 'value'])
  })
  // The whole proxy URL is kept secret when it carries a password: splitting it would
  // make the file's value something the spec's schema does not describe.
  if (spec.proxy.url && hasPassword(spec.proxy.url)) paths.push(['proxy', 'url'])
  return paths
}

export function pathName(path: SecretPath): string {
  return path.join('.')
}

function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== ''
  } catch {
    return /\/\/[^/@]*:[^/@]*@/.test(url)
  }
}

/** The value at `path` in a plain JSON tree, or undefined. */
export function getAt(tree: unknown, path: SecretPath): unknown {
  let node = tree
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string | number, unknown>)[key]
  }
  return node
}

/** Sets the value at `path` in a plain JSON tree whose parents exist. */
export function setAt(tree: unknown, path: SecretPath, value: unknown): void {
  const parent = getAt(tree, path.slice(0, -1))
  if (parent !== null && typeof parent === 'object') (parent as Record<string | number, unknown>)[path.at(-1)!] = value
}
