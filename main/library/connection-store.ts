// Saved connections: one readable JSON file per connection in <dataDir>/connections,
// named after its id. A file that cannot be read is skipped and reported, never
// rewritten or deleted: it may be a hand edit in progress or from a newer version.
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fail, ok, SavedConnectionInputSchema, type LibraryProblem, type Result, type SavedConnection, type SavedConnectionInput } from '../contract/index.js'
import { isNotFound, readTextIfExists, writeFileAtomic } from './atomic-file.js'
import { decodeConnection, encodeConnection, FileProblem, secretRefsIn, type SecretSink } from './connection-file.js'
import { asResult, describeError, LIBRARY_ERRORS, LibraryFailure } from './library-errors.js'
import { isLibraryId, uniqueId } from './library-id.js'
import type { SeedConnection } from './playground-seeds.js'
import type { SecretBox } from './secret-box.js'
import type { SecretsFile } from './secrets-file.js'
import { SerialQueue } from './serial-queue.js'

export interface ConnectionStoreOptions {
  dir: string
  secretsFile: SecretsFile
  secretBox?: SecretBox
  /** The running playground's `http://host:port`, if one runs. */
  playgroundBaseUrl: () => string | undefined
  /** Written once, when `dir` does not exist yet. */
  seeds: () => SeedConnection[]
  /** Told once about each file that is skipped (the engine logs it). */
  warn: (message: string) => void
  now?: () => number
}

interface Scan {
  connections: Map<string, SavedConnection>
  problems: Map<string, LibraryProblem>
  /** Lower-cased names of every .json file, readable or not: a new id never takes one. */
  taken: Set<string>
}

export class ConnectionStore {
  private readonly queue = new SerialQueue()
  private seeded = false
  private readonly warned = new Set<string>()
  private readonly now: () => number

  constructor(private readonly options: ConnectionStoreOptions) {
    this.now = options.now ?? Date.now
  }

  /** Every readable connection, sorted by group then name. */
  list(): Promise<Result<SavedConnection[]>> {
    return this.locked(async () => ok(sortConnections([...(await this.scan()).connections.values()])))
  }

  /** Files that were skipped, as of now. */
  problems(): Promise<Result<LibraryProblem[]>> {
    return this.locked(async () => ok([...(await this.scan()).problems.values()]))
  }

