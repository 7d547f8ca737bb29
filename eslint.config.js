// Lint: strict TypeScript, no cycles, and the layer direction of ARCHITECTURE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import layersPlugin from './scripts/eslint-layers.mjs';

// Each layer and the layers it may import from (besides itself and common/).
const layers = {
  common: [],
  config: [],
  transport: ['config'],
  remote: [],
  diagnosis: [],
  recovery: ['diagnosis'],
  history: ['diagnosis'],
  terminal: [],
  events: ['recovery', 'history', 'diagnosis'],
  live: ['events'],
  dashboard: ['live', 'events', 'history', 'diagnosis'],
  sinks: ['history', 'config'],
  heal: ['config', 'transport', 'remote', 'diagnosis', 'recovery', 'history', 'terminal', 'events'],
  cli: ['config', 'transport', 'remote', 'diagnosis', 'recovery', 'history', 'terminal', 'events', 'live', 'dashboard', 'sinks', 'heal'],
};
export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { layers: layersPlugin },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'layers/no-cycle': ['error', { root: import.meta.dirname }],
      'layers/direction': ['error', { root: import.meta.dirname, layers }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  {
    // the dashboard page: plain scripts in the browser, with the two libraries it loads from node_modules
    files: ['web/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, Chart: 'readonly', ReconnectingWebSocket: 'readonly' } },
  },
);
