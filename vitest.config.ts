// Unit tests for every layer. Node by default; renderer tests opt into jsdom per file with
// `// @vitest-environment jsdom`.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  test: {
    include: ['{electron,shared,renderer,scripts}/**/*.test.{ts,tsx}'],
    environment: 'node',
    // Two files at a time on the project's 2-core machines (the default keeps one core free): most
    // of the time goes to waiting on Python, DuckDB and the container engine.
    maxWorkers: 2,
    setupFiles: ['renderer/src/testing/setup.ts'],
  },
});
