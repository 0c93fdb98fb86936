// Secrets in saved connections never sit in a connection file in clear: encrypted in
// place with the host's SecretBox, or moved to a private secrets.json without one.
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConnectionSpecSchema, type ConnectionSpecInput } from '../../main/contract/index.js'
import { openLibrary, type SecretBox } from '../../main/library/index.js'
import { isCredentialHeader } from '../../main/library/secret-fields.js'
import { aesSecretBox, filesContaining, quiet, tempDataDir } from './library-helpers.js'

const SECRETS = {
  password: 'pa55-w0rd-basic',
  token: 'bearer-tok-123',
  authorization: 'Basic c2VjcmV0LWhlYWRlcg==',
  cookie: 'session=cookie-val-456',
  apiKey: 'api-key-val-789',
  queryToken: 'query-tok-000',
  proxyPassword: 'proxy-pw-321',
}

const withEverySecret = (auth: ConnectionSpecInput['auth']): ConnectionSpecInput => ({
  technique: 'sse',
  url: 'https://example.com/events',
  auth,
  headers: [
    { name: 'Accept', value: 'text/event-stream' },
    { name: 'Authorization', value: SECRETS.authorization },
    { name: 'Cookie', value: SECRETS.cookie },
    { name: 'X-Api-Key', value: SECRETS.apiKey },
  ],
  query: [{ name: 'access_token', value: SECRETS.queryToken }, { name: 'page', value: '1' }],
  proxy: { mode: 'url', url: `http://me:${SECRETS.proxyPassword}@proxy.example.com:3128` },
})
const basic = withEverySecret({ type: 'basic', username: 'me', password: SECRETS.password })
const bearer = withEverySecret({ type: 'bearer', token: SECRETS.token })

async function library(secretBox?: SecretBox) {
  const dataDir = await tempDataDir()
  await mkdir(join(dataDir, 'connections'))
  return { dataDir, library: openLibrary({ dataDir, secretBox, warn: quiet }) }
}

async function expectNoSecretIn(files: string[]) {
  for (const secret of Object.values(SECRETS)) {
    for (const file of files) expect((await readFile(file)).includes(Buffer.from(secret)), `${secret} in ${file}`).toBe(false)
  }
}

describe('with a SecretBox (the desktop app)', () => {
  it('encrypts every secret inside the connection file and reads it back', async () => {
    const box = aesSecretBox()
    const { dataDir, library: lib } = await library(box)
    for (const spec of [basic, bearer]) {
      const saved = await lib.connections.save({ name: spec.auth!.type, spec: ConnectionSpecSchema.parse(spec) })
      expect(saved).toMatchObject({ ok: true, value: { secrets: 'encrypted' } })
    }
    await expectNoSecretIn([join(dataDir, 'connections', 'basic.json'), join(dataDir, 'connections', 'bearer.json')])
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false)
    const file = JSON.parse(await readFile(join(dataDir, 'connections', 'basic.json'), 'utf8'))
    expect(file.spec.auth).toEqual({ type: 'basic', username: 'me', password: { encrypted: expect.any(String) } })
    expect(file.spec.headers[0]).toEqual({ name: 'Accept', value: 'text/event-stream' })
    expect(file.spec.headers[1]).toEqual({ name: 'Authorization', value: { encrypted: expect.any(String) } })
    expect(file.spec.query).toEqual([{ name: 'access_token', value: { encrypted: expect.any(String) } }, { name: 'page', value: '1' }])
    expect(file.spec.proxy).toEqual({ mode: 'url', url: { encrypted: expect.any(String) } })

    const listed = await lib.connections.list()
    expect(listed.ok && Object.fromEntries(listed.value.map((c) => [c.id, [c.secrets, c.spec]]))).toEqual({
      basic: ['encrypted', ConnectionSpecSchema.parse(basic)],
      bearer: ['encrypted', ConnectionSpecSchema.parse(bearer)],
    })
  })

  it('a file encrypted with another key is skipped and reported, not lost', async () => {
    const { dataDir, library: lib } = await library(aesSecretBox())
    await lib.connections.save({ name: 'Mine', spec: ConnectionSpecSchema.parse(bearer) })
    const before = await readFile(join(dataDir, 'connections', 'mine.json'), 'utf8')
    const otherMachine = openLibrary({ dataDir, secretBox: aesSecretBox(), warn: quiet })
    expect(await otherMachine.connections.list()).toEqual({ ok: true, value: [] })
    const problems = await otherMachine.connections.problems()
    expect(problems.ok && problems.value[0]?.message).toContain('could not be decrypted')
    const browserMode = openLibrary({ dataDir, warn: quiet })
    const browserProblems = await browserMode.connections.problems()
    expect(browserProblems.ok && browserProblems.value[0]?.message).toContain('desktop app')
    expect(await readFile(join(dataDir, 'connections', 'mine.json'), 'utf8')).toBe(before)
  })

  it('when the keychain refuses, secrets go to the private file instead (never clear text)', async () => {
    const refusing: SecretBox = { kind: 'encrypted', encrypt: () => Promise.reject(new Error('keychain locked')), decrypt: () => Promise.reject(new Error('no')) }
    const dataDir = await tempDataDir()
    await mkdir(join(dataDir, 'connections'))
    const warnings: string[] = []
    const lib = openLibrary({ dataDir, secretBox: refusing, warn: (m) => warnings.push(m) })
    const saved = await lib.connections.save({ name: 'Fallback', spec: ConnectionSpecSchema.parse(bearer) })
    expect(saved).toMatchObject({ ok: true, value: { secrets: 'separate-file' } })
    expect(warnings.join()).toContain('keychain locked')
    await expectNoSecretIn([join(dataDir, 'connections', 'fallback.json')])
    expect(await filesContaining(dataDir, SECRETS.token)).toEqual([join(dataDir, 'secrets.json')])
  })
})

