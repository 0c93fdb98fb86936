// Ids name files, so they come from a closed alphabet (LibraryId in the contract):
// no separators, no dots, nothing a path could be built from.
import { LibraryId } from '../contract/index.js'

const MAX_SLUG = 56 // leaves room for a "-NNN" suffix within LibraryId's 64

export function isLibraryId(value: string): boolean {
  return LibraryId.safeParse(value).success
}

/** "Chat (staging) — v2" → "chat-staging-v2"; `fallback` when nothing usable is left. */
export function slugify(name: string, fallback: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG)
    .replace(/^-+|-+$/g, '')
  return slug || fallback
}

/** The slug of `name`, with -2, -3… appended until it is not in `taken`. */
export function uniqueId(name: string, fallback: string, taken: ReadonlySet<string>): string {
  const base = slugify(name, fallback)
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`
    if (!taken.has(candidate)) return candidate
  }
}
