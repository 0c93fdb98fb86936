// Saved connections and the connection being edited. The list comes from the engine's
// library (plain files in the app's data folder); the draft is what the bar and the
// editor show, checked with the engine's schema a moment after each change.
import { defineStore } from 'pinia'
import { computed, markRaw, reactive, ref, shallowRef, watch } from 'vue'
import { fail, type ApiError, type ConnectionSpec, type ConnectionSpecInput, type InspectorApi, type Result, type SavedConnection } from '@contract'
import { draftFromSpec, draftToInput, emptyDraft, type SpecDraft } from '../editor/spec-draft'
import { checkDraft, type DraftCheck, type EditorTab } from '../editor/spec-validation'

/** What the library needs from the API: the sidebar can be driven by an in-memory stand-in. */
export type LibraryApi = Pick<InspectorApi, 'listConnections' | 'saveConnection' | 'deleteConnection'>

/** Long enough not to flash "not a valid URL" at every keystroke, short enough to feel live. */
export const VALIDATION_DELAY_MS = 150

export interface LibraryFailure {
  action: 'list' | 'save' | 'rename' | 'duplicate' | 'delete'
  error: ApiError
}

const byGroupThenName = (a: SavedConnection, b: SavedConnection): number => a.group.localeCompare(b.group) || a.name.localeCompare(b.name)

/** "Echo" → "Echo copy", "Echo copy" → "Echo copy 2", … not taken by any other. */
export function copyName(name: string, taken: readonly string[]): string {
  const base = name.replace(/ copy( \d+)?$/, '')
  for (let n = 1; ; n++) {
    const candidate = `${base} copy${n === 1 ? '' : ` ${n}`}`
    if (!taken.includes(candidate)) return candidate
  }
}

