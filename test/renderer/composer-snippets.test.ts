import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fail, ok, type Snippet, type SnippetInput } from '@contract'
import type { ApiClient } from '../../renderer/src/api'
import Composer from '../../renderer/src/components/Composer.vue'
import { HISTORY_LIMIT, useComposerStore } from '../../renderer/src/stores/composer'
import { useSessionsStore } from '../../renderer/src/stores/sessions'

enableAutoUnmount(afterEach)

/** An engine stand-in with a library that keeps snippets in memory, or refuses to save like an engine without one. */
function standInClient(options: { initial?: Snippet[]; unavailable?: boolean } = {}) {
  let snippets = [...(options.initial ?? [])]
  const client = {
    getEnvironment: vi.fn(async () => ok({ version: '9.9.9', transport: 'bridge' as const })),
    listSessions: vi.fn(async () => ok([])),
    openSession: vi.fn(async () => fail('E_TEST', 'not in this test')),
    closeSession: vi.fn(async () => ok(undefined)),
    send: vi.fn(async () => ok(undefined)),
    subscribe: vi.fn(async () => ok(undefined)),
    unsubscribe: vi.fn(async () => ok(undefined)),
    listConnections: vi.fn(async () => ok([])),
    saveConnection: vi.fn(async () => fail('E_TEST', 'not in this test')),
    deleteConnection: vi.fn(async () => ok(undefined)),
    listSnippets: vi.fn(async () => ok(snippets)),
    saveSnippet: vi.fn(async (input: SnippetInput) => {
      if (options.unavailable) return fail('E_LIBRARY_UNAVAILABLE', 'saving is not available: the engine was started without a data folder')
      const saved: Snippet = { id: input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'), name: input.name, encoding: input.encoding, body: input.body, updatedAt: 1 }
      snippets = [...snippets.filter((s) => s.id !== saved.id), saved]
      return ok(saved)
    }),
    deleteSnippet: vi.fn(async (id: string) => {
      snippets = snippets.filter((s) => s.id !== id)
      return ok(undefined)
    }),
    // The recordings library is not used by the composer.
    listRecordings: unused,
    renameRecording: unused,
    deleteRecording: unused,
    searchRecordings: unused,
    openRecording: unused,
    recordingFrames: unused,
    filterRecording: unused,
    closeRecording: unused,
    openPlayback: unused,
    controlPlayback: unused,
    uploadRecording: unused,
    resendRecording: unused,
    diffRecordings: unused,
    startMock: unused,
    stopMock: unused,
    listMocks: unused,
    startProbe: unused,
    probeStatus: unused,
    cancelProbe: unused,
    onFrames: () => () => {},
    onTransportLost: () => () => {},
  } satisfies ApiClient
  return client
}

const unused = async () => fail('E_TEST_UNUSED', 'not used by these tests')

async function mountWith(client: ApiClient) {
  await useSessionsStore().init(client)
  const composer = mount(Composer, { props: { enabled: true, send: vi.fn(async () => ok(undefined)), sessionId: 's1' }, attachTo: document.body })
  const field = () => composer.get<HTMLTextAreaElement>('[data-testid=composer]')
  const openSnippets = async () => {
    await composer.get('[data-testid=snippets]').trigger('click')
    await flushPromises()
  }
  const names = () => composer.findAll('[data-testid=snippet-item] .name').map((n) => n.text())
  return { composer, field, openSnippets, names }
}

const snippet = (id: string, name: string, encoding: Snippet['encoding'], body: string): Snippet => ({ id, name, encoding, body, updatedAt: 1 })

describe('Composer: snippets', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('lists the saved snippets and inserts one with its encoding', async () => {
    const client = standInClient({ initial: [snippet('hello', 'hello', 'hex', '68 69'), snippet('sub', 'subscribe', 'json', '{"op":"sub"}')] })
    const { composer, field, openSnippets, names } = await mountWith(client)
    await field().setValue('typed before')
    await openSnippets()
    expect(names()).toEqual(['hello', 'subscribe'])
    await composer.findAll('[data-testid=snippet-insert]')[1]!.trigger('click')
    expect(field().element.value).toBe('{"op":"sub"}')
    expect(composer.get('[data-testid=encoding-json]').attributes('aria-checked')).toBe('true')
    expect(composer.find('[data-testid=snippets-panel]').exists()).toBe(false)
  })

  it('saves the current payload under a name, with its encoding, and lists it', async () => {
    const client = standInClient()
    const { composer, field, openSnippets, names } = await mountWith(client)
    await composer.get('[data-testid=encoding-base64]').trigger('click')
    await field().setValue('AAEC')
    await openSnippets()
    expect(composer.get('[data-testid=snippets-empty]').text()).toBe('No saved snippets yet.')
    expect(composer.get('[data-testid=snippet-save]').attributes('disabled')).toBeDefined() // no name yet
    await composer.get('[data-testid=snippet-name]').setValue('  three bytes ')
    await composer.get('[data-testid=snippet-save]').trigger('click')
    await flushPromises()
    expect(client.saveSnippet).toHaveBeenCalledWith({ name: 'three bytes', encoding: 'base64', body: 'AAEC' })
    expect(names()).toEqual(['three bytes'])
    expect(composer.text()).toContain('Saved as "three bytes".')
    expect((composer.get('[data-testid=snippet-name]').element as HTMLInputElement).value).toBe('')
  })

  it('deletes a snippet', async () => {
    const client = standInClient({ initial: [snippet('a', 'a', 'text', '1'), snippet('b', 'b', 'text', '2')] })
    const { composer, openSnippets, names } = await mountWith(client)
    await openSnippets()
    await composer.get('[aria-label="Delete snippet a"]').trigger('click')
    await flushPromises()
    expect(client.deleteSnippet).toHaveBeenCalledWith('a')
    expect(names()).toEqual(['b'])
  })

  it('says clearly when the engine cannot save snippets', async () => {
    const client = standInClient({ unavailable: true })
    const { composer, field, openSnippets, names } = await mountWith(client)
    await field().setValue('hello')
    await openSnippets()
    await composer.get('[data-testid=snippet-name]').setValue('greeting')
    await composer.get('[data-testid=snippet-save]').trigger('click')
    await flushPromises()
    expect(composer.get('[data-testid=snippet-error]').text()).toBe(
      'saving is not available: the engine was started without a data folder (E_LIBRARY_UNAVAILABLE)',
    )
    expect(names()).toEqual([])
    expect((composer.get('[data-testid=snippet-name]').element as HTMLInputElement).value).toBe('greeting')
  })

  it('has nothing to save while the composer is empty', async () => {
    const { composer, openSnippets } = await mountWith(standInClient())
    await openSnippets()
    expect(composer.text()).toContain('Type a message first, then save it here.')
    expect(composer.get('[data-testid=snippet-save]').attributes('disabled')).toBeDefined()
  })
})

describe('composer store: history', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it(`keeps the newest ${HISTORY_LIMIT} sends per session, a repeated one moved to the front`, () => {
    const store = useComposerStore()
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) store.remember('s1', { encoding: 'text', body: `m${i}` })
    store.remember('s1', { encoding: 'text', body: 'm50' })
    store.remember('s2', { encoding: 'hex', body: 'ff' })
    const bodies = store.historyOf('s1').map((e) => e.body)
    expect(bodies).toHaveLength(HISTORY_LIMIT)
    expect(bodies.slice(0, 3)).toEqual(['m50', 'm104', 'm103'])
    expect(bodies.filter((b) => b === 'm50')).toHaveLength(1)
    expect(bodies.at(-1)).toBe('m5')
    expect(store.historyOf('s2')).toEqual([{ encoding: 'hex', body: 'ff' }])
  })

  it('the same body in another encoding is another entry', () => {
    const store = useComposerStore()
    store.remember('s1', { encoding: 'hex', body: '00' })
    store.remember('s1', { encoding: 'base64', body: '00' })
    expect(store.historyOf('s1')).toHaveLength(2)
  })
})
