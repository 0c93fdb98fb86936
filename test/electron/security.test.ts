// The security policy over stand-ins for Electron's session, app and webContents: the
// CSP header replaces whatever a response said, permissions are refused, and every
// webContents is kept on the app's page: no navigation away, no redirect elsewhere,
// no new windows, no webviews. The page's own meta CSP is as tight as the header.
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { isRendererUrl, rendererLocation } from '../../electron/renderer-location.js'
import { applySecurityPolicy, CONTENT_SECURITY_POLICY } from '../../electron/security.js'
import { FakeApp, FakeSession } from './stand-ins.js'

const APP_PAGE = 'app://renderer/index.html'

function setup() {
  const session = new FakeSession()
  const app = new FakeApp()
  applySecurityPolicy(session, app, { isRendererUrl: isRendererUrl(rendererLocation(undefined, '/app/out/renderer')) })
  return { session, app }
}

/** The policy's directives as a map: name → sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).filter((words) => words[0]).map(([name, ...sources]) => [name!, sources]))
}

describe('security policy', () => {
  it('sets the CSP header on every response, replacing any other spelling of it', () => {
    const { session } = setup()
    const headers = session.receive({ 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] })
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] })
  })

  it('the CSP allows scripts and connections to the app itself only, and no framing', () => {
    const policy = directives(CONTENT_SECURITY_POLICY)
    expect(policy.get('script-src')).toEqual(["'self'"])
    expect(policy.get('connect-src')).toEqual(["'self'"])
    expect(policy.get('object-src')).toEqual(["'none'"])
    expect(policy.get('frame-ancestors')).toEqual(["'none'"])
    expect(policy.get('form-action')).toEqual(["'none'"])
  })

  it('the page’s meta CSP reaches no WebSocket beyond its own origin', async () => {
    const html = await readFile(new URL('../../renderer/index.html', import.meta.url), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBeDefined()
    const policy = directives(meta!)
    expect(policy.get('connect-src')).toEqual(["'self'"])
    expect(meta).not.toMatch(/ws:|wss:|\*/)
  })

  it('refuses every permission, asked for or checked', () => {
    const { session } = setup()
    const answers: boolean[] = []
    session.permissionRequest!({}, 'media', (granted) => answers.push(granted))
    session.permissionRequest!({}, 'notifications', (granted) => answers.push(granted))
    expect(answers).toEqual([false, false])
    expect(session.permissionCheck!()).toBe(false)
  })

  it('keeps every webContents on the app’s page: reloads pass, navigations elsewhere do not', () => {
    const { app } = setup()
    const contents = app.createWebContents(APP_PAGE)
    expect(contents.emit('will-navigate', APP_PAGE)).toBe(false)
    expect(contents.emit('will-navigate', 'https://evil.example/')).toBe(true)
    expect(contents.emit('will-navigate', 'file:///etc/passwd')).toBe(true)
  })

  it('refuses a redirect anywhere but the app’s page', () => {
    const { app } = setup()
    const contents = app.createWebContents(APP_PAGE)
    expect(contents.emit('will-redirect', 'https://evil.example/')).toBe(true)
    expect(contents.emit('will-redirect', 'file:///app/out/renderer/index.html')).toBe(true)
    expect(contents.emit('will-redirect', 'app://renderer/other.html')).toBe(true)
    expect(contents.emit('will-redirect', APP_PAGE)).toBe(false)
  })

  it('denies new windows and webviews in every webContents, the first and later ones alike', () => {
    const { app } = setup()
    for (const contents of [app.createWebContents(APP_PAGE), app.createWebContents('about:blank')]) {
      expect(contents.windowOpenHandler!()).toEqual({ action: 'deny' })
      expect(contents.emit('will-attach-webview')).toBe(true)
      expect(contents.listeners.get('will-redirect')?.size).toBe(1)
    }
  })
})
