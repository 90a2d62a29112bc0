// Unit tests for every layer. Node by default; renderer tests opt into jsdom per file with
// `// @vitest-environment jsdom`.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  test: {
    include: ['{electron,shared,renderer,scripts}/**/*.test.{ts,tsx}'],
    environment: 'node',
  },
});
