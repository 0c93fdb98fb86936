// Three builds: the Electron main process, the preload bridge, and the renderer.
// The engine (main/) is bundled into the main process build; the renderer reaches
// it only through the contract alias.
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'

const root = import.meta.dirname
const contract = resolve(root, 'main/contract/index.ts')

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: { input: { index: resolve(root, 'electron/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only 'electron' (and a few builtins): bundle its
      // dependencies (zod, via the contract's method table) into the one file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload.ts') },
        // Sandboxed preloads cannot be ES modules. Name it .cjs: package.json says
        // "type": "module", so a CommonJS .js file would be misread wherever Node loads it.
        output: { format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [vue()],
    resolve: { alias: { '@contract': contract } },
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
})
