import { mount, type VueWrapper } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import JsonTree from '../../renderer/src/components/JsonTree.vue'
import { detectJson } from '../../renderer/src/format/json-detect'

const toggles = (tree: VueWrapper) => tree.findAll('[data-testid=json-toggle]')
const toggleNamed = (tree: VueWrapper, key: string) => toggles(tree).find((t) => t.find('.key').exists() && t.get('.key').text() === key)!

describe('JsonTree', () => {
  it('shows a nested document with keys, values and counts, small parts already open', () => {
    const tree = mount(JsonTree, { props: { text: '{"type":"tick","n":42,"ok":true,"gone":null,"data":{"price":1.5,"tags":["a","b"]}}' } })
    const text = tree.text()
    expect(text).toContain('type:"tick"')
    expect(text).toContain('n:42')
    expect(text).toContain('ok:true')
    expect(text).toContain('gone:null')
    expect(text).toContain('{} 5 keys')
    // The small object under the root is open; its array is a level deeper and waits.
    expect(text).toContain('price:1.5')
    expect(toggleNamed(tree, 'tags').text()).toContain('[…] 2 items')
    expect(text).not.toContain('"a"')
  })

  it('colours values by type', () => {
    const tree = mount(JsonTree, { props: { text: '{"s":"x","n":1,"b":false,"z":null}' } })
    const types = tree.findAll('[data-testid=json-value]').map((v) => v.classes().find((c) => c !== 'value'))
    expect(types).toEqual(['string', 'number', 'boolean', 'null'])
  })

  it('expands and collapses a node on click', async () => {
    const tree = mount(JsonTree, { props: { text: '{"outer":{"inner":{"deep":"yes"}}}' } })
    expect(tree.text()).not.toContain('deep')
    const inner = toggleNamed(tree, 'inner')
    expect(inner.attributes('aria-expanded')).toBe('false')
    await inner.trigger('click')
    expect(tree.text()).toContain('deep:"yes"')
    await toggleNamed(tree, 'inner').trigger('click')
    expect(tree.text()).not.toContain('deep')
  })

  it('expands everything, then collapses everything but the root', async () => {
    const tree = mount(JsonTree, { props: { text: '[{"a":{"b":{"c":[1,2,{"d":"bottom"}]}}},{"e":2}]' } })
    expect(tree.text()).not.toContain('bottom')
    await tree.get('[data-testid=json-expand-all]').trigger('click')
    expect(tree.text()).toContain('d:"bottom"')
    expect(toggles(tree).every((t) => t.attributes('aria-expanded') === 'true')).toBe(true)
    await tree.get('[data-testid=json-collapse-all]').trigger('click')
    expect(tree.text()).not.toContain('bottom')
    expect(toggles(tree).map((t) => t.attributes('aria-expanded'))).toEqual(['true', 'false', 'false'])
  })

  it('falls back to raw text when the text is not valid JSON', () => {
    const tree = mount(JsonTree, { props: { text: '{"cut": "in the mid' } })
    expect(tree.find('[data-testid=json-invalid]').exists()).toBe(true)
    expect(tree.get('[data-testid=raw-text]').text()).toBe('{"cut": "in the mid')
    expect(tree.find('[data-testid=json-expand-all]').exists()).toBe(false)
  })

  it('renders a page of a huge array, and nothing under its collapsed items', async () => {
    const items = Array.from({ length: 100_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['x', 'y'] }))
    const tree = mount(JsonTree, { props: { value: items } })
    // One line per shown item: no keys of the items exist in the DOM.
    expect(toggles(tree)).toHaveLength(1 + 100)
    expect(tree.findAll('[data-testid=json-leaf]')).toHaveLength(0)
    expect(tree.text()).not.toContain('name:')
    expect(tree.get('[data-testid=json-children-more]').text()).toBe('show 100 more of 99,900')
    await tree.get('[data-testid=json-children-more]').trigger('click')
    expect(toggles(tree)).toHaveLength(1 + 200)
  })

  it('keeps "expand all" within a budget on a huge document', async () => {
    const items = Array.from({ length: 20_000 }, (_, i) => ({ id: i, nested: { deeper: [i] } }))
    const tree = mount(JsonTree, { props: { value: items } })
    await tree.get('[data-testid=json-expand-all]').trigger('click')
    expect(tree.findAll('.node').length).toBeLessThan(6_000)
  })

  it('cuts long strings, with a way to see all of them', async () => {
    const long = 'x'.repeat(1000)
    const tree = mount(JsonTree, { props: { value: { long } } })
    expect(tree.get('[data-testid=json-value]').text()).toBe(`"${'x'.repeat(300)}…"`)
    await tree.get('[data-testid=json-string-more]').trigger('click')
    expect(tree.get('[data-testid=json-value]').text()).toBe(`"${long}"`)
  })
})

describe('detectJson', () => {
  it('accepts objects and arrays, with blanks around them', () => {
    expect(detectJson(' {"a":1}\n')).toEqual({ ok: true, value: { a: 1 } })
    expect(detectJson('[1,2]')).toEqual({ ok: true, value: [1, 2] })
  })

  it('leaves scalars, broken JSON and plain text as text', () => {
    for (const text of ['42', '"hi"', 'true', '{"a":', 'hello {x}', '', '{nope}']) expect(detectJson(text).ok).toBe(false)
  })
})
