// What the composer remembers: the messages sent on each session (newest first,
// bounded) and the snippets saved through the engine's library.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ApiError, Snippet } from '@contract'
import type { Encoding } from '../composer/payload'
import { useSessionsStore } from './sessions'

export interface HistoryEntry {
  encoding: Encoding
  body: string
}

/** Enough to go back through a probing session; older sends fall off the end. */
export const HISTORY_LIMIT = 100

export const useComposerStore = defineStore('composer', () => {
  const histories = ref<Record<string, HistoryEntry[]>>({})
  const snippets = ref<Snippet[]>([])
  const snippetsLoaded = ref(false)
  const snippetError = ref<ApiError>()
  const busy = ref(false)

  const client = () => useSessionsStore().api

  function historyOf(sessionId: string | undefined): HistoryEntry[] {
    return (sessionId && histories.value[sessionId]) || []
  }

  /** A sent message goes to the front; sending the same one again moves it there instead of repeating it. */
  function remember(sessionId: string, entry: HistoryEntry): void {
    const rest = historyOf(sessionId).filter((e) => e.encoding !== entry.encoding || e.body !== entry.body)
    histories.value[sessionId] = [{ ...entry }, ...rest].slice(0, HISTORY_LIMIT)
  }

  async function loadSnippets(): Promise<void> {
    const api = client()
    if (!api) return
    const listed = await api.listSnippets()
    snippetsLoaded.value = true
    if (listed.ok) {
      snippets.value = byName(listed.value)
      snippetError.value = undefined
    } else snippetError.value = listed.error
  }

  /** Resolves to the saved snippet, or undefined with `snippetError` saying why not. */
  async function saveSnippet(name: string, entry: HistoryEntry): Promise<Snippet | undefined> {
    const api = client()
    if (!api) return undefined
    busy.value = true
    try {
      const saved = await api.saveSnippet({ name, encoding: entry.encoding, body: entry.body })
      if (!saved.ok) {
        snippetError.value = saved.error
        return undefined
      }
      snippetError.value = undefined
      snippets.value = byName([...snippets.value.filter((s) => s.id !== saved.value.id), saved.value])
      return saved.value
    } finally {
      busy.value = false
    }
  }

  async function deleteSnippet(id: string): Promise<boolean> {
    const api = client()
    if (!api) return false
    const deleted = await api.deleteSnippet(id)
    if (!deleted.ok) {
      snippetError.value = deleted.error
      return false
    }
    snippetError.value = undefined
    snippets.value = snippets.value.filter((s) => s.id !== id)
    return true
  }

  return { histories, snippets, snippetsLoaded, snippetError, busy, historyOf, remember, loadSnippets, saveSnippet, deleteSnippet }
})

const byName = (snippets: Snippet[]) => [...snippets].sort((a, b) => a.name.localeCompare(b.name))
