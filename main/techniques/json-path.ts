// Dot paths into a parsed JSON answer (`meta.next`, `data.items`, `pages.0.cursor`):
// how a user says where a cursor or the messages are without writing code.

export type PathLookup = { found: true; value: unknown } | { found: false }

/** The value at `path` ('' is the whole document); numeric segments index arrays. */
export function valueAtPath(root: unknown, path: string): PathLookup {
  if (path === '') return { found: true, value: root }
  let value: unknown = root
  for (const segment of path.split('.')) {
    if (Array.isArray(value)) {
      if (!/^\d+$/.test(segment) || Number(segment) >= value.length) return { found: false }
      value = value[Number(segment)]
    } else if (value !== null && typeof value === 'object') {
      // Own properties only: a path like `__proto__.x` must not reach Object.prototype.
      if (!Object.hasOwn(value, segment)) return { found: false }
      value = (value as Record<string, unknown>)[segment]
    } else {
      return { found: false }
    }
  }
  return { found: true, value }
}
