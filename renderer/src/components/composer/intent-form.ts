// What the composer's Emit and Subscribe forms share: their fields are checked as typed
// into an intent; a blank main field is only called a problem once the user tried to
// send; Ctrl/⌘+Enter in any field sends.
import { computed, ref } from 'vue'
import type { OutgoingMessageInput } from '@contract'
import type { Intent } from '../../composer/intent'

export interface IntentFormOptions {
  /** The form's props: nothing is sent while disabled or while a send is under way. */
  props: { readonly enabled: boolean; readonly busy: boolean }
  /** The intent the fields make now. */
  intent: () => Intent
  /** Whether the main field (event name, query) is still blank. */
  blank: () => boolean
  send: (message: OutgoingMessageInput) => void
}

export function useIntentForm(options: IntentFormOptions) {
  const tried = ref(false)
  const intent = computed(options.intent)
  const problem = computed(() => {
    const checked = intent.value
    if (checked.ok) return undefined
    return options.blank() && !tried.value ? undefined : checked.problem
  })
  const canSend = computed(() => options.props.enabled && !options.props.busy && intent.value.ok)

  function submit(): void {
    tried.value = true
    const checked = intent.value
    if (!canSend.value || !checked.ok) return
    options.send(checked.message)
  }

  function onKey(keyboard: KeyboardEvent): void {
    if (keyboard.key === 'Enter' && (keyboard.ctrlKey || keyboard.metaKey)) {
      keyboard.preventDefault()
      submit()
    }
  }

  return { problem, canSend, submit, onKey }
}
