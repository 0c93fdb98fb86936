import { describe, expect, it } from 'vitest'
import { isRendererUrl, rendererLocation } from '../../electron/renderer-location.js'

describe('the renderer location', () => {
  it('uses the dev server when one is given, else the built renderer on the app scheme (never file://)', () => {
    expect(rendererLocation('http://localhost:5173/', '/app/out/renderer')).toEqual({ kind: 'url', url: 'http://localhost:5173/' })
    expect(rendererLocation(undefined, '/app/out/renderer')).toEqual({ kind: 'app', url: 'app://renderer/index.html', dir: '/app/out/renderer' })
  })

  it('trusts exactly the built page (with any hash or query), nothing beside it', () => {
    const trusted = isRendererUrl(rendererLocation(undefined, '/app/out/renderer'))
    expect(trusted('app://renderer/index.html')).toBe(true)
    expect(trusted('app://renderer/')).toBe(true)
    expect(trusted('app://renderer/index.html#/session/1?x=1')).toBe(true)
    expect(trusted('app://renderer/other.html')).toBe(false)
    expect(trusted('app://renderer/assets/index.js')).toBe(false)
    expect(trusted('app://evil/index.html')).toBe(false)
    expect(trusted('app://user@renderer/index.html')).toBe(false)
    // The file the page used to be loaded from is no longer trusted.
    expect(trusted('file:///app/out/renderer/index.html')).toBe(false)
    expect(trusted('http://localhost:5173/')).toBe(false)
    expect(trusted(undefined)).toBe(false)
    expect(trusted('not a url')).toBe(false)
  })

  it('trusts the dev server’s origin and no other', () => {
    const trusted = isRendererUrl(rendererLocation('http://localhost:5173', '/unused'))
    expect(trusted('http://localhost:5173/')).toBe(true)
    expect(trusted('http://localhost:5173/src/App.vue')).toBe(true)
    expect(trusted('http://localhost:5174/')).toBe(false)
    expect(trusted('http://127.0.0.1:5173/')).toBe(false)
    expect(trusted('app://renderer/index.html')).toBe(false)
  })
})
