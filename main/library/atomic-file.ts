// Library files are written whole or not at all: a crash or a full disk mid-write
// must leave the previous version in place, never half a JSON document.
import { randomBytes } from 'node:crypto'
import { open, readFile, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Writes `text` to a temporary file beside `path`, flushes it to disk and renames
 * it over `path` (rename is atomic within a folder). `mode` applies to the new file,
 * so a private file is never readable by others, not even for a moment.
 */
export async function writeFileAtomic(path: string, text: string, mode = 0o666): Promise<void> {
  // A dot-name that does not end in .json: listings skip it if a crash leaves it behind.
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temporary, 'wx', mode)
    try {
      await handle.writeFile(text, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined)
    throw error
  }
}

/** The file's text, or undefined when it does not exist. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw error
  }
}

export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}

/** Pretty, stable JSON with a trailing newline: readable and diff-friendly. */
export function toPrettyJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}
