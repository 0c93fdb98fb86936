// Types of cli-bundle.mjs (plain JavaScript: it runs before TypeScript can be compiled).
export declare const STAMP_NAME: string
export declare const ENTRY_NAME: string
export interface Stamp {
  version: 1
  /** Path relative to the project's root (with /) → its modification time in ms when the bundle was built. */
  sources: Record<string, number>
}
export declare function stampIsCurrent(stamp: unknown, mtimeOf: (path: string) => number | undefined): boolean
export declare function bundleIsCurrent(root: string, bundleDir: string): boolean
export declare function chooseEntry(root: string, bundleDir: string, env?: Record<string, string | undefined>): { bundle: true; path: string } | { bundle: false }
