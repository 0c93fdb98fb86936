// The recordings library in the sidebar: every recorded session in the engine's data
// folder, newest first, searched by endpoint and by content, renamed and deleted.
// Opening one for viewing or playback goes through the sessions store (it becomes a tab).
import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type { ApiError, InspectorApi, RecordingInfo, RecordingSearchHit } from '@contract'

/** What the library needs from the API: the panel can be driven by an in-memory stand-in. */
export type RecordingsApi = Pick<InspectorApi, 'listRecordings' | 'renameRecording' | 'deleteRecording' | 'searchRecordings'>

/** Searching reads every recording's index: wait for a pause in the typing. */
export const SEARCH_DELAY_MS = 250
/** Several sessions ending together refresh the list once. */
export const REFRESH_DELAY_MS = 300

export interface RecordingsFailure {
  action: 'list' | 'search' | 'rename' | 'delete'
  error: ApiError
}

export const useRecordingsStore = defineStore('recordings', () => {
  const api = shallowRef<RecordingsApi>()
  const recordings = ref<RecordingInfo[]>([])
  const dir = ref<string>()
  const problems = ref<{ name: string; message: string }[]>([])
  const loaded = ref(false)
  /** The engine has no data folder: nothing is recorded, so there is nothing to list. */
  const unavailable = ref(false)
  const failure = ref<RecordingsFailure>()
  /** The recording being renamed or deleted right now. */
  const busyName = ref<string>()

  const endpointQuery = ref('')
  const textQuery = ref('')
  /** The last search's answer; undefined while no query is typed. */
  const searchAnswer = shallowRef<{ hits: RecordingSearchHit[]; complete: boolean }>()
  const searching = ref(false)
  const querying = computed(() => endpointQuery.value.trim() !== '' || textQuery.value.trim() !== '')
  /** What the panel lists: the search's hits while searching, else every recording. */
  const shown = computed<RecordingSearchHit[]>(() => (querying.value ? (searchAnswer.value?.hits ?? []) : recordings.value))

  let searchTimer: ReturnType<typeof setTimeout> | undefined
  let refreshTimer: ReturnType<typeof setTimeout> | undefined
  /** Answers to an older query are dropped: only the latest one is shown. */
  let searchGeneration = 0

  function init(client: RecordingsApi): Promise<void> {
    api.value = markRaw(client)
    return refresh()
  }

  async function refresh(): Promise<void> {
    if (!api.value) return
    const listed = await api.value.listRecordings()
    loaded.value = true
    if (!listed.ok) {
      unavailable.value = listed.error.code === 'E_LIBRARY_UNAVAILABLE'
      if (!unavailable.value) failure.value = { action: 'list', error: listed.error }
      return
    }
    unavailable.value = false
    if (failure.value?.action === 'list') failure.value = undefined
    recordings.value = listed.value.recordings
    dir.value = listed.value.dir
    problems.value = listed.value.problems
    if (querying.value) await runSearch()
  }

  /** A session started or ended: its recording appeared or grew. */
  function refreshSoon(): void {
    clearTimeout(refreshTimer)
    refreshTimer = setTimeout(() => void refresh(), REFRESH_DELAY_MS)
  }

  function setQuery(query: { endpoint?: string; text?: string }): void {
    if (query.endpoint !== undefined) endpointQuery.value = query.endpoint
    if (query.text !== undefined) textQuery.value = query.text
    clearTimeout(searchTimer)
    if (!querying.value) {
      searchGeneration++
      searchAnswer.value = undefined
      searching.value = false
      return
    }
    searching.value = true
    searchTimer = setTimeout(() => void runSearch(), SEARCH_DELAY_MS)
  }

  async function runSearch(): Promise<void> {
    if (!api.value || !querying.value) return
    const generation = ++searchGeneration
    searching.value = true
    const endpoint = endpointQuery.value.trim()
    const text = textQuery.value.trim()
    const answer = await api.value.searchRecordings({ ...(endpoint ? { endpoint } : {}), ...(text ? { text } : {}) })
    if (generation !== searchGeneration) return
    searching.value = false
    if (!answer.ok) {
      failure.value = { action: 'search', error: answer.error }
      searchAnswer.value = { hits: [], complete: true }
      return
    }
    if (failure.value?.action === 'search') failure.value = undefined
    searchAnswer.value = answer.value
  }

  async function rename(name: string, newName: string): Promise<boolean> {
    if (!api.value) return false
    busyName.value = name
    try {
      const renamed = await api.value.renameRecording({ name, newName })
      if (!renamed.ok) {
        failure.value = { action: 'rename', error: renamed.error }
        return false
      }
      failure.value = undefined
      await refresh()
      return true
    } finally {
      busyName.value = undefined
    }
  }

  async function remove(name: string): Promise<boolean> {
    if (!api.value) return false
    busyName.value = name
    try {
      const deleted = await api.value.deleteRecording(name)
      if (!deleted.ok) {
        failure.value = { action: 'delete', error: deleted.error }
        return false
      }
      failure.value = undefined
      await refresh()
      return true
    } finally {
      busyName.value = undefined
    }
  }

  return {
    recordings,
    dir,
    problems,
    loaded,
    unavailable,
    failure,
    busyName,
    endpointQuery,
    textQuery,
    searchAnswer,
    searching,
    querying,
    shown,
    init,
    refresh,
    refreshSoon,
    setQuery,
    runSearch,
    rename,
    remove,
  }
})

/** Names the recorder chose itself (<ISO time>-<technique>-<host>) say nothing the other columns do not. */
export const isAutomaticName = (name: string): boolean => /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(\.\d+)?Z-/.test(name)

/** The name without the recording extension, as people read it and type it. */
export const displayName = (name: string): string => name.replace(/\.rti\.jsonl$/, '')
