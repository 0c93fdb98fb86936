// The palette is static text: checked here, without a DOM. The theme switch itself
// is tested in test/renderer/theme.test.ts.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

describe('theme.css', () => {
  const css = readFileSync(fileURLToPath(new URL('../../renderer/src/styles/theme.css', import.meta.url)), 'utf8')
  const variablesIn = (selector: string) => {
    const start = css.indexOf(`${selector} {`)
    expect(start, `${selector} is in theme.css`).toBeGreaterThanOrEqual(0)
    const body = css.slice(start, css.indexOf('}', start))
    return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2]]))
  }

  it('has one dark palette for a chosen dark theme and for a dark system, and a dark value for every colour', () => {
    const light = variablesIn(':root')
    const chosenDark = variablesIn(":root[data-theme='dark']")
    const systemDark = variablesIn(":root:not([data-theme='light'])")
    expect(systemDark).toEqual(chosenDark)
    expect(css).toMatch(/@media \(prefers-color-scheme: dark\) \{\s*:root:not\(\[data-theme='light'\]\)/)
    // Fonts and sizes are shared, and the state dots are mid tones that read on both;
    // every other colour needs its dark counterpart.
    const colours = Object.keys(light).filter((name) => !/^--(font|row-height|radius|state-)/.test(name))
    expect(colours.filter((name) => !(name in chosenDark))).toEqual([])
  })
})
