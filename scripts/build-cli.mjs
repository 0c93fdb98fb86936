// Builds the `rti` bundle into out/cli/ (part of `npm run build`, and of `prepare`, so
// it exists right after `npm install`). Only the project's own code is bundled: every
// package stays an import from node_modules, as when run from the sources. Commands
// stay split into chunks loaded when they run, so `rti --version` loads little.
//
//   node scripts/build-cli.mjs [--out-dir <dir>] [--if-possible]
//
// --if-possible (for `prepare`): a failure is a warning, not a failed install; bin/rti.mjs
// then runs the sources, as it does whenever the bundle is missing or stale.
import { createRequire } from 'node:module'
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { parseArgs } from 'node:util'
import { ENTRY_NAME, STAMP_NAME } from '../bin/cli-bundle.mjs'

const root = resolve(import.meta.dirname, '..')
const posix = (path) => path.split(sep).join('/')

/**
 * esbuild comes with tsx (a dependency: it is what compiles the sources on the fly),
 * so it is there whenever rti can run at all; looked up through tsx if it is not hoisted.
 */
async function loadEsbuild() {
  try {
    return await import('esbuild')
  } catch {
    const fromTsx = createRequire(createRequire(join(root, 'package.json')).resolve('tsx'))
    return fromTsx('esbuild')
  }
}

/**
 * `import.meta.url` in a source means "this file"; in the bundle it would mean the
 * chunk. Each use becomes the source file's URL, found relative to the bundle, so a
 * path like new URL('../../out/renderer/', import.meta.url) still points where it did.
 */
function sourceUrlPlugin(outDir) {
  return {
    name: 'source-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const contents = await readFile(args.path, 'utf8')
        if (!contents.includes('import.meta.')) return { contents, loader: 'ts' }
        if (/import\.meta\.(dirname|filename)/.test(contents)) {
          return { errors: [{ text: `${posix(relative(root, args.path))}: use new URL(…, import.meta.url) instead of import.meta.dirname/filename (the CLI bundle rewrites only import.meta.url)` }] }
        }
        const fromBundle = posix(relative(outDir, args.path))
        return { contents: contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`), loader: 'ts' }
      })
    },
  }
}

export async function buildCli(outDir, { quiet = false } = {}) {
  const { build } = await loadEsbuild()
  // Built beside the target, then swapped in: a start never sees half a bundle, and a
  // bundle built from sources that changed during the build is never stamped current.
  const staging = `${outDir}.building-${process.pid}`
  await rm(staging, { recursive: true, force: true })
  const startedAt = Date.now()
  const result = await build({
    absWorkingDir: root,
    entryPoints: { [ENTRY_NAME.replace(/\.mjs$/, '')]: 'main/cli/index.ts' },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // All chunks in one folder: the source-url rewrite counts from it.
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    metafile: true,
    // --if-possible reports one line of its own, not esbuild's list of errors.
    logLevel: quiet ? 'silent' : 'warning',
    plugins: [sourceUrlPlugin(outDir)],
  })
  // The stamp lists every source in the bundle, and the bundle's own recipe.
  const inputs = [...Object.keys(result.metafile.inputs), 'scripts/build-cli.mjs', 'bin/cli-bundle.mjs']
  const sources = {}
  for (const input of inputs.sort()) {
    const { mtimeMs } = await stat(join(root, input))
    // Changed while being bundled: the bundle may hold the old text, so never current.
    sources[posix(input)] = mtimeMs >= startedAt ? -1 : mtimeMs
  }
  await writeFile(join(staging, STAMP_NAME), JSON.stringify({ version: 1, sources }, null, 1) + '\n')
  const old = `${outDir}.old-${process.pid}`
  await rename(outDir, old).catch((error) => {
    if (error.code !== 'ENOENT') throw error
  })
  await rename(staging, outDir)
  await rm(old, { recursive: true, force: true })
  return { files: Object.keys(result.metafile.outputs).length, sources: inputs.length }
}

const { values } = parseArgs({ options: { 'out-dir': { type: 'string' }, 'if-possible': { type: 'boolean' } } })
const outDir = resolve(root, values['out-dir'] ?? 'out/cli')
try {
  const started = Date.now()
  const { files, sources } = await buildCli(outDir, { quiet: values['if-possible'] === true })
  console.log(`rti bundle: ${posix(relative(root, outDir))}/ (${files} files from ${sources} sources) in ${Date.now() - started} ms`)
} catch (error) {
  if (!values['if-possible']) throw error
  console.warn(`rti bundle not built (rti runs from the TypeScript sources instead): ${error instanceof Error ? error.message : String(error)}`)
}
