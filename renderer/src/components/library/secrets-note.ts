// How a saved connection's secrets are kept, in words, for the sidebar.
import type { SavedConnection } from '@contract'

export const SECRETS_NOTE: Record<SavedConnection['secrets'], string> = {
  encrypted: 'Its password, token or credential headers are encrypted with the system keychain, not kept in clear.',
  'separate-file': 'Its password, token or credential headers are kept in a separate private file (readable only by you), not in the connection file.',
  none: 'It has no secrets.',
}
