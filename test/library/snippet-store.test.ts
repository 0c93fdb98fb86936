// Composer snippets: one readable list in snippets.json, saved, renamed and deleted
// by id; a file the store cannot read is reported and never overwritten.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openLibrary } from '../../main/library/index.js'
import { quiet, tempDataDir } from './library-helpers.js'

async function snippets() {
  const dataDir = await tempDataDir()
  const warnings: string[] = []
  const library = openLibrary({ dataDir, warn: (m) => warnings.push(m) })
  return { file: join(dataDir, 'snippets.json'), store: library.snippets, library, warnings }
}

describe('snippets', () => {
  it('start empty, and a saved one lists with an id from its name', async () => {
    const { store } = await snippets()
    expect(await store.list()).toEqual({ ok: true, value: [] })
    const saved = await store.save({ name: 'Subscribe: prices', encoding: 'json', body: '{"op":"subscribe","channel":"prices"}' })
    expect(saved).toEqual({ ok: true, value: { id: 'subscribe-prices', name: 'Subscribe: prices', encoding: 'json', body: '{"op":"subscribe","channel":"prices"}', updatedAt: expect.any(Number) } })
    expect(await store.list()).toEqual({ ok: true, value: [saved.ok && saved.value] })
  })

  it('are kept as one pretty JSON list, sorted by name', async () => {
    const { store, file } = await snippets()
    await store.save({ name: 'Ping', encoding: 'text', body: 'ping' })
    await store.save({ name: 'Hello bytes', encoding: 'hex', body: '68 65 6c 6c 6f' })
    const text = await readFile(file, 'utf8')
    expect(text.endsWith(']\n')).toBe(true)
    expect(text).toContain('\n  {\n    "id": "hello-bytes",\n    "name": "Hello bytes",\n    "encoding": "hex",')
    expect(JSON.parse(text).map((s: { id: string }) => s.id)).toEqual(['hello-bytes', 'ping'])
    const listed = await store.list()
    expect(listed.ok && listed.value.map((s) => s.name)).toEqual(['Hello bytes', 'Ping'])
  })

  it('save with an id replaces that snippet (a rename keeps the id); unknown ids are E_LIBRARY_NOT_FOUND', async () => {
    const { store } = await snippets()
    await store.save({ name: 'Ping', encoding: 'text', body: 'ping' })
    const renamed = await store.save({ id: 'ping', name: 'Ping twice', encoding: 'text', body: 'ping ping' })
    expect(renamed).toMatchObject({ ok: true, value: { id: 'ping', name: 'Ping twice', body: 'ping ping' } })
    expect(await store.list()).toMatchObject({ ok: true, value: [{ id: 'ping', name: 'Ping twice' }] })
    expect(await store.save({ id: 'nope', name: 'x', encoding: 'text', body: '' })).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_NOT_FOUND' } })
  })

  it('get unique ids for equal names', async () => {
    const { store } = await snippets()
    const ids = []
    for (let i = 0; i < 3; i++) {
      const saved = await store.save({ name: 'Hello', encoding: 'text', body: String(i) })
      ids.push(saved.ok && saved.value.id)
    }
    expect(ids).toEqual(['hello', 'hello-2', 'hello-3'])
  })

  it('delete removes one snippet; deleting it again is E_LIBRARY_NOT_FOUND', async () => {
    const { store } = await snippets()
    await store.save({ name: 'A', encoding: 'text', body: 'a' })
    await store.save({ name: 'B', encoding: 'base64', body: 'Yg==' })
    expect(await store.delete('a')).toEqual({ ok: true, value: undefined })
    expect(await store.list()).toMatchObject({ ok: true, value: [{ id: 'b' }] })
    expect(await store.delete('a')).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_NOT_FOUND' } })
  })

  it('a file with unreadable entries lists the readable ones, reports the rest, and refuses changes', async () => {
    const { store, file, library, warnings } = await snippets()
    const text = JSON.stringify([
      { id: 'ok', name: 'OK', encoding: 'text', body: 'fine', updatedAt: '2026-01-02T03:04:05.000Z' },
      { id: 'bad', name: 'Bad', encoding: 'morse', body: '...', updatedAt: '2026-01-02T03:04:05.000Z' },
    ])
    await writeFile(file, text)
    expect(await store.list()).toEqual({ ok: true, value: [{ id: 'ok', name: 'OK', encoding: 'text', body: 'fine', updatedAt: Date.parse('2026-01-02T03:04:05.000Z') }] })
    expect(warnings).toEqual([expect.stringContaining('entry 2')])
    expect(await store.save({ name: 'New', encoding: 'text', body: '' })).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_UNREADABLE' } })
    expect(await store.delete('ok')).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_UNREADABLE' } })
    expect(await readFile(file, 'utf8')).toBe(text)
    const info = await library.info()
    expect(info.ok && info.value.problems).toEqual([{ file, message: expect.stringContaining('encoding') }])
  })

  it('a file that is not JSON lists nothing and is left as it is', async () => {
    const { store, file } = await snippets()
    await writeFile(file, '[{"id": ')
    expect(await store.list()).toEqual({ ok: true, value: [] })
    expect(await store.save({ name: 'New', encoding: 'text', body: '' })).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_UNREADABLE', message: expect.stringContaining('not valid JSON') } })
    expect(await readFile(file, 'utf8')).toBe('[{"id": ')
  })

  it('survive a restart', async () => {
    const { store, library } = await snippets()
    await store.save({ name: 'Keep', encoding: 'text', body: 'me' })
    const info = await library.info()
    const dataDir = info.ok ? join(info.value.snippetsFile, '..') : ''
    expect(await openLibrary({ dataDir, warn: quiet }).snippets.list()).toMatchObject({ ok: true, value: [{ id: 'keep', body: 'me' }] })
  })
})
