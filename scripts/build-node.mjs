// Bundles the Node-side entry points (Electron main, preload, CLI/host, job workers) with esbuild.
// Dependencies stay external: electron-builder ships node_modules, and native modules
// (better-sqlite3, DuckDB) cannot be bundled.
import { existsSync } from 'node:fs';
import { NODE_ENTRIES, nodeBuildOptions } from './node-entries.mjs';

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // `npm ci --omit=dev` or an install still in progress: nothing to build with.
  console.warn('[build-node] esbuild is not installed; skipping the Node build.');
  process.exit(0);
}

const entries = NODE_ENTRIES.filter((e) => existsSync(e.in));

await Promise.all(entries.map(async (e) => esbuild.build(await nodeBuildOptions(esbuild, e))));
console.log(`[build-node] built ${entries.length} entries`);
