import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fail, ok, SavedConnectionInputSchema, type ConnectionSpecInput, type SavedConnection, type SavedConnectionInput } from '@contract'
import ConnectionsSidebar from '../../renderer/src/components/ConnectionsSidebar.vue'
import { createShortcutRegistry, ShortcutsKey, type ShortcutRegistry } from '../../renderer/src/shortcuts'
import { useLibraryStore, type LibraryApi } from '../../renderer/src/stores/library'

/** The library methods of the contract, kept in memory (the real store is tested with the engine); `calls` records the writes. */
function memoryLibrary(seed: SavedConnectionInput[] = []) {
  const items = new Map<string, SavedConnection>()
  const calls: string[] = []
  let clock = 1
  const api: LibraryApi = {
    async listConnections() {
      return ok([...items.values()].sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name)))
    },
    async saveConnection(input) {
      calls.push(`save ${input.id ?? 'new'}`)
      const parsed = SavedConnectionInputSchema.parse(input)
      let id = parsed.id ?? parsed.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
      if (!parsed.id) for (let n = 2; items.has(id); n++) id = `${id.replace(/-\d+$/, '')}-${n}`
      const secrets = parsed.spec.auth.type === 'none' ? 'none' : 'separate-file'
      const saved: SavedConnection = { id, name: parsed.name, group: parsed.group, spec: parsed.spec, updatedAt: clock++, secrets }
      items.set(id, saved)
      return ok(saved)
    },
    async deleteConnection(id) {
      calls.push(`delete ${id}`)
      return items.delete(id) ? ok(undefined) : fail('E_LIBRARY_NOT_FOUND', `no connection ${id}`)
    },
  }
  for (const input of seed) void api.saveConnection(input)
  calls.length = 0
  return { api, items, calls }
}

const SEED: SavedConnectionInput[] = [
  { name: 'Echo', group: 'Playground', spec: { technique: 'websocket', url: 'ws://127.0.0.1:5000/ws/echo' } },
  { name: 'SSE ticker', group: 'Playground', spec: { technique: 'sse', url: 'http://127.0.0.1:5000/sse/ticker' } },
  { name: 'Prices', group: 'Work', spec: { technique: 'polling', url: 'https://api.example.com/prices', auth: { type: 'bearer', token: 't' } } },
  { name: 'Scratch', group: '', spec: { technique: 'streaming', url: 'http://localhost:8080/stream' } },
]

let pinia: Pinia
let registry: ShortcutRegistry
let sidebar: VueWrapper

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  registry = createShortcutRegistry('other')
})
afterEach(() => sidebar?.unmount())

async function mountSidebar(api: LibraryApi): Promise<VueWrapper> {
  await useLibraryStore().init(api)
  sidebar = mount(ConnectionsSidebar, { global: { plugins: [pinia], provide: { [ShortcutsKey as symbol]: registry } }, attachTo: document.body })
  return sidebar
}

const entry = (name: string) => sidebar.findAll('[data-testid=saved-connection]').find((e) => e.get('[data-testid=saved-connection-name]').text() === name)!
const names = () => sidebar.findAll('[data-testid=saved-connection-name]').map((n) => n.text())
const groupOf = (group: string) => sidebar.get(`[data-testid=connection-group][data-group="${group}"]`)

