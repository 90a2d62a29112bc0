// Bundles the Node-side entry points (Electron main, preload, CLI/host, job workers) with esbuild.
// Dependencies stay external: electron-builder ships node_modules, and native modules
// (better-sqlite3, DuckDB) cannot be bundled.
import { existsSync } from 'node:fs';

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // `npm ci --omit=dev` or an install still in progress: nothing to build with.
  console.warn('[build-node] esbuild is not installed; skipping the Node build.');
  process.exit(0);
}

const entries = [
  { in: 'electron/host/cli.ts', out: 'dist/host/cli.js', format: 'esm' },
  { in: 'electron/services/jobs/job-worker.ts', out: 'dist/host/job-worker.js', format: 'esm' },
  { in: 'electron/main/main.ts', out: 'dist/electron/main.cjs', format: 'cjs' },
  { in: 'electron/preload/preload.ts', out: 'dist/electron/preload.cjs', format: 'cjs', bundleAll: true },
].filter((e) => existsSync(e.in));

await Promise.all(
  entries.map((e) =>
    esbuild.build({
      entryPoints: [e.in],
      outfile: e.out,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: e.format,
      sourcemap: true,
      // The sandboxed preload cannot require anything but 'electron', so it bundles everything else.
      packages: e.bundleAll ? undefined : 'external',
      external: ['electron'],
      logLevel: 'warning',
    }),
  ),
);
console.log(`[build-node] built ${entries.length} entries`);
