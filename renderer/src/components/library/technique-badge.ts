// Short technique names for badges in lists, where the full name does not fit.
import type { TechniqueName } from '@contract'

export const TECHNIQUE_SHORT: Record<TechniqueName, string> = {
  websocket: 'WS',
  sse: 'SSE',
  'long-polling': 'LONG',
  polling: 'POLL',
  streaming: 'STREAM',
}