export const useLibraryStore = defineStore('library', () => {
  const api = shallowRef<LibraryApi>()
  const connections = ref<SavedConnection[]>([])
  const loaded = ref(false)
  const failure = ref<LibraryFailure>()
  const busy = ref(false)

  // One object for the store's life, refilled in place, so every view may hold on to it.
  const draft = reactive<SpecDraft>(emptyDraft())
  /** The saved connection the draft came from (Save replaces it), if any. */
  const sourceId = ref<string>()
  const name = ref('')
  const group = ref('')
  const baseline = ref('')
  const fingerprint = (): string => JSON.stringify([draftToInput(draft).input, name.value.trim(), group.value.trim()])
  const dirty = computed(() => fingerprint() !== baseline.value)
  const source = computed(() => connections.value.find((c) => c.id === sourceId.value))

  const editorOpen = ref(false)
  const editorTab = ref<EditorTab>('technique')

  /** Problems shown beside the fields: checked a moment after typing stops. */
  const check = shallowRef<DraftCheck>(checkDraft(draft))
  /** Whether the draft can be used right now (Connect must not wait for the pause). */
  const usable = computed(() => checkDraft(draft).valid)
  let pendingCheck: ReturnType<typeof setTimeout> | undefined
  watch(
    draft,
    () => {
      clearTimeout(pendingCheck)
      pendingCheck = setTimeout(validateNow, VALIDATION_DELAY_MS)
    },
    { deep: true },
  )
  /** Check the draft at once (before connecting or saving, when the last keystroke may be unchecked). */
  function validateNow(): DraftCheck {
    clearTimeout(pendingCheck)
    pendingCheck = undefined
    check.value = checkDraft(draft)
    return check.value
  }

  function markClean(): void {
    baseline.value = fingerprint()
  }
  markClean()

  function init(client: LibraryApi): Promise<void> {
    api.value = markRaw(client)
    return refresh()
  }

  async function refresh(): Promise<void> {
    if (!api.value) return
    const listed = await api.value.listConnections()
    loaded.value = true
    if (!listed.ok) {
      failure.value = { action: 'list', error: listed.error }
      return
    }
    if (failure.value?.action === 'list') failure.value = undefined
    connections.value = [...listed.value].sort(byGroupThenName)
  }

  function replaceDraft(next: SpecDraft, saved?: SavedConnection): void {
    Object.assign(draft, next)
    sourceId.value = saved?.id
    name.value = saved?.name ?? ''
    group.value = saved?.group ?? ''
    markClean()
    validateNow()
  }

  /** Put a saved connection in the editor. */
  function load(saved: SavedConnection): void {
    replaceDraft(draftFromSpec(saved.spec), saved)
  }

  /**
   * A session's tab was picked: the bar shows what that session connected to, so
   * Disconnect means that session. Unsaved edits are never thrown away for it; a
   * session opened from a saved connection brings that connection back.
   */
  function followSession(spec: ConnectionSpec): void {
    if (dirty.value) return
    const current = draftToInput(draft).input
    if (current.technique === spec.technique && current.url === spec.url && (name.value.trim() || undefined) === spec.name) return
    const saved = connections.value.find((c) => c.name === spec.name && c.spec.technique === spec.technique && c.spec.url === spec.url)
    if (saved) load(saved)
    else replaceDraft(draftFromSpec(spec))
  }

  /** A fresh, unsaved draft: an example's, or a blank one of the current technique. */
  function startNew(next: SpecDraft = emptyDraft(draft.technique)): void {
    replaceDraft(next)
  }

  /** The spec to open a session with; the saved connection's name labels its tab. */
  function specToConnect(): ConnectionSpecInput | undefined {
    const checked = validateNow()
    if (!checked.valid) return undefined
    const label = name.value.trim()
    return label ? { ...checked.input, name: label } : checked.input
  }

  function upsert(saved: SavedConnection): void {
    connections.value = [...connections.value.filter((c) => c.id !== saved.id), saved].sort(byGroupThenName)
  }

  async function run<T>(action: LibraryFailure['action'], call: (client: LibraryApi) => Promise<Result<T>>): Promise<Result<T>> {
    if (!api.value) return fail('E_LIBRARY_UNAVAILABLE', 'the library is not connected yet')
    busy.value = true
    try {
      const result = await call(api.value)
      failure.value = result.ok ? undefined : { action, error: result.error }
      return result
    } finally {
      busy.value = false
    }
  }

  /** Save the draft: over its saved connection, or as a new one (`asNew`, or when it has none). */
  async function saveDraft(options: { name: string; group: string; asNew?: boolean }): Promise<Result<SavedConnection>> {
    const checked = validateNow()
    if (!checked.valid) {
      const error = { code: 'E_EDITOR_INVALID', message: 'fix the options marked in the editor before saving' }
      failure.value = { action: 'save', error }
      return { ok: false, error }
    }
    const id = options.asNew ? undefined : sourceId.value
    const result = await run('save', (client) => client.saveConnection({ ...(id ? { id } : {}), name: options.name, group: options.group, spec: checked.input }))
    if (result.ok) {
      upsert(result.value)
      sourceId.value = result.value.id
      name.value = result.value.name
      group.value = result.value.group
      markClean()
    }
    return result
  }

  async function rename(id: string, newName: string): Promise<Result<SavedConnection>> {
    const saved = connections.value.find((c) => c.id === id)
    if (!saved) return fail('E_LIBRARY_NOT_FOUND', 'that connection is gone')
    const result = await run('rename', (client) => client.saveConnection({ id, name: newName, group: saved.group, spec: saved.spec }))
    if (result.ok) {
      upsert(result.value)
      // The draft's own name follows, without making unsaved edits look saved.
      if (sourceId.value === id) {
        const wasClean = !dirty.value
        name.value = result.value.name
        if (wasClean) markClean()
      }
    }
    return result
  }

  async function duplicate(id: string): Promise<Result<SavedConnection>> {
    const saved = connections.value.find((c) => c.id === id)
    if (!saved) return fail('E_LIBRARY_NOT_FOUND', 'that connection is gone')
    const copy = copyName(saved.name, connections.value.map((c) => c.name))
    const result = await run('duplicate', (client) => client.saveConnection({ name: copy, group: saved.group, spec: saved.spec }))
    if (result.ok) upsert(result.value)
    return result
  }

  async function remove(id: string): Promise<Result<void>> {
    const result = await run('delete', (client) => client.deleteConnection(id))
    if (result.ok) {
      connections.value = connections.value.filter((c) => c.id !== id)
      // The draft stays on screen, now as an unsaved connection.
      if (sourceId.value === id) sourceId.value = undefined
    }
    return result
  }

  return {
    connections,
    loaded,
    failure,
    busy,
    draft,
    sourceId,
    source,
    name,
    group,
    dirty,
    check,
    usable,
    editorOpen,
    editorTab,
    init,
    refresh,
    validateNow,
    load,
    followSession,
    startNew,
    specToConnect,
    saveDraft,
    rename,
    duplicate,
    remove,
  }
})
