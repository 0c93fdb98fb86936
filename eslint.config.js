// Lint, and the layer rules of DESIGN §1 as import restrictions.
import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const nodeBuiltins = ['node:*', 'fs', 'path', 'http', 'https', 'net', 'tls', 'crypto', 'os', 'child_process', 'stream']

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
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only electron/ may import electron; pass what Electron gives in as a function.' }] }],
    },
  },
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
