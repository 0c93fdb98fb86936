import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import ThemeToggle from '../../renderer/src/components/ThemeToggle.vue'
import { resetThemeForTests, startTheme, THEME_STORAGE_KEY, useTheme } from '../../renderer/src/theme'

const html = () => document.documentElement

beforeEach(() => {
  localStorage.clear()
  html().removeAttribute('data-theme')
  resetThemeForTests()
})

describe('the theme switch', () => {
  it('follows the system until someone chooses', () => {
    const toggle = mount(ThemeToggle)
    expect(html().getAttribute('data-theme')).toBe('system')
    expect(toggle.text()).toContain('System')
  })

  it('cycles system → light → dark → system, applying and remembering each choice', async () => {
    const toggle = mount(ThemeToggle)
    const button = toggle.get('[data-testid=theme-toggle]')
    const seen: (string | null)[] = []
    for (let i = 0; i < 3; i++) {
      await button.trigger('click')
      seen.push(html().getAttribute('data-theme'))
      expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe(seen.at(-1))
      expect(button.attributes('data-theme-choice')).toBe(seen.at(-1))
    }
    expect(seen).toEqual(['light', 'dark', 'system'])
  })

  it('names the current theme and the next one for screen readers', async () => {
    const toggle = mount(ThemeToggle)
    await toggle.get('button').trigger('click')
    expect(toggle.get('button').attributes('aria-label')).toBe('Theme: Light. Switch to Dark')
  })

  it('starts with the remembered choice after a reload', () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'dark')
    const toggle = mount(ThemeToggle)
    expect(html().getAttribute('data-theme')).toBe('dark')
    expect(toggle.text()).toContain('Dark')
    expect(useTheme().resolved.value).toBe('dark')
  })

  it('ignores a remembered value it does not know', () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'sepia')
    startTheme()
    expect(html().getAttribute('data-theme')).toBe('system')
  })
})
