// Renaming a sidebar item in place (a saved connection, a recording): the item's own
// mode switches to 'renaming', the field opens with the name selected, Enter or
// leaving the field keeps a new, non-empty name, Escape drops it.
import { nextTick, ref, type Ref } from 'vue'

export function useInlineRename<Mode extends string>(mode: Ref<Mode | 'idle' | 'renaming'>, currentName: () => string, rename: (name: string) => void) {
  const newName = ref('')
  const input = ref<HTMLInputElement>()

  async function start(): Promise<void> {
    newName.value = currentName()
    mode.value = 'renaming'
    await nextTick()
    input.value?.select()
  }

  function commit(): void {
    if (mode.value !== 'renaming') return
    const name = newName.value.trim()
    mode.value = 'idle'
    if (name && name !== currentName()) rename(name)
  }

  return { newName, input, start, commit }
}

/** Host, path and query of an endpoint: what tells two entries apart in a narrow column. */
export function shortEndpoint(url: string): string {
  try {
    const parsed = new URL(url)
    return parsed.host + parsed.pathname + parsed.search
  } catch {
    return url
  }
}
