// Lint, and the engine's layers as import restrictions (docs/architecture.md, "Layers").
import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const nodeBuiltins = ['node:*', 'fs', 'path', 'http', 'https', 'net', 'tls', 'crypto', 'os', 'child_process', 'stream']

const noElectron = { name: 'electron', message: 'Only electron/ may import electron; pass what Electron gives in as a function.' }

// The engine's layers, bottom first: a folder of main/ imports only from its own rank
// or below. net, techniques and protocols share a layer but build on each other in
// that order. The hosts (bridge, cli, playground, library, and engine.ts, the
// composition root) may import anything; electron/ and the renderer have their own
// blocks. The small leaves at main/'s root other than engine.ts (version.ts,
// api-guard.ts) import only the contract and are open to every layer.
const LAYER_RANK = {
  contract: 0,
  frames: 1,
  net: 2,
  techniques: 3,
  protocols: 4,
  session: 5,
  recording: 6,
  diagnostics: 6,
  replay: 7,
  probe: 7,
  bridge: 8,
  cli: 8,
  playground: 8,
  library: 8,
}
const LAYER_ORDER = 'contract → frames → net → techniques → protocols → session → recording/diagnostics → replay/probe → hosts (bridge, cli, playground, library, engine.ts)'

/** Import patterns that reach a folder of main/ from anywhere below main/<folder>/ ('../x/…', '../../x/…'). */
function reaching(folders) {
  return `^(\\.\\./)+(${folders.join('|')})(/|$)`
}

/**
 * One block per layer folder forbidding what sits above it. `allow`: folders above
 * that it may still reach; `deny`: folders below that it may not (each with the
 * reason in the block that says so).
 */
function layerBlock(folder, { files = [`main/${folder}/**/*.ts`], allow = [], deny = [], extra = [] } = {}) {
  const rank = LAYER_RANK[folder]
  const above = Object.keys(LAYER_RANK).filter((other) => (LAYER_RANK[other] > rank && !allow.includes(other)) || deny.includes(other))
  const patterns = []
  if (above.length > 0) patterns.push({ regex: reaching(above), message: `main/${folder} may not import from ${above.join(', ')}: the layers run ${LAYER_ORDER} (the exceptions, and why: eslint.config.js).` })
  patterns.push({ regex: '^(\\.\\./)+engine(\\.js)?$', message: 'engine.ts is the composition root: only the hosts import it.' })
  patterns.push(...extra)
  return { files, rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns }] } }
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // An inspector handles control characters on purpose (escaping them for display).
      'no-control-regex': 'off',
      // TypeScript checks names; the base rule does not know DOM or Node types.
      'no-undef': 'off',
      'vue/multi-word-component-names': 'off',
      // Formatting is not lint's job here.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    // The engine runs in plain Node: `electron` would try to download a binary and throw.
    // (The layer blocks below repeat this: a later block's options replace an earlier one's.)
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron] }],
    },
  },
  layerBlock('frames'),
  layerBlock('net'),
  layerBlock('techniques'),
  layerBlock('protocols'),
  layerBlock('session'),
  // The one exception to the order: the session owns its recorder and its detectors
  // and hands them each frame on the hot path, before any frame object exists.
  // Passing them in from above (the manager or the engine) would lift it
  // (docs/architecture.md, "Layers"). So that this cannot become a cycle, recording/
  // and diagnostics/ may not import the session back (they did once, for the message
  // frame builder that now lives in frames/).
  layerBlock('session', { files: ['main/session/session.ts'], allow: ['recording', 'diagnostics'] }),
  // Recordings redact secrets by library/secret-fields.ts, a pure rule over the
  // connection spec (it imports only the contract); nothing else of the library.
  layerBlock('recording', {
    allow: ['library'],
    deny: ['session'],
    extra: [{ regex: '^(\\.\\./)+library/(?!secret-fields\\.js$)', message: 'main/recording may use library/secret-fields.ts only; the library is a host.' }],
  }),
  layerBlock('diagnostics', { deny: ['session'] }),
  layerBlock('replay'),
  layerBlock('probe'),
  {
    // The contract is shared with the renderer and the preload: pure types and schemas.
    files: ['main/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'ws', 'undici', 'eventsource'].map((name) => ({ name, message: 'main/contract must stay platform-free.' })),
          patterns: [
            { group: nodeBuiltins, message: 'main/contract must stay platform-free (no Node APIs).' },
            { group: ['../*', '!../contract'], message: 'main/contract imports nothing else from the engine.' },
          ],
        },
      ],
    },
  },
  {
    // The renderer reaches the engine only through the contract alias.
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the engine through @contract and the API client only.' }],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer runs in a browser sandbox: no Node APIs.' },
            { group: ['**/main/*', '**/main/**', '!@contract'], message: 'Import the engine contract as @contract; engine internals are off limits.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
)
