// The app's scheme serves the built renderer (instead of file://): the page at / and
// /index.html, assets with their types, the CSP header on every answer; nothing outside
// the build folder under any spelling, no other host, no method but GET and HEAD.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appProtocolHandler, APP_SCHEME_PRIVILEGES } from '../../electron/app-protocol.js'
import { CONTENT_SECURITY_POLICY } from '../../electron/security.js'

let dir: string
let rendererDir: string
let handle: (request: Request) => Promise<Response>
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-app-protocol-'))
  rendererDir = join(dir, 'renderer')
  await mkdir(join(rendererDir, 'assets'), { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Realtime Inspector</title>')
  await writeFile(join(rendererDir, 'assets', 'index-abc.js'), 'export {}')
  await writeFile(join(dir, 'secret.txt'), 'not for the page')
  handle = appProtocolHandler(rendererDir)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const get = (url: string, method = 'GET') => handle(new Request(url, { method }))

describe('app:// protocol', () => {
  it('serves the page at / and /index.html with the CSP header', async () => {
    for (const url of ['app://renderer/', 'app://renderer/index.html', 'app://renderer/index.html?x=1#/session']) {
      const res = await get(url)
      expect(res.status, url).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(await res.text()).toContain('Realtime Inspector')
    }
  })

  it('serves module scripts as JavaScript (a module with another type would not run)', async () => {
    const res = await get('app://renderer/assets/index-abc.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
  })

  it('serves nothing outside the build folder, under any spelling', async () => {
    // Request keeps percent-encoding as given; Chromium would have normalised plain dots already.
    for (const url of ['app://renderer/../secret.txt', 'app://renderer/%2e%2e/secret.txt', 'app://renderer/assets/..%2f..%2fsecret.txt', 'app://renderer/%2e%2e%2fsecret.txt', 'app://renderer/missing.js', 'app://renderer/assets', 'app://renderer/%00', 'app://renderer/%E0%A4%A'])
      expect((await get(url)).status, url).toBe(404)
  })

  it('answers only its own host, and only GET and HEAD', async () => {
    expect((await get('app://other/index.html')).status).toBe(404)
    expect((await get('app://renderer/index.html', 'POST')).status).toBe(405)
    const head = await get('app://renderer/index.html', 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })

  it('is a standard, secure scheme with no service workers and no CSP bypass', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true })
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP')
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('allowServiceWorkers')
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('corsEnabled')
  })
})
