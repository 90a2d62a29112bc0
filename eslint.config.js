// Lint enforces where code may run (see ../shared/docs/style.md, "Layout").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const electronImport = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' };
const rawIpc = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Use the IPC adapter (electron/main/ipc-adapter.ts) or the preload; raw ipcMain/ipcRenderer stay inside them.',
};
const nodeBuiltins = { group: ['node:*'], message: 'This code runs in the browser or anywhere: no Node built-ins.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', 'playwright-report/**', 'resources/**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport],
          patterns: [
            nodeBuiltins,
            { group: ['**/electron/**', '**/renderer/**', 'react', 'react-dom', 'zustand'], message: 'shared/ imports only shared/ and zod.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport],
          patterns: [nodeBuiltins, { group: ['**/electron/**'], message: 'The renderer imports only shared/ (through a Transport).' }],
        },
      ],
    },
  },
  {
    files: ['electron/services/**/*.ts', 'electron/host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport],
          patterns: [
            { group: ['**/renderer/**'], message: 'Node code never imports the renderer.' },
            { group: ['**/electron/main/**', '**/electron/preload/**', '../main/**', '../preload/**', '../../main/**'], message: 'services and host are plain Node: they never import the Electron shell.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport],
          patterns: [
            { group: ['**/renderer/**'], message: 'Node code never imports the renderer.' },
            { group: ['**/electron/main/**', '**/electron/preload/**', '**/host/**', '../main/**', '../preload/**', '../../main/**'], message: 'services never import the shell or the host adapters.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/renderer/**'], message: 'The main process never imports the renderer.' }] }],
    },
  },
  {
    // Raw IPC objects only inside the two IPC edges.
    files: ['electron/main/**/*.ts'],
    ignores: ['electron/main/ipc-adapter.ts', 'electron/main/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [rawIpc], patterns: [{ group: ['**/renderer/**'], message: 'The main process never imports the renderer.' }] },
      ],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**', '**/services/**', '**/host/**', 'node:*'], message: 'The preload exposes invoke/subscribe only; it imports shared/ and electron.' }] },
      ],
    },
  },
  {
    files: ['e2e/**/*.ts', '**/*.test.{ts,tsx}', 'scripts/**'],
    rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
