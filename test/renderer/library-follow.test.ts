// Picking a session's tab puts what it connected to in the connection bar, so the bar's
// Disconnect means that session — without ever throwing away unsaved edits.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConnectionSpecSchema, fail, ok, type SavedConnection } from '@contract'
import { useLibraryStore, type LibraryApi } from '../../renderer/src/stores/library'

const echo = ConnectionSpecSchema.parse({ technique: 'websocket', url: 'ws://127.0.0.1:1/ws/echo', name: 'Echo' })
const ticker = ConnectionSpecSchema.parse({ technique: 'sse', url: 'http://127.0.0.1:1/sse/ticker' })
const saved: SavedConnection = { id: 'echo', name: 'Echo', group: 'Playground', spec: echo, updatedAt: 0, secrets: 'none' }

const api: LibraryApi = {
  listConnections: async () => ok([saved]),
  saveConnection: async () => fail('E_LIBRARY_UNAVAILABLE', 'not here'),
  deleteConnection: async () => ok(undefined),
}

describe('the connection bar follows the picked tab', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('shows the session’s technique and URL when the draft holds no edits', async () => {
    const library = useLibraryStore()
    await library.init(api)
    library.followSession(ticker)
    expect([library.draft.technique, library.draft.url]).toEqual(['sse', 'http://127.0.0.1:1/sse/ticker'])
    expect(library.sourceId).toBeUndefined()
    expect(library.dirty).toBe(false)
  })

  it('brings back the saved connection a session was opened from', async () => {
    const library = useLibraryStore()
    await library.init(api)
    library.followSession(ticker)
    library.followSession(echo)
    expect(library.sourceId).toBe('echo')
    expect(library.name).toBe('Echo')
    expect(library.draft.url).toBe('ws://127.0.0.1:1/ws/echo')
  })

  it('never replaces unsaved edits', async () => {
    const library = useLibraryStore()
    await library.init(api)
    library.load(saved)
    library.draft.url = 'ws://127.0.0.1:1/ws/echo?edited=1'
    expect(library.dirty).toBe(true)
    library.followSession(ticker)
    expect(library.draft.url).toBe('ws://127.0.0.1:1/ws/echo?edited=1')
  })
})
