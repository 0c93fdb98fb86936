// Which code `rti` runs: the prebuilt bundle in out/cli/ (made by `npm run build` and on
// install) when it was built from the sources as they are now, else the TypeScript
// sources through tsx. Plain JavaScript with only built-in imports: it runs before
// anything can compile TypeScript, on every start, so it must cost next to nothing.
//
// The check reads one stamp the build writes next to the bundle: every source file
// that went into it with its modification time. One stat per file (a few hundred,
// about a millisecond) tells whether any of them changed, moved back in time
// (a checkout of an older commit) or is gone. A new file counts only once an existing
// one imports it, and that import is a change.
import { readFileSync, statSync } from 'node:fs'

/** The stamp's name inside the bundle folder; written last by the build, so its presence means a whole bundle. */
export const STAMP_NAME = 'sources.json'
/** The bundle's entry inside the bundle folder. */
export const ENTRY_NAME = 'rti.mjs'

/**
 * True when `stamp` (the parsed stamp, or anything else) lists sources whose
 * modification times `mtimeOf(path)` still gives exactly; undefined means the file is gone.
 * Pure, so the rule is tested without touching real files.
 */
export function stampIsCurrent(stamp, mtimeOf) {
  if (stamp === null || typeof stamp !== 'object' || stamp.version !== 1) return false
  const sources = stamp.sources
  if (sources === null || typeof sources !== 'object') return false
  const paths = Object.keys(sources)
  if (paths.length === 0) return false
  for (const path of paths) {
    if (mtimeOf(path) !== sources[path]) return false
  }
  return true
}

/** True when the bundle in `bundleDir` (an absolute path ending in /) matches the sources under `root` (likewise). */
export function bundleIsCurrent(root, bundleDir) {
  let stamp
  try {
    stamp = JSON.parse(readFileSync(bundleDir + STAMP_NAME, 'utf8'))
  } catch {
    return false
  }
  return stampIsCurrent(stamp, (path) => statSync(root + path, { throwIfNoEntry: false })?.mtimeMs)
}

/**
 * What to load: `{ bundle: true, url }` for the bundle's entry, or `{ bundle: false }`
 * for the sources. RTI_CLI=sources forces the sources (to test or debug them).
 */
export function chooseEntry(root, bundleDir, env = process.env) {
  if (env.RTI_CLI !== 'sources' && bundleIsCurrent(root, bundleDir)) return { bundle: true, path: bundleDir + ENTRY_NAME }
  return { bundle: false }
}
