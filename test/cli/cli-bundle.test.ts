// `rti` runs the prebuilt bundle only while it matches the sources, else the sources.
import { spawn, spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleIsCurrent, chooseEntry, ENTRY_NAME, STAMP_NAME, stampIsCurrent } from '../../bin/cli-bundle.mjs'
import { VERSION } from '../../main/version.js'
import { ROOT } from './run-rti.js'

describe('stampIsCurrent', () => {
  const stamp = { version: 1, sources: { 'main/a.ts': 1000.5, 'main/b.ts': 2000 } }
  const times = (overrides: Record<string, number | undefined>) => (path: string) => (path in overrides ? overrides[path] : stamp.sources[path as keyof typeof stamp.sources])

  it('is current when every source has the time it had when the bundle was built', () => {
    expect(stampIsCurrent(stamp, times({}))).toBe(true)
  })

  it('is stale when a source is newer than the bundle: rti then runs the sources', () => {
    expect(stampIsCurrent(stamp, times({ 'main/b.ts': 2001 }))).toBe(false)
  })

  it('is stale when a source went back in time (a checkout of an older commit) or is gone', () => {
    expect(stampIsCurrent(stamp, times({ 'main/a.ts': 10 }))).toBe(false)
    expect(stampIsCurrent(stamp, times({ 'main/a.ts': undefined }))).toBe(false)
  })

  it('is stale for a stamp it cannot read: none, another version, no sources', () => {
    for (const bad of [undefined, null, 'x', {}, { version: 2, sources: stamp.sources }, { version: 1 }, { version: 1, sources: {} }]) {
      expect(stampIsCurrent(bad, times({}))).toBe(false)
    }
  })
})

describe('bundleIsCurrent and chooseEntry, over real files', () => {
  let root: string
  let bundleDir: string

  beforeAll(async () => {
    root = `${await mkdtemp(join(tmpdir(), 'rti-bundle-'))}/`
    bundleDir = `${root}out/cli/`
    await mkdir(`${root}main`, { recursive: true })
    await mkdir(bundleDir, { recursive: true })
    await writeFile(`${root}main/a.ts`, 'export const a = 1\n')
    await writeFile(`${root}main/b.ts`, 'export const b = 2\n')
    await writeFile(`${bundleDir}${STAMP_NAME}`, JSON.stringify({ version: 1, sources: { 'main/a.ts': (await stat(`${root}main/a.ts`)).mtimeMs, 'main/b.ts': (await stat(`${root}main/b.ts`)).mtimeMs } }))
  })
  afterAll(() => rm(root, { recursive: true, force: true }))

  it('uses the bundle while the sources are as they were built', () => {
    expect(bundleIsCurrent(root, bundleDir)).toBe(true)
    expect(chooseEntry(root, bundleDir, {})).toEqual({ bundle: true, path: `${bundleDir}${ENTRY_NAME}` })
  })

  it('RTI_CLI=sources runs the sources even with a current bundle', () => {
    expect(chooseEntry(root, bundleDir, { RTI_CLI: 'sources' })).toEqual({ bundle: false })
  })

  it('runs the sources once one of them is edited', async () => {
    const later = new Date(Date.now() + 60_000)
    await utimes(`${root}main/b.ts`, later, later)
    expect(bundleIsCurrent(root, bundleDir)).toBe(false)
    expect(chooseEntry(root, bundleDir, {})).toEqual({ bundle: false })
  })

  it('runs the sources when there is no bundle', () => {
    expect(chooseEntry(root, `${root}out/nothing/`, {})).toEqual({ bundle: false })
  })
})

describe('the bundle', () => {
  // Built beside the real one (under the project, so its imports find node_modules).
  const outDir = join(ROOT, 'out', `cli-test-${process.pid}`)
  beforeAll(() => {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-cli.mjs'), '--out-dir', outDir], { cwd: ROOT, encoding: 'utf8' })
    expect(build.status, build.stderr).toBe(0)
  }, 60_000)
  afterAll(() => rm(outDir, { recursive: true, force: true }))

  /** Runs the bundle's main() the way bin/rti.mjs does once it chose the bundle. */
  function runBundle(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const entry = pathToFileURL(join(outDir, ENTRY_NAME)).href
    const script = `const { main } = await import(${JSON.stringify(entry)}); await main(process.argv)`
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, 'rti', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
  }

  it('is stamped with every source it holds, and keeps packages as imports from node_modules', async () => {
    const stamp = JSON.parse(await readFile(join(outDir, STAMP_NAME), 'utf8')) as { sources: Record<string, number> }
    expect(Object.keys(stamp.sources)).toEqual(expect.arrayContaining(['main/cli/index.ts', 'main/cli/connect.ts', 'main/version.ts', 'scripts/build-cli.mjs']))
    expect(Object.keys(stamp.sources).every((path) => !path.includes('node_modules'))).toBe(true)
    const entry = await readFile(join(outDir, ENTRY_NAME), 'utf8')
    expect(entry).toMatch(/from "commander"/)
  })

  it('prints the version', async () => {
    const result = await runBundle(['--version'])
    expect(result).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' })
  })

  it('runs rti connect: a refused port exits 1 with the reason', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    await new Promise((resolve) => server.close(resolve))
    const result = await runBundle(['connect', `ws://127.0.0.1:${port}`])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`● connecting ws://127.0.0.1:${port}/`)
    expect(result.stderr).toMatch(/connection refused.*E_CONNECT_REFUSED/)
  })

  it('finds files beside the sources as the sources do (the UI folder of rti serve)', async () => {
    const chunks = await Promise.all((await readdir(outDir)).filter((name) => name.endsWith('.mjs')).map((name) => readFile(join(outDir, name), 'utf8')))
    const serve = chunks.find((text) => text.includes('DEFAULT_RENDERER_DIR ='))
    // import.meta.url means the source file, so the path resolves where it did in the sources.
    const rewritten = /new URL\("([^"]+)", import\.meta\.url\)\.href/.exec(serve ?? '')
    expect(rewritten?.[1]).toBe('../../main/bridge/index.ts')
    expect(fileURLToPath(new URL('../../out/renderer/', new URL(rewritten![1]!, pathToFileURL(join(ROOT, 'out', 'cli', 'x.mjs')))))).toBe(join(ROOT, 'out', 'renderer/'))
  })
})