  save(raw: SavedConnectionInput): Promise<Result<SavedConnection>> {
    return this.locked(async () => {
      const parsed = SavedConnectionInputSchema.safeParse(raw)
      if (!parsed.success) return fail('E_API_INVALID_ARGUMENT', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
      const input = parsed.data
      const scan = await this.scan()
      let previousRefs: string[] = []
      if (input.id !== undefined) {
        this.mustBeReadable(scan, input.id)
        previousRefs = secretRefsIn((await readTextIfExists(this.fileOf(input.id))) ?? '') ?? []
      }
      const id = input.id ?? uniqueId(input.name, 'connection', scan.taken)
      const updatedAt = this.now()
      const encodeInput = { id, name: input.name, group: input.group, spec: input.spec, updatedAt, playgroundBaseUrl: this.options.playgroundBaseUrl() }
      const { text, secrets, add } = await this.encode(encodeInput)
      // New secrets first: a connection file never names a secret that is not there yet.
      if (add.size > 0) await this.options.secretsFile.update([], add)
      await mkdir(this.options.dir, { recursive: true })
      await writeFileAtomic(this.fileOf(id), text)
      const stale = previousRefs.filter((ref) => !add.has(ref))
      if (stale.length > 0) await this.options.secretsFile.update(stale, new Map())
      return ok({ id, name: input.name, group: input.group, spec: input.spec, updatedAt, secrets })
    })
  }

  delete(id: string): Promise<Result<void>> {
    return this.locked(async () => {
      if (!isLibraryId(id)) throw new LibraryFailure(LIBRARY_ERRORS.notFound, `no saved connection "${id.slice(0, 80)}"`)
      const scan = await this.scan()
      this.mustBeReadable(scan, id)
      const refs = secretRefsIn((await readTextIfExists(this.fileOf(id))) ?? '') ?? []
      await rm(this.fileOf(id))
      if (refs.length > 0) await this.options.secretsFile.update(refs, new Map())
      return ok(undefined)
    })
  }

  private locked<T>(work: () => Promise<Result<T>>): Promise<Result<T>> {
    return this.queue.run(() =>
      asResult(async () => {
        try {
          await this.seedOnFirstStart()
          return await work()
        } catch (error) {
          if (error instanceof LibraryFailure) throw error
          throw new LibraryFailure(LIBRARY_ERRORS.write, `saved connections: ${describeError(error)}`)
        }
      }, LIBRARY_ERRORS.write),
    )
  }

  private fileOf(id: string): string {
    return join(this.options.dir, `${id}.json`)
  }

  private mustBeReadable(scan: Scan, id: string): void {
    if (scan.connections.has(id)) return
    const problem = scan.problems.get(id)
    if (problem) throw new LibraryFailure(LIBRARY_ERRORS.unreadable, `${problem.file} cannot be read, so it is left as it is: ${problem.message}`)
    throw new LibraryFailure(LIBRARY_ERRORS.notFound, `no saved connection "${id}"`)
  }

  /** Encrypts with the SecretBox when there is one; if it refuses, the private file keeps the secrets instead. */
  private async encode(input: Parameters<typeof encodeConnection>[0]) {
    const add = new Map<string, string>()
    const separate: SecretSink = { kind: 'separate-file', add }
    if (this.options.secretBox) {
      try {
        return { ...(await encodeConnection(input, { kind: 'encrypted', box: this.options.secretBox })), add }
      } catch (error) {
        this.options.warn(`could not encrypt the secrets of "${input.name}" (${describeError(error)}); keeping them in ${this.options.secretsFile.path} instead`)
      }
    }
    return { ...(await encodeConnection(input, separate)), add }
  }

  private async scan(): Promise<Scan> {
    const scan: Scan = { connections: new Map(), problems: new Map(), taken: new Set() }
    let names: string[]
    try {
      names = await readdir(this.options.dir)
    } catch (error) {
      if (isNotFound(error)) return scan
      throw new LibraryFailure(LIBRARY_ERRORS.read, `cannot read ${this.options.dir}: ${describeError(error)}`)
    }
    let secrets: Promise<ReadonlyMap<string, string>> | undefined
    const separateSecrets = () => (secrets ??= this.options.secretsFile.read())
    const baseUrl = this.options.playgroundBaseUrl()
    for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
      const id = name.slice(0, -'.json'.length)
      const file = join(this.options.dir, name)
      scan.taken.add(id.toLowerCase())
      try {
        if (!isLibraryId(id)) throw new FileProblem('the file name must be lower-case letters, digits and dashes, ending in .json')
        const [text, info] = await Promise.all([readTextIfExists(file), stat(file)])
        if (text === undefined) continue
        scan.connections.set(id, await decodeConnection(text, { id, modifiedAt: info.mtimeMs, secretBox: this.options.secretBox, separateSecrets, playgroundBaseUrl: baseUrl }))
      } catch (error) {
        const message = error instanceof FileProblem || error instanceof LibraryFailure ? error.message : describeError(error)
        scan.problems.set(id, { file, message })
        this.warnOnce(`skipped saved connection ${file}: ${message}`)
      }
    }
    return scan
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return
    this.warned.add(message)
    this.options.warn(message)
  }

  /**
   * The first start (no connections folder yet) writes the seeds into a fresh folder
   * and renames it into place, so a crash midway seeds again rather than leaving half.
   * After that the folder exists, and deleted seeds stay deleted.
   */
  private async seedOnFirstStart(): Promise<void> {
    if (this.seeded) return
    const dir = this.options.dir
    if (await exists(dir)) {
      this.seeded = true
      return
    }
    await mkdir(dirname(dir), { recursive: true })
    const staging = await mkdtemp(join(dirname(dir), '.connections-'))
    try {
      const taken = new Set<string>()
      for (const seed of this.options.seeds()) {
        const id = uniqueId(seed.name, 'connection', taken)
        taken.add(id)
        const { text } = await encodeConnection({ id, ...seed, updatedAt: this.now(), playgroundBaseUrl: undefined }, { kind: 'separate-file', add: new Map() })
        await writeFileAtomic(join(staging, `${id}.json`), text)
      }
      await rename(staging, dir)
    } catch (error) {
      await rm(staging, { recursive: true, force: true })
      // Someone else created it meanwhile: theirs stands.
      if (!(await exists(dir))) throw error
    }
    this.seeded = true
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (error) {
    if (isNotFound(error)) return false
    throw error
  }
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

export function sortConnections(connections: SavedConnection[]): SavedConnection[] {
  return connections.sort((a, b) => collator.compare(a.group, b.group) || collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
