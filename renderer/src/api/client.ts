// What the renderer holds: the contract's InspectorApi plus one signal the contract
// does not carry — that the transport itself went away (the bridge's page outlived
// its server). IPC never fires it; the UI treats both transports alike.
import type { InspectorApi } from '@contract'

export interface ApiClient extends InspectorApi {
  onTransportLost(listener: (reason: string) => void): () => void
}
