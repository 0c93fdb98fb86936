// The error-code catalogue against the source: every `E_*` code the engine, the desktop
// shell or the app uses is listed with words for people, nothing listed is dead, an old
// code (an alias) is never sent again, and new codes follow `E_<AREA>_<WHAT>`.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { canonicalErrorCode, describeErrorCode, ERROR_AREAS, ERROR_CODES, errorCodeEntry, type ErrorCodeEntry } from '../../main/contract/error-codes.js'

const ROOT = join(import.meta.dirname, '..', '..')
const SOURCE_DIRS = ['main', 'electron', 'renderer/src']
const CATALOGUE = 'main/contract/error-codes.ts'
// A code as a string literal or an object key (`'E_X'`, `"E_X"`, `` `E_X` ``, `E_X:`), not a prefix in prose (`E_PROXY_*`).
const CODE_IN_SOURCE = /(?:['"`](E_[A-Z0-9]+(?:_[A-Z0-9]+)*)['"`])|(?:^|[\s{,])(E_[A-Z0-9]+(?:_[A-Z0-9]+)*):/gm

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|vue)$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
}

/** Each code used in the source, with the files that use it. */
function codesInSource(): Map<string, string[]> {
  const uses = new Map<string, string[]>()
  for (const file of SOURCE_DIRS.flatMap(sourceFiles)) {
    if (file === CATALOGUE) continue
    for (const match of readFileSync(join(ROOT, file), 'utf8').matchAll(CODE_IN_SOURCE)) {
      const code = match[1] ?? match[2]!
      uses.set(code, [...(uses.get(code) ?? []), file])
    }
  }
  return uses
}

const entries = Object.entries(ERROR_CODES as Record<string, ErrorCodeEntry>)
const aliases = entries.flatMap(([, entry]) => entry.aliases ?? [])

describe('the error-code catalogue', () => {
  const used = codesInSource()

  it('lists every code the source uses', () => {
    const unlisted = [...used].filter(([code]) => !Object.hasOwn(ERROR_CODES, code) && !aliases.includes(code))
    expect(unlisted.map(([code, files]) => `${code} (${[...new Set(files)].join(', ')})`)).toEqual([])
  })

  it('lists no code the source no longer uses', () => {
    expect(Object.keys(ERROR_CODES).filter((code) => !used.has(code))).toEqual([])
  })

  it('keeps old codes readable but never sends them again', () => {
    expect(aliases.filter((alias) => used.has(alias)).map((alias) => `${alias} (${used.get(alias)!.join(', ')})`)).toEqual([])
    expect(aliases.filter((alias) => Object.hasOwn(ERROR_CODES, alias))).toEqual([])
    expect(new Set(aliases).size).toBe(aliases.length)
    expect(canonicalErrorCode('E_WS_MESSAGE_TOO_BIG')).toBe('E_MESSAGE_TOO_BIG')
    expect(canonicalErrorCode('E_UPLOAD_TOO_LARGE')).toBe('E_UPLOAD_TOO_BIG')
    expect(describeErrorCode('E_WS_MESSAGE_TOO_BIG')).toBe(ERROR_CODES.E_MESSAGE_TOO_BIG.words)
    expect(errorCodeEntry('E_UPLOAD_TOO_LARGE')).toMatchObject({ code: 'E_UPLOAD_TOO_BIG', area: 'upload' })
    expect(describeErrorCode('E_NO_SUCH_CODE')).toBeUndefined()
  })

  it('names new codes E_<AREA>_<WHAT>, with the prefix of their area; older names are kept as they are', () => {
    const breaking = entries.filter(([code, entry]) => !entry.grandfathered && !code.startsWith(`E_${ERROR_AREAS[entry.area].prefix}_`)).map(([code]) => code)
    expect(breaking).toEqual([])
    // A grandfathered mark on a name that follows the rule would hide nothing: keep the list honest.
    const needless = entries.filter(([code, entry]) => entry.grandfathered && code.startsWith(`E_${ERROR_AREAS[entry.area].prefix}_`)).map(([code]) => code)
    expect(needless).toEqual([])
    for (const [code] of entries) expect(code).toMatch(/^E_[A-Z0-9]+(_[A-Z0-9]+)*$/)
  })

  it('says what each code means in one sentence', () => {
    for (const [code, entry] of entries) {
      expect(entry.words, code).toMatch(/^[A-Z].{10,160}\.$/)
      expect(entry.words, code).not.toContain('\n')
    }
  })
})
