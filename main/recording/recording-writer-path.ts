// Where a session's recording goes when nobody named the file:
// <dir>/<startedAt ISO>-<technique>-<host>.rti.jsonl, never over an existing file.
import { mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { RECORDING_EXTENSION } from '../contract/index.js'

/** e.g. 2025-03-01T10-20-30.123Z-websocket-127.0.0.1_8080 (no ":" — Windows forbids it in names). */
export function recordingBaseName(startedAt: number, technique: string, url: string): string {
  const iso = new Date(startedAt).toISOString().replaceAll(':', '-')
  let host = 'unknown'
  try {
    const parsed = new URL(url)
    host = parsed.port ? `${parsed.hostname}_${parsed.port}` : parsed.hostname
  } catch {
    // The spec was validated; a URL that still does not parse is named "unknown".
  }
  const safeHost = host.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100)
  return `${iso}-${technique}-${safeHost}`
}

/**
 * Creates a new file for writing: `exclusive` refuses to replace one that exists. In a
 * folder of automatic names a clash (two sessions in the same millisecond) takes the
 * next free `-2`, `-3`… Throws the file system's error otherwise.
 */
export function createRecordingFile(target: { dir: string; baseName: string } | { path: string; exclusive: boolean }): { fd: number; path: string } {
  if ('path' in target) return { fd: openSync(target.path, target.exclusive ? 'wx' : 'w', 0o600), path: target.path }
  mkdirSync(target.dir, { recursive: true })
  for (let n = 1; ; n++) {
    const path = join(target.dir, `${target.baseName}${n === 1 ? '' : `-${n}`}${RECORDING_EXTENSION}`)
    try {
      return { fd: openSync(path, 'wx', 0o600), path }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 1000) throw error
    }
  }
}