describe('without a SecretBox (browser mode)', () => {
  it('keeps secrets in secrets.json (mode 0600), referenced from the connection file', async () => {
    const { dataDir, library: lib } = await library()
    const saved = await lib.connections.save({ name: 'API', spec: ConnectionSpecSchema.parse(basic) })
    expect(saved).toMatchObject({ ok: true, value: { secrets: 'separate-file' } })
    await expectNoSecretIn([join(dataDir, 'connections', 'api.json')])
    const file = JSON.parse(await readFile(join(dataDir, 'connections', 'api.json'), 'utf8'))
    expect(file.spec.auth.password).toEqual({ secretRef: 'api/auth.password' })
    expect(file.spec.headers[2]).toEqual({ name: 'Cookie', value: { secretRef: 'api/headers.2.value' } })

    const secretsFile = join(dataDir, 'secrets.json')
    if (process.platform !== 'win32') expect((await stat(secretsFile)).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(secretsFile, 'utf8'))).toMatchObject({ 'api/auth.password': SECRETS.password, 'api/headers.2.value': SECRETS.cookie })

    const listed = await lib.connections.list()
    expect(listed.ok && listed.value[0]).toMatchObject({ id: 'api', secrets: 'separate-file', spec: ConnectionSpecSchema.parse(basic) })
  })

  it('a connection without secrets says so and writes no secrets file', async () => {
    const { dataDir, library: lib } = await library()
    const saved = await lib.connections.save({ name: 'Plain', spec: { technique: 'websocket', url: 'ws://example.com/' } })
    expect(saved).toMatchObject({ ok: true, value: { secrets: 'none' } })
    expect(await readdir(dataDir, { recursive: true })).toEqual(['connections', join('connections', 'plain.json')])
  })

  it('replacing a connection drops the secrets it no longer has; deleting it drops the rest', async () => {
    const { dataDir, library: lib } = await library()
    const other = await lib.connections.save({ name: 'Other', spec: ConnectionSpecSchema.parse(bearer) })
    const saved = await lib.connections.save({ name: 'API', spec: ConnectionSpecSchema.parse(basic) })
    if (!saved.ok || !other.ok) throw new Error('save failed')
    const secretsFile = join(dataDir, 'secrets.json')
    await lib.connections.save({ id: 'api', name: 'API', spec: { ...ConnectionSpecSchema.parse(basic), auth: { type: 'none' }, headers: [], query: [], proxy: { mode: 'env' } } })
    expect(Object.keys(JSON.parse(await readFile(secretsFile, 'utf8'))).filter((ref) => ref.startsWith('api/'))).toEqual([])

    await lib.connections.save({ id: 'api', name: 'API', spec: ConnectionSpecSchema.parse(basic) })
    expect(await lib.connections.delete('api')).toEqual({ ok: true, value: undefined })
    const remaining = JSON.parse(await readFile(secretsFile, 'utf8'))
    expect(Object.keys(remaining).every((ref) => ref.startsWith('other/'))).toBe(true)
    expect(await filesContaining(dataDir, SECRETS.password)).toEqual([])
    expect(await lib.connections.list()).toMatchObject({ ok: true, value: [{ id: 'other', spec: ConnectionSpecSchema.parse(bearer) }] })
  })

  it('a missing secret skips that connection; a broken secrets file is never overwritten', async () => {
    const { dataDir, library: lib } = await library()
    await lib.connections.save({ name: 'API', spec: ConnectionSpecSchema.parse(bearer) })
    await writeFile(join(dataDir, 'secrets.json'), '{}')
    expect(await lib.connections.list()).toEqual({ ok: true, value: [] })
    const problems = await lib.connections.problems()
    expect(problems.ok && problems.value[0]?.message).toContain('missing from the secrets file')

    await writeFile(join(dataDir, 'secrets.json'), 'not json')
    const refused = await lib.connections.save({ name: 'New', spec: ConnectionSpecSchema.parse(bearer) })
    expect(refused).toMatchObject({ ok: false, error: { code: 'E_LIBRARY_UNREADABLE' } })
    expect(await readFile(join(dataDir, 'secrets.json'), 'utf8')).toBe('not json')
  })
})

describe('what counts as a credential header', () => {
  it('the auth headers, cookies, and names that say token, secret, api key or password', () => {
    for (const name of ['Authorization', 'proxy-authorization', 'Cookie', 'X-Auth-Token', 'X-API-Key', 'api_key', 'Apikey', 'X-Client-Secret', 'X-Password']) expect(isCredentialHeader(name), name).toBe(true)
    for (const name of ['Accept', 'Origin', 'User-Agent', 'Sec-WebSocket-Protocol', 'X-Request-Id']) expect(isCredentialHeader(name), name).toBe(false)
  })
})
