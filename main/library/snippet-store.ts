// Composer snippets: one readable list in <dataDir>/snippets.json. While the file
// holds anything this version cannot read, it is never rewritten (a save would
// drop what could not be read): the store reports it and refuses changes instead.
import { z } from 'zod'
import { fail, ok, SNIPPET_ENCODINGS, SnippetInputSchema, type LibraryProblem, type Result, type Snippet, type SnippetInput } from '../contract/index.js'
import { readTextIfExists, toPrettyJson, writeFileAtomic } from './atomic-file.js'
import { asResult, describeError, LIBRARY_ERRORS, LibraryFailure } from './library-errors.js'
import { isLibraryId, uniqueId } from './library-id.js'
import { SerialQueue } from './serial-queue.js'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'

const StoredSnippetSchema = z.object({
  id: z.string().refine(isLibraryId, 'not a valid id'),
  name: z.string().trim().min(1).max(200),
  encoding: z.enum(SNIPPET_ENCODINGS),
  body: z.string().max(1024 * 1024),
  updatedAt: z.iso.datetime(),
})

interface Loaded {
  snippets: Snippet[]
  problem: LibraryProblem | undefined
}

export interface SnippetStoreOptions {
  file: string
  warn: (message: string) => void
  now?: () => number
}

export class SnippetStore {
  private readonly queue = new SerialQueue()
  private readonly warned = new Set<string>()
  private readonly now: () => number

  constructor(private readonly options: SnippetStoreOptions) {
    this.now = options.now ?? Date.now
  }

  /** Every readable snippet, sorted by name. */
  list(): Promise<Result<Snippet[]>> {
    return this.locked(async () => ok((await this.load()).snippets))
  }

  problems(): Promise<Result<LibraryProblem[]>> {
    return this.locked(async () => {
      const { problem } = await this.load()
      return ok(problem ? [problem] : [])
    })
  }

  save(raw: SnippetInput): Promise<Result<Snippet>> {
    return this.locked(async () => {
      const parsed = SnippetInputSchema.safeParse(raw)
      if (!parsed.success) return fail('E_API_INVALID_ARGUMENT', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
      const input = parsed.data
      const snippets = this.writable(await this.load())
      if (input.id !== undefined && !snippets.some((s) => s.id === input.id)) throw new LibraryFailure(LIBRARY_ERRORS.notFound, `no saved snippet "${input.id}"`)
      const id = input.id ?? uniqueId(input.name, 'snippet', new Set(snippets.map((s) => s.id)))
      const snippet: Snippet = { id, name: input.name, encoding: input.encoding, body: input.body, updatedAt: this.now() }
      await this.write([...snippets.filter((s) => s.id !== id), snippet])
      return ok(snippet)
    })
  }

  delete(id: string): Promise<Result<void>> {
    return this.locked(async () => {
      const snippets = this.writable(await this.load())
      if (!snippets.some((s) => s.id === id)) throw new LibraryFailure(LIBRARY_ERRORS.notFound, `no saved snippet "${id.slice(0, 80)}"`)
      await this.write(snippets.filter((s) => s.id !== id))
      return ok(undefined)
    })
  }

  private locked<T>(work: () => Promise<Result<T>>): Promise<Result<T>> {
    return this.queue.run(() =>
      asResult(async () => {
        try {
          return await work()
        } catch (error) {
          if (error instanceof LibraryFailure) throw error
          throw new LibraryFailure(LIBRARY_ERRORS.write, `snippets: ${describeError(error)}`)
        }
      }, LIBRARY_ERRORS.write),
    )
  }

  private writable({ snippets, problem }: Loaded): Snippet[] {
    if (problem) throw new LibraryFailure(LIBRARY_ERRORS.unreadable, `${problem.file} cannot be read, so it is left as it is: ${problem.message}`)
    return snippets
  }

  private async write(snippets: Snippet[]): Promise<void> {
    const stored = sortSnippets(snippets).map((s) => ({ id: s.id, name: s.name, encoding: s.encoding, body: s.body, updatedAt: new Date(s.updatedAt).toISOString() }))
    await mkdir(dirname(this.options.file), { recursive: true })
    await writeFileAtomic(this.options.file, toPrettyJson(stored))
  }

  private async load(): Promise<Loaded> {
    let text: string | undefined
    try {
      text = await readTextIfExists(this.options.file)
    } catch (error) {
      throw new LibraryFailure(LIBRARY_ERRORS.read, `cannot read ${this.options.file}: ${describeError(error)}`)
    }
    if (text === undefined) return { snippets: [], problem: undefined }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      return this.withProblem([], `not valid JSON (${error instanceof Error ? error.message : String(error)})`)
    }
    if (!Array.isArray(json)) return this.withProblem([], 'expected a JSON list of snippets')
    const snippets: Snippet[] = []
    const bad: string[] = []
    const seen = new Set<string>()
    json.forEach((entry, index) => {
      const parsed = StoredSnippetSchema.safeParse(entry)
      if (!parsed.success) bad.push(`entry ${index + 1}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join(', ')}`)
      else if (seen.has(parsed.data.id)) bad.push(`entry ${index + 1}: the id "${parsed.data.id}" is used twice`)
      else {
        seen.add(parsed.data.id)
        snippets.push({ ...parsed.data, updatedAt: Date.parse(parsed.data.updatedAt) })
      }
    })
    return bad.length > 0 ? this.withProblem(sortSnippets(snippets), bad.join('; ')) : { snippets: sortSnippets(snippets), problem: undefined }
  }

  private withProblem(snippets: Snippet[], message: string): Loaded {
    const problem = { file: this.options.file, message }
    const warning = `snippets in ${problem.file} are partly unreadable, and the file is left as it is: ${message}`
    if (!this.warned.has(warning)) {
      this.warned.add(warning)
      this.options.warn(warning)
    }
    return { snippets, problem }
  }
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

function sortSnippets(snippets: Snippet[]): Snippet[] {
  return snippets.sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
