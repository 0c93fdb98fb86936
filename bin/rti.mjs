#!/usr/bin/env node
// `rti` runs straight from the TypeScript sources: tsx compiles on the fly (and caches),
// so the command works right after `npm install`, with no build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../main/cli/index.ts')
await main(process.argv)