describe('ConnectionsSidebar', () => {
  it('lists saved connections by group, named groups first, with a technique badge each', async () => {
    await mountSidebar(memoryLibrary(SEED).api)
    const groups = sidebar.findAll('[data-testid=connection-group]')
    expect(groups.map((g) => g.get('.group-name').text())).toEqual(['Playground', 'Work', 'Ungrouped'])
    expect(groupOf('Playground').findAll('[data-testid=saved-connection-name]').map((n) => n.text())).toEqual(['Echo', 'SSE ticker'])
    expect(entry('Echo').get('.badge').text()).toBe('WS')
    expect(entry('Prices').get('.badge').text()).toBe('POLL')
    expect(entry('Scratch').text()).toContain('localhost:8080/stream')
  })

  it('collapses and expands a group', async () => {
    await mountSidebar(memoryLibrary(SEED).api)
    await groupOf('Playground').get('[data-testid=group-toggle]').trigger('click')
    expect(groupOf('Playground').get('[data-testid=group-toggle]').attributes('aria-expanded')).toBe('false')
    expect(names()).toEqual(['Prices', 'Scratch'])
    await groupOf('Playground').get('[data-testid=group-toggle]').trigger('click')
    expect(names()).toEqual(['Echo', 'SSE ticker', 'Prices', 'Scratch'])
  })

  it('searches names, groups and URLs, every word must match; says when nothing does', async () => {
    await mountSidebar(memoryLibrary(SEED).api)
    const search = sidebar.get('[data-testid=connection-search]')
    await search.setValue('ticker')
    expect(names()).toEqual(['SSE ticker'])
    await search.setValue('example.com')
    expect(names()).toEqual(['Prices'])
    await search.setValue('playground ws')
    expect(names()).toEqual(['Echo'])
    await search.setValue('nothing-like-this')
    expect(names()).toEqual([])
    expect(sidebar.get('[data-testid=search-empty]').text()).toContain('nothing-like-this')
  })

  it('loads a connection into the editor on click, and marks it as the current one', async () => {
    await mountSidebar(memoryLibrary(SEED).api)
    await entry('Prices').get('[data-testid=saved-connection-open]').trigger('click')
    const library = useLibraryStore()
    expect(library.draft.technique).toBe('polling')
    expect(library.draft.url).toBe('https://api.example.com/prices')
    expect(library.draft.auth).toMatchObject({ type: 'bearer', token: 't' })
    expect(sidebar.get('[data-testid=draft-name]').text()).toBe('Prices')
    expect(entry('Prices').classes()).toContain('current')
    expect(library.dirty).toBe(false)
  })

  it('connects at once from ▶, a double-click and Enter, named after the connection', async () => {
    await mountSidebar(memoryLibrary(SEED).api)
    await entry('Echo').get('[data-testid=saved-connection-connect]').trigger('click')
    await entry('SSE ticker').get('[data-testid=saved-connection-open]').trigger('dblclick')
    await entry('Scratch').get('[data-testid=saved-connection-open]').trigger('keydown', { key: 'Enter' })
    const specs = sidebar.emitted<[ConnectionSpecInput]>('connect')!.map(([spec]) => spec)
    expect(specs).toEqual([
      { name: 'Echo', technique: 'websocket', url: 'ws://127.0.0.1:5000/ws/echo' },
      { name: 'SSE ticker', technique: 'sse', url: 'http://127.0.0.1:5000/sse/ticker' },
      { name: 'Scratch', technique: 'streaming', url: 'http://localhost:8080/stream' },
    ])
  })

  it('saves a new connection with a name and a group, with Ctrl+S too', async () => {
    const memory = memoryLibrary(SEED)
    await mountSidebar(memory.api)
    const library = useLibraryStore()
    library.draft.technique = 'sse'
    library.draft.url = 'https://feed.example.com/events'
    await flushPromises()

    registry.handle(new KeyboardEvent('keydown', { key: 's', ctrlKey: true }))
    await flushPromises()
    expect(memory.calls).toEqual([]) // a new connection needs its name first
    await sidebar.get('[data-testid=save-name]').setValue('Feed')
    await sidebar.get('[data-testid=save-group]').setValue('Work')
    await sidebar.get('[data-testid=save-form]').trigger('submit')
    await flushPromises()

    expect(memory.calls).toEqual(['save new'])
    expect(memory.items.get('feed')?.spec).toMatchObject({ technique: 'sse', url: 'https://feed.example.com/events' })
    expect(groupOf('Work').findAll('[data-testid=saved-connection-name]').map((n) => n.text())).toEqual(['Feed', 'Prices'])
    expect(sidebar.find('[data-testid=save-form]').exists()).toBe(false)
    expect(entry('Feed').classes()).toContain('current')
    expect(library.dirty).toBe(false)
  })

  it('a nameless save is refused in the form, before asking the engine', async () => {
    const memory = memoryLibrary()
    await mountSidebar(memory.api)
    useLibraryStore().draft.url = 'ws://x.example/'
    await sidebar.get('[data-testid=save]').trigger('click')
    await sidebar.get('[data-testid=save-name]').setValue('  ')
    await sidebar.get('[data-testid=save-form]').trigger('submit')
    expect(sidebar.get('[data-testid=save-problem]').text()).toBe('give the connection a name')
    expect(memory.calls).toEqual([])
  })

  it('Save writes an edited connection over itself; "Save as" makes a copy', async () => {
    const memory = memoryLibrary(SEED)
    await mountSidebar(memory.api)
    await entry('Echo').get('[data-testid=saved-connection-open]').trigger('click')
    expect(sidebar.get('[data-testid=save]').attributes('disabled')).toBeDefined()
    useLibraryStore().draft.websocket.subprotocols = 'chat'
    await flushPromises()
    expect(sidebar.get('[data-testid=draft-dirty]').text()).toBe('edited')

    await sidebar.get('[data-testid=save]').trigger('click')
    await flushPromises()
    expect(memory.calls).toEqual(['save echo'])
    expect(memory.items.get('echo')?.spec.websocket.subprotocols).toEqual(['chat'])
    expect(sidebar.find('[data-testid=draft-dirty]').exists()).toBe(false)

    await sidebar.get('[data-testid=save-as]').trigger('click')
    expect((sidebar.get('[data-testid=save-name]').element as HTMLInputElement).value).toBe('Echo copy')
    expect((sidebar.get('[data-testid=save-group]').element as HTMLInputElement).value).toBe('Playground')
    await sidebar.get('[data-testid=save-form]').trigger('submit')
    await flushPromises()
    expect(names()).toEqual(['Echo', 'Echo copy', 'SSE ticker', 'Prices', 'Scratch'])
    expect(entry('Echo copy').classes()).toContain('current')
  })

  it('duplicates a connection into the same group under a free name', async () => {
    const memory = memoryLibrary(SEED)
    await mountSidebar(memory.api)
    await entry('Echo').get('[data-testid=saved-connection-duplicate]').trigger('click')
    await flushPromises()
    await entry('Echo').get('[data-testid=saved-connection-duplicate]').trigger('click')
    await flushPromises()
    expect(groupOf('Playground').findAll('[data-testid=saved-connection-name]').map((n) => n.text())).toEqual(['Echo', 'Echo copy', 'Echo copy 2', 'SSE ticker'])
    expect(memory.items.get('echo-copy')?.spec).toEqual(memory.items.get('echo')?.spec)
  })

  it('deletes only after a confirmation; Cancel keeps it', async () => {
    const memory = memoryLibrary(SEED)
    await mountSidebar(memory.api)
    await entry('Scratch').get('[data-testid=saved-connection-delete]').trigger('click')
    expect(entry('Scratch').text()).toContain('Delete “Scratch”?')
    await entry('Scratch').get('[data-testid=cancel-delete]').trigger('click')
    expect(memory.calls).toEqual([])

    await entry('Scratch').get('[data-testid=saved-connection-delete]').trigger('click')
    await entry('Scratch').get('[data-testid=confirm-delete]').trigger('click')
    await flushPromises()
    expect(memory.calls).toEqual(['delete scratch'])
    expect(names()).toEqual(['Echo', 'SSE ticker', 'Prices'])
    expect(sidebar.find('[data-group=""]').exists()).toBe(false)
  })

  it('renames in place with Enter; Escape leaves the name alone', async () => {
    const memory = memoryLibrary(SEED)
    await mountSidebar(memory.api)
    await entry('Prices').get('[data-testid=saved-connection-rename]').trigger('click')
    await sidebar.get('[data-testid=rename-input]').setValue('Stock prices')
    await sidebar.get('[data-testid=rename-input]').trigger('keydown', { key: 'Escape' })
    expect(memory.calls).toEqual([])
    expect(names()).toContain('Prices')

    await entry('Prices').get('[data-testid=saved-connection-rename]').trigger('click')
    await sidebar.get('[data-testid=rename-input]').setValue('Stock prices')
    await sidebar.get('[data-testid=rename-input]').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(memory.calls).toEqual(['save prices'])
    expect(memory.items.get('prices')?.name).toBe('Stock prices')
    expect(names()).toEqual(['Echo', 'SSE ticker', 'Stock prices', 'Scratch'])
  })

  it('says how secrets are kept, on each connection that has some', async () => {
    await mountSidebar(memoryLibrary(SEED).api)
    expect(entry('Prices').get('.lock').attributes('title')).toContain('separate private file')
    expect(entry('Echo').find('.lock').exists()).toBe(false)
    expect(sidebar.get('[data-testid=secrets-note]').text()).toContain('encrypted with the system keychain in the desktop app')
  })

  it('shows why the library cannot be used, and why a save failed', async () => {
    const unavailable: LibraryApi = {
      listConnections: async () => ok([]),
      saveConnection: async () => fail('E_LIBRARY_UNAVAILABLE', 'saved connections are not available in this engine'),
      deleteConnection: async () => fail('E_LIBRARY_UNAVAILABLE', 'saved connections are not available in this engine'),
    }
    await mountSidebar(unavailable)
    expect(sidebar.get('[data-testid=library-empty]').text()).toContain('No saved connections yet')
    useLibraryStore().draft.url = 'ws://x.example/'
    await sidebar.get('[data-testid=save]').trigger('click')
    await sidebar.get('[data-testid=save-name]').setValue('X')
    await sidebar.get('[data-testid=save-form]').trigger('submit')
    await flushPromises()
    expect(sidebar.get('[data-testid=library-error]').text()).toBe('Could not save: saved connections are not available in this engine (E_LIBRARY_UNAVAILABLE)')
    expect(sidebar.find('[data-testid=save-form]').exists()).toBe(true)

    const broken: LibraryApi = { ...unavailable, listConnections: async () => fail('E_LIBRARY_READ', 'cannot read the folder') }
    sidebar.unmount()
    setActivePinia((pinia = createPinia()))
    await mountSidebar(broken)
    expect(sidebar.get('[data-testid=library-error]').text()).toBe('Could not load saved connections: cannot read the folder (E_LIBRARY_READ)')
    expect(sidebar.find('[data-testid=library-empty]').exists()).toBe(false)
  })
})
