#!/usr/bin/env node
// `rti`: runs the prebuilt bundle (out/cli/, made by `npm run build` and on install)
// when it is current, else straight from the TypeScript sources through tsx (which
// compiles on the fly), so the command always runs the code as it is now — also
// while the sources are being edited, and right after a clone. See cli-bundle.mjs.
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chooseEntry } from './cli-bundle.mjs'

const root = fileURLToPath(new URL('../', import.meta.url))
const entry = chooseEntry(root, `${root}out/cli/`)
let main
if (entry.bundle) {
  ;({ main } = await import(pathToFileURL(entry.path).href))
} else {
  const { register } = await import('tsx/esm/api')
  register()
  ;({ main } = await import('../main/cli/index.ts'))
}
await main(process.argv)
